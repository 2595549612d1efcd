import { getMetric, METRIC_IDS } from '../../shared/catalog';
import type { RebuildState, Series } from '../../shared/contract';
import { dispatch } from '../core/dispatch';
import { failed, UsageError } from './output';
import { parseCommandArgs, type CommandModule } from './run';

/** What to say about a metric name that is not one: the close ids, and where the list is. */
export function unknownMetric(name: string): string {
  const typed = name.toLowerCase().replace(/[\s-]+/g, '_');
  const close = METRIC_IDS.filter((id) => id.includes(typed) || (typed.length > 3 && typed.includes(id)));
  return `"${name}" is not a metric${close.length ? ` (did you mean ${close.slice(0, 5).join(', ')}?)` : ''}. \`vitalsync metrics\` lists every metric id.`;
}

const BUCKETS = ['day', 'week', 'month', 'hour'] as const;

/** The documented JSON shape of `vitalsync query` (the contract's series, without UI extras). */
export function queryJson(series: Series) {
  return {
    metric: series.metric,
    unit: series.unit,
    buckets: series.buckets.map((b) => ({
      start: b.start,
      value: b.value,
      sources: b.sources.map((s) => ({ source: s.source, origin: s.origin, share: s.share })),
      excluded: b.excluded,
      ...(b.stages ? { stages: b.stages } : {}),
      ...(b.sessions ? { sessions: b.sessions } : {}),
      ...(b.min !== undefined ? { min: b.min, max: b.max } : {}),
    })),
  };
}

export const queryCommand: CommandModule = {
  async run({ args, io, openCore }) {
    const { values, positionals } = parseCommandArgs(args, {
      from: { type: 'string' },
      to: { type: 'string' },
      bucket: { type: 'string', default: 'day' },
      json: { type: 'boolean' },
    });
    const [metric] = positionals;
    if (!metric) throw new UsageError('name a metric, such as steps or heart_rate; `vitalsync metrics` lists them all.');
    if (!getMetric(metric)) throw new UsageError(unknownMetric(metric));
    if (!values.from || !values.to) throw new UsageError('give the range with --from YYYY-MM-DD --to YYYY-MM-DD.');
    const bucket = values.bucket as (typeof BUCKETS)[number];
    if (!BUCKETS.includes(bucket)) throw new UsageError('--bucket takes day, week or month (or hour for short ranges).');
    const core = await openCore();
    const res = await dispatch(core.handlers, 'metrics:series', { metric, from: values.from, to: values.to, bucket });
    if (!res.ok) return failed(io, res);
    const series = res.value as Series;
    // Numbers from tables that could not be brought up to date must not pass as current.
    const state = await dispatch(core.handlers, 'metrics:state', {});
    const failure = state.ok ? (state.value as RebuildState).failure : null;
    const stale = () => {
      if (!failure) return 0;
      io.err(`vitalsync query: the merged values could not be brought up to date (${failure.message}), so these numbers may be out of date. Run \`vitalsync rebuild\` to try again and see the error.`);
      return 1;
    };
    if (values.json) {
      io.out(JSON.stringify(queryJson(series), null, 2));
      return stale();
    }
    const def = getMetric(metric)!;
    io.out(`${def.label} (${series.unit}), ${series.from} to ${series.to}, per ${bucket}`);
    if (!series.buckets.length) io.out('No data in this range.');
    for (const b of series.buckets) {
      const sources = b.sources.map((s) => `${s.origin} (${s.source}) ${Math.round(s.share * 100)}%`).join(', ');
      const excluded = b.excluded ? `  ${b.excluded} excluded` : '';
      io.out(`${b.start.padEnd(16)} ${String(Math.round(b.value * 100) / 100).padStart(10)}  ${sources}${excluded}`);
    }
    return stale();
  },
};

export const rebuildCommand: CommandModule = {
  async run({ args, io, openCore }) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } }, false);
    const core = await openCore();
    const res = await dispatch(core.handlers, 'metrics:rebuild', {});
    if (!res.ok) return failed(io, res);
    const stats = res.value as { metrics: number; days: number; samples: number; ms: number };
    if (values.json) io.out(JSON.stringify(stats, null, 2));
    else io.out(`Rebuilt ${stats.metrics} metrics: ${stats.days} days from ${stats.samples} samples in ${(stats.ms / 1000).toFixed(2)} s.`);
    return 0;
  },
};
