// `vitalsync metrics`: the canonical metrics, straight from the catalog (src/shared/catalog.ts),
// so the names `query` (and any command that takes a metric) accepts are listed in one place.
import { CATEGORY_IDS, METRICS, type DailyAggregation } from '../../shared/catalog';
import { UsageError } from './output';
import { parseCommandArgs, type CommandModule } from './run';

/** How a day's value is made from its samples, per aggregation (a new one must be described here). */
const PER_DAY: Record<DailyAggregation, string> = {
  sum: 'the sum',
  avg: 'the average',
  min: 'the lowest',
  max: 'the highest',
  last: 'the last reading',
  duration: 'the total time (asleep, or in workouts)',
  count: 'the number of sessions',
};

/** What `metrics --json` prints for each metric (names may grow; these stay). */
export function metricsJson(category?: string) {
  return METRICS.filter((m) => !category || m.category === category).map((m) => ({ id: m.id, label: m.label, unit: m.unit, category: m.category, daily: m.daily }));
}

export const metricsCommand: CommandModule = {
  async run({ args, io }) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' }, category: { type: 'string' } }, false);
    const category = values.category;
    if (category !== undefined && !(CATEGORY_IDS as readonly string[]).includes(category)) {
      throw new UsageError(`"${category}" is not a category: use one of ${CATEGORY_IDS.join(', ')}.`);
    }
    const rows = metricsJson(category);
    if (values.json) {
      io.out(JSON.stringify(rows, null, 2));
      return 0;
    }
    const head = { id: 'METRIC', label: 'LABEL', unit: 'UNIT', category: 'CATEGORY', daily: 'PER DAY' };
    const width = (k: keyof typeof head) => Math.max(head[k].length, ...rows.map((r) => r[k].length));
    const line = (r: typeof head) => `${r.id.padEnd(width('id'))}  ${r.label.padEnd(width('label'))}  ${r.unit.padEnd(width('unit'))}  ${r.category.padEnd(width('category'))}  ${r.daily}`;
    io.out(line(head));
    for (const r of rows) io.out(line(r));
    io.out('');
    io.out('UNIT is the unit values are stored and queried in (fraction: 0 to 1). PER DAY is how a day’s value is made from its samples:');
    for (const daily of new Set(rows.map((r) => r.daily))) io.out(`  ${daily.padEnd(width('daily'))}  ${PER_DAY[daily]}`);
    io.out('Use the METRIC id with `vitalsync query`.');
    return 0;
  },
};
