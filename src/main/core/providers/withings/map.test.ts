// Withings records → samples, and how they land through core/samples: what is asked for and
// mapped, daily grain, who a measure belongs to. Expected instants and days are worked out by
// hand in the comments, not with the zone code under test.
import { afterEach, describe, expect, it } from 'vitest';
import { getSource } from '../../../../shared/catalog';
import { UNASSIGNED_DEVICE_KIND } from '../../../../shared/sourceKey';
import { SampleWriter } from '../../samples';
import type { EndpointContext } from '../../sync/adapter';
import { tempCore } from '../../test/tempCore';
import { withingsAdapter } from '.';
import { MAPPED_METRICS, mapActivity, mapMeasureGroups, mapSleepNight, MEASTYPES, MEASURE_TYPES } from './map';

describe('what VitalSync asks Withings for', () => {
  it('every metric Withings supplies in the catalog comes from some mapping, and every mapping is in the catalog', () => {
    const catalog = new Set<string>(getSource('withings')!.metrics);
    const mapped = new Set<string>(Object.values(MAPPED_METRICS).flat());
    expect([...catalog].filter((m) => !mapped.has(m))).toEqual([]);
    expect([...mapped].filter((m) => !catalog.has(m))).toEqual([]);
  });

  it('MAPPED_METRICS is what the activity and sleep mappings really write', () => {
    const written = (rows: { metric: string | null }[]) => new Set(rows.flatMap((r) => (r.metric ? [r.metric] : [])));
    const day = { date: '2025-10-21', timezone: 'Europe/Paris', steps: 1, distance: 1, calories: 1, totalcalories: 1, elevation: 1, soft: 1, moderate: 1, intense: 1 };
    expect(written(mapActivity([day], 'UTC'))).toEqual(new Set(MAPPED_METRICS.activity));
    const n = { id: 1, startdate: 1000, enddate: 4600, date: '1970-01-01', data: { sleep_score: 80, rr_average: 14, hr_average: 55, lightsleepduration: 3000, wakeupduration: 600 } };
    const sleep = written([...mapSleepNight(n, [], 'UTC'), ...mapSleepNight(n, [{ startdate: 1000, enddate: 4600, state: 2 }], 'UTC')]);
    expect(sleep).toEqual(new Set(MAPPED_METRICS.sleep));
    expect(MAPPED_METRICS.measures).toEqual(Object.values(MEASURE_TYPES).flatMap((t) => (t.metric ? [t.metric] : [])));
  });

  it('every mapped measure type is in the meastypes VitalSync requests, VO2max (123) among them', async () => {
    // What the measures stream really sends.
    let form: Record<string, string> = {};
    const http = {
      request: (req: { form: Record<string, string> }) => {
        form = req.form;
        return Promise.resolve({ measuregrps: [], more: 0 });
      },
    };
    const measures = withingsAdapter.endpoints.find((e) => e.id === 'measures')!;
    await measures.page(null, { http, config: { apiBase: 'http://withings.invalid' }, runStartedSec: 1, homeZone: 'UTC' } as unknown as EndpointContext);
    expect(form).toMatchObject({ action: 'getmeas', meastypes: MEASTYPES, category: '1' });
    const requested = new Set(form.meastypes.split(',').map(Number));
    for (const type of Object.keys(MEASURE_TYPES).map(Number)) expect(requested.has(type), `meastype ${type}`).toBe(true);
    expect(MEASURE_TYPES[123]).toMatchObject({ metric: 'vo2max', unit: 'mL/kg/min' });
    // A measure VitalSync maps arrives with its metric.
    const [vo2] = mapMeasureGroups({ timezone: 'Europe/Paris', measuregrps: [{ grpid: 1, category: 1, attrib: 0, date: 1_700_000_000, model: 'ScanWatch', measures: [{ value: 452, type: 123, unit: -1 }] }] });
    expect(vo2).toMatchObject({ metric: 'vo2max', value: 45.2, origin: { name: 'ScanWatch', deviceKind: 'watch' } });
  });
});

describe('who a measure belongs to', () => {
  it('attrib 1 (a device measure that may be someone else’s) goes to an unassigned origin; 0 to the device; 2 to manual entry', () => {
    const rows = mapMeasureGroups({
      timezone: 'Europe/Paris',
      measuregrps: [0, 1, 2, 8].map((attrib, i) => ({ grpid: 10 + i, attrib, category: 1, date: 1_709_791_200 + i, model: 'Body+', measures: [{ value: 80_000, type: 1, unit: -3 }] })),
    });
    expect(rows.map((r) => [r.origin.name, r.origin.deviceKind, r.ref])).toEqual([
      ['Body+', 'scale', 'meas:10'],
      ['Body+ (unassigned)', UNASSIGNED_DEVICE_KIND, 'meas:11'],
      ['Manual entry', 'manual', 'meas:12'],
      ['Body+', 'scale', 'meas:13'],
    ]);
    expect(rows[0].zone).toEqual({ name: 'Europe/Paris', src: 2 });
    // No zone from Withings: the home zone (id 0, resolved when days are computed).
    expect(mapMeasureGroups({ measuregrps: [{ category: 1, attrib: 0, date: 1, measures: [{ value: 1, type: 1, unit: 0 }] }] })[0].zone).toEqual({ name: null, src: 0 });
  });
});

