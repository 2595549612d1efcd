import path from 'node:path';
import { getMetric, METRIC_IDS } from '../../shared/catalog';
import { EXPORT_FORMATS, type ExportFormat, type ExportResult } from '../../shared/contract';
import { dispatch } from '../core/dispatch';
import { failed, UsageError } from './output';
import { parseCommandArgs, type CommandModule } from './run';

const mb = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);

export const exportCommand: CommandModule = {
  async run({ args, io, openCore }) {
    const { values } = parseCommandArgs(
      args,
      {
        format: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        metrics: { type: 'string' },
        raw: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      false,
    );
    const format = values.format as ExportFormat | undefined;
    if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`give --format ${EXPORT_FORMATS.join('|')}.`);
    if (!values.out) throw new UsageError('give the file to write with --out FILE.');
    if ((values.from === undefined) !== (values.to === undefined)) throw new UsageError('give both --from and --to, or neither to export everything.');
    if (format === 'sqlite' && (values.from || values.metrics || values.raw)) throw new UsageError('--format sqlite copies the whole database; leave out --from, --to, --metrics and --raw.');
    const metrics = values.metrics
      ?.split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    const unknown = metrics?.filter((m) => !getMetric(m));
    if (unknown?.length) throw new UsageError(`not metrics: ${unknown.join(', ')}. Known metrics: ${METRIC_IDS.join(', ')}.`);
    const core = await openCore();
    // Progress on a terminal only (stderr), so a script's output stays the result alone.
    const stop = io.isTty ? core.events.on('export:progress', (p) => io.err(`  … ${p.done.toLocaleString('en')}${p.total ? ` of ${p.total.toLocaleString('en')}` : ''} ${p.unit}`)) : () => {};
    const res = await dispatch(core.handlers, 'export:run', {
      request: { format, values: values.raw ? 'raw' : 'merged', ...(values.from ? { from: values.from, to: values.to } : {}), ...(metrics?.length ? { metrics } : {}) },
      out: path.resolve(values.out),
    });
    stop();
    if (!res.ok) return failed(io, res);
    const r = res.value as ExportResult;
    if (values.json) {
      io.out(JSON.stringify(r, null, 2));
      return 0;
    }
    const what = r.format === 'sqlite' ? 'a copy of the whole database' : r.format === 'fhir' ? `${r.rows} FHIR Observations (${r.values} values)` : `${r.rows} ${r.values === 'raw' ? 'samples' : 'daily values'}`;
    io.out(`Wrote ${what} to ${r.path} (${mb(r.bytes)}, ${(r.ms / 1000).toFixed(2)} s).`);
    if (r.omitted.length) io.out(`Left out (no LOINC code VitalSync can vouch for): ${r.omitted.join(', ')}.`);
    return 0;
  },
};
