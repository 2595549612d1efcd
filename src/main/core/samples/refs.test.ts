// Revision by provider record (SampleRecord.ref): a record written again replaces its earlier
// version, row by row, through the one sample writer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCountsByOrigin } from '../status';
import { tempCore } from '../test/tempCore';
import { HOME_ZONE, SampleWriter, type SampleRecord } from '.';

let core: ReturnType<typeof tempCore>;
let writer: SampleWriter;
beforeEach(() => {
  core = tempCore();
  writer = new SampleWriter(core.db.$client, 'withings');
});
afterEach(() => core.cleanup());

const T = Date.parse('2024-03-08T06:00:00Z');
const scale = { name: 'Body+', deviceKind: 'scale' };
const measure = (rawType: string, value: number, ref: string | undefined, refVersion?: number): SampleRecord => ({
  rawType,
  metric: rawType,
  unit: 'kg',
  origin: scale,
  startMs: T,
  endMs: T,
  zone: HOME_ZONE,
  value,
  ...(ref ? { ref, refVersion } : {}),
});
const write = (...s: SampleRecord[]) => core.db.$client.transaction(() => writer.write(s, [], 'sync:1'))();
const stored = () =>
  core.db.$client
    .prepare('SELECT s.id, t.raw_type AS raw, s.value, r.ref, r.version FROM samples s JOIN sample_types t ON t.id = s.type_id LEFT JOIN sample_refs r ON r.sample_id = s.id ORDER BY s.id')
    .all() as { id: number; raw: string; value: number; ref: string | null; version: number | null }[];

describe('a provider record written again', () => {
  it('keeps its unchanged rows, deletes the rows no longer in it and inserts the new ones', () => {
    expect(write(measure('weight', 91.4, 'meas:401', 100), measure('fat_mass', 20, 'meas:401', 100))).toMatchObject({ inserted: 2, replaced: 0 });
    const [, fat] = stored();
    expect(write(measure('weight', 81.4, 'meas:401', 200), measure('fat_mass', 20, 'meas:401', 200))).toMatchObject({ inserted: 1, duplicates: 1, replaced: 1, fromMs: T, toMs: T });
    expect(stored()).toEqual([
      { ...fat, version: 200 },
      { id: expect.any(Number), raw: 'weight', value: 81.4, ref: 'meas:401', version: 200 },
    ]);
    expect(stored()[1].id).toBeGreaterThan(fat.id);
  });

  it('the same version again changes nothing; an older version arriving late is ignored', () => {
    write(measure('weight', 81.4, 'meas:401', 200));
    expect(write(measure('weight', 81.4, 'meas:401', 200))).toMatchObject({ inserted: 0, duplicates: 1, replaced: 0 });
    expect(write(measure('weight', 91.4, 'meas:401', 100))).toMatchObject({ inserted: 0, duplicates: 1, replaced: 0 });
    expect(stored().map((r) => r.value)).toEqual([81.4]);
  });

  it('a row stored before records were tracked joins its record instead of being written twice', () => {
    write(measure('weight', 91.4, undefined));
    const [old] = stored();
    expect(write(measure('weight', 91.4, 'meas:401', 100))).toMatchObject({ inserted: 0, duplicates: 1 });
    expect(stored()).toEqual([{ ...old, ref: 'meas:401', version: 100 }]);
    // So its edit replaces it.
    expect(write(measure('weight', 81.4, 'meas:401', 200))).toMatchObject({ inserted: 1, replaced: 1 });
    expect(stored().map((r) => r.value)).toEqual([81.4]);
  });

  it('after a complete read, rows no record holds are dropped, and only of the stream’s types', () => {
    write(measure('weight', 95, undefined), measure('weight', 81.4, 'meas:401', 200), { ...measure('sleep.score', 80, undefined), startMs: T + 1 });
    const dropped = core.db.$client.transaction(() => writer.dropUnreferenced((raw) => raw === 'weight'))();
    expect(dropped).toMatchObject({ replaced: 1, fromMs: T, toMs: T });
    expect(stored().map((r) => [r.raw, r.value]).sort()).toEqual([
      ['sleep.score', 80],
      ['weight', 81.4],
    ]);
  });

  it('sample counts per origin stay right through replacements (sample_count_cache and its delete trigger)', () => {
    write(measure('weight', 91.4, 'meas:401', 100), measure('fat_mass', 20, 'meas:401', 100));
    const counted = sampleCountsByOrigin(core.db);
    expect([...counted.values()]).toEqual([2]);
    write(measure('weight', 81.4, 'meas:401', 200));
    const full = core.db.$client.prepare('SELECT origin_id AS id, count(*) AS n FROM samples GROUP BY origin_id').all() as { id: number; n: number }[];
    expect(full.map((r) => r.n)).toEqual([1]);
    expect(sampleCountsByOrigin(core.db)).toEqual(new Map(full.map((r) => [r.id, r.n])));
  });

  it('deleting a source’s data takes its record ties with it', () => {
    write(measure('weight', 81.4, 'meas:401', 200));
    core.db.$client.prepare('DELETE FROM samples').run();
    expect((core.db.$client.prepare('SELECT count(*) AS n FROM sample_refs').get() as { n: number }).n).toBe(0);
  });
});