describe('daily grain', () => {
  let env: ReturnType<typeof tempCore> | null = null;
  afterEach(() => {
    env?.cleanup();
    env = null;
  });
  const stepRows = () =>
    env!.db.$client
      .prepare(
        `SELECT s.value, s.start_ms AS startMs, s.end_ms AS endMs, s.day, z.name AS zone FROM samples s JOIN sample_types t ON t.id = s.type_id
         LEFT JOIN zones z ON z.id = s.zone_id WHERE t.metric = 'steps' ORDER BY s.id`,
      )
      .all() as { value: number; startMs: number; endMs: number; day: number; zone: string }[];

  it('a day Withings revises after the person changed zone is one row: 5,000 then 9,000 gives 9,000', () => {
    env = tempCore();
    const writer = new SampleWriter(env.db.$client, 'withings');
    // 2025-03-10 lived in Paris (UTC+1): 2025-03-09T23:00Z to 2025-03-10T23:00Z.
    const first = writer.write(mapActivity([{ date: '2025-03-10', timezone: 'Europe/Paris', steps: 5000, model: 'ScanWatch' }], 'UTC'), [], 'sync:1');
    expect(first).toMatchObject({ inserted: 1, replaced: 0 });
    // Withings now files that date under New York (EDT since 9 March, UTC-4): 04:00Z to 04:00Z.
    const second = writer.write(mapActivity([{ date: '2025-03-10', timezone: 'America/New_York', steps: 9000, model: 'ScanWatch' }], 'UTC'), [], 'sync:2');
    expect(second).toMatchObject({ inserted: 1, replaced: 1 });
    // 2025-03-10 is epoch day 20157: 2025-01-01 is 55 × 365 + 14 leap days = 20089, plus 31 + 28 + 9.
    expect(stepRows()).toEqual([{ value: 9000, startMs: Date.parse('2025-03-10T04:00:00Z'), endMs: Date.parse('2025-03-11T04:00:00Z'), day: 20157, zone: 'America/New_York' }]);
    // The same total again is a duplicate, not a revision.
    expect(writer.write(mapActivity([{ date: '2025-03-10', timezone: 'America/New_York', steps: 9000, model: 'ScanWatch' }], 'UTC'), [], 'sync:3')).toMatchObject({ inserted: 0, duplicates: 1, replaced: 0 });
  });

  it('Paris 2025-10-26 (25 hours, summer time ends) with 25,000 steps is one row for that date', () => {
    env = tempCore();
    const writer = new SampleWriter(env.db.$client, 'withings');
    writer.write(mapActivity([{ date: '2025-10-26', timezone: 'Europe/Paris', steps: 25_000, model: 'ScanWatch' }], 'UTC'), [], 'sync:1');
    // Midnight in CEST (UTC+2) to midnight in CET (UTC+1); epoch day 20089 + 298 (26 October is day 299) = 20387.
    expect(stepRows()).toEqual([{ value: 25_000, startMs: Date.parse('2025-10-25T22:00:00Z'), endMs: Date.parse('2025-10-26T23:00:00Z'), day: 20387, zone: 'Europe/Paris' }]);
  });

  it('a day that names no zone gets its midnights from the home zone, and the home zone as its zone', () => {
    const [row] = mapActivity([{ date: '2025-10-26', steps: 100 }], 'Asia/Tokyo');
    // Tokyo is UTC+9 all year: 2025-10-25T15:00Z to 2025-10-26T15:00Z.
    expect(row).toMatchObject({ startMs: Date.parse('2025-10-25T15:00:00Z'), endMs: Date.parse('2025-10-26T15:00:00Z'), day: 20387, zone: { name: null, src: 0 } });
  });
});

describe('a night of sleep', () => {
  const night = {
    id: 9201,
    timezone: 'Europe/Paris',
    startdate: 1_711_144_800,
    enddate: 1_711_173_600,
    date: '2024-03-23',
    modified: 1_711_174_200,
    data: { total_sleep_time: 25_200, lightsleepduration: 14_400, deepsleepduration: 5400, remsleepduration: 5400, wakeupduration: 2400, sleep_score: 81 },
  };

  it('without segments: the summary’s minutes per stage, as totals of its date spanning the night', () => {
    const rows = mapSleepNight(night, [], 'UTC').filter((r) => r.day !== undefined);
    // 2024-03-23: 2024-01-01 is 20089 - 366 = 19723 (2024 is a leap year), plus 31 + 29 + 22 = 19805.
    expect(rows.map((r) => [r.category, r.value, r.day, r.startMs, r.endMs])).toEqual([
      ['light', 240, 19805, 1_711_144_800_000, 1_711_173_600_000],
      ['deep', 90, 19805, 1_711_144_800_000, 1_711_173_600_000],
      ['rem', 90, 19805, 1_711_144_800_000, 1_711_173_600_000],
      ['awake', 40, 19805, 1_711_144_800_000, 1_711_173_600_000],
    ]);
    expect(new Set(rows.map((r) => r.ref))).toEqual(new Set(['sleep:9201']));
  });

  it('with segments: the stages come from them and the summary’s durations are not stored', () => {
    const rows = mapSleepNight(night, [{ startdate: 1_711_144_800, enddate: 1_711_173_600, state: 1 }], 'UTC');
    expect(rows.filter((r) => r.metric === 'sleep' && r.category !== 'in_bed').map((r) => [r.rawType, r.category, r.day])).toEqual([['sleep.stage', 'light', undefined]]);
  });
});