describe('daily totals of provider records', () => {
  const night = (ref: string, start: number, value: number): SampleRecord => ({
    rawType: 'sleep.total.light',
    metric: 'sleep',
    unit: 'min',
    origin: { name: 'Sleep Analyzer', deviceKind: 'sleep_mat' },
    startMs: start,
    endMs: start + 3_600_000,
    zone: HOME_ZONE,
    day: 19792,
    value,
    category: 'light',
    ref,
  });

  it('two records with a total for one date (a night and a nap) both stay, and each is revised on its own', () => {
    write(night('sleep:1', T - 8 * 3_600_000, 240), night('sleep:2', T + 6 * 3_600_000, 60));
    expect(stored().map((r) => [r.ref, r.value])).toEqual([
      ['sleep:1', 240],
      ['sleep:2', 60],
    ]);
    expect(write(night('sleep:2', T + 6 * 3_600_000, 75))).toMatchObject({ inserted: 1, replaced: 1 });
    expect(stored().map((r) => [r.ref, r.value])).toEqual([
      ['sleep:1', 240],
      ['sleep:2', 75],
    ]);
  });

  it('a record replaces a row of its day stored before records existed', () => {
    const { ref: _ref, ...legacy } = night('sleep:1', T - 8 * 3_600_000, 200);
    write(legacy);
    expect(write(night('sleep:1', T - 8 * 3_600_000, 240))).toMatchObject({ inserted: 1, replaced: 1 });
    expect(stored().map((r) => [r.ref, r.value])).toEqual([['sleep:1', 240]]);
  });
});

describe('a day total written again with other midnights (the home zone changed in between)', () => {
  const spo2 = (start: number, ref?: string): SampleRecord => ({
    rawType: 'daily_spo2.average',
    metric: 'spo2',
    unit: 'fraction',
    origin: { name: 'Oura Ring', deviceKind: 'ring' },
    startMs: start,
    endMs: start + 86_400_000,
    zone: HOME_ZONE,
    day: 19792,
    value: 0.97,
    ...(ref ? { ref } : {}),
  });
  const utcMidnight = Date.UTC(2024, 2, 10);
  const parisMidnight = utcMidnight - 3_600_000;

  it('is the same fact: nothing inserted or replaced, with or without a record', () => {
    write(spo2(utcMidnight));
    expect(write(spo2(parisMidnight))).toMatchObject({ inserted: 0, replaced: 0, duplicates: 1 });
    write(spo2(utcMidnight, 'spo2:2024-03-10'));
    expect(write(spo2(parisMidnight, 'spo2:2024-03-10'))).toMatchObject({ inserted: 0, replaced: 0, duplicates: 1 });
    expect(stored()).toHaveLength(1);
  });
});
