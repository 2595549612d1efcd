// The MyFitnessPal importer end to end: a real core, a real SQLite file, the real worker threads.
// The home zone is St John's (UTC−2:30 in summer time, −3:30 after 3 November 2024, a 25-hour
// date): every expected instant below is worked out by hand from it and from the fixtures.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ImportPreview, Series, WorkoutItem } from '../../../../shared/contract';
import { DEFAULT_LIMITS } from '../protocol';
import { openInput } from '../input';
import { insertWorkouts } from '../../test/samples';
import { call, fx, importCores } from '../test/importCores';
import { myFitnessPalImporter } from './importer';

const here = path.dirname(fileURLToPath(import.meta.url));
const EXPORT = path.join(here, 'fixtures/File-Export-2024-11-01-to-2024-11-03');
const NUTRITION = path.join(EXPORT, 'Nutrition-Summary-2024-11-01-to-2024-11-03.csv');
const REEXPORT = path.join(here, 'fixtures/reexport/Nutrition-Summary-2024-10-31-to-2024-11-01.csv');
const WEIGHT_ALONE = path.join(here, 'fixtures/Measurement-Summary-2019-05-01-to-2019-05-02.csv');
const WITH_TIME = path.join(here, 'fixtures/Nutrition-Summary-2018-with-time.csv');
const ZONE = 'America/St_Johns';
const { newCore, importFile } = importCores({ homeTimeZone: ZONE });

const dayOf = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000;
/** St John's midnights in summer time (NDT, UTC−2:30): 02:30 UTC. */
const ndtMidnight = (iso: string) => Date.parse(`${iso}T02:30:00Z`);

type Row = { raw: string; metric: string | null; unit: string; start: number; end: number; value: number; day: number | null; zone: string | null; origin: string; kind: string };
function stored(core: ReturnType<typeof newCore>): Row[] {
  return core.db.$client
    .prepare(
      `SELECT t.raw_type AS raw, t.metric, t.unit, s.start_ms AS start, s.end_ms AS end, s.value, s.day, z.name AS zone, o.name AS origin, o.device_kind AS kind
       FROM samples s JOIN sample_types t ON t.id = s.type_id JOIN origins o ON o.id = s.origin_id LEFT JOIN zones z ON z.id = s.zone_id
       ORDER BY s.start_ms, t.raw_type`,
    )
    .all() as Row[];
}
const find = (rows: Row[], raw: string, date: string) => rows.filter((r) => r.raw === raw && r.day === dayOf(date));

type WRow = { type: string; start: number; end: number; durationS: number; kcal: number | null; details: string; zone: string | null };
function workouts(core: ReturnType<typeof newCore>): WRow[] {
  return core.db.$client
    .prepare(
      `SELECT w.activity_type AS type, w.start_ms AS start, w.end_ms AS end, w.duration_s AS durationS, w.energy_kcal AS kcal, w.details_json AS details, z.name AS zone
       FROM workouts w LEFT JOIN zones z ON z.id = w.zone_id ORDER BY w.start_ms, w.activity_type`,
    )
    .all() as WRow[];
}

describe('MyFitnessPal import', () => {
  it('sums each date’s meals into its totals, makes workouts of exercise entries, reads weights in the Exercise-Summary’s pounds, and reports bad cells', async () => {
    const core = newCore();
    const job = await importFile(core, EXPORT);
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(job.kind).toBe('myfitnesspal');
    const rows = stored(core);
    // Nutrition: 17 nutrient columns on 1 and 2 November, 16 on 3 November (its Calories cell
    // "abc" leaves that total out) = 50; weights on 1 and 3 November (2 November empty, 4 "heavy") = 2.
    expect(rows).toHaveLength(52);
    expect(job.summary.samples).toEqual({ inserted: 52, duplicates: 0 });
    const one = (raw: string, date: string) => {
      const r = find(rows, raw, date);
      expect(r, `${raw} on ${date}`).toHaveLength(1);
      return r[0];
    };
    // 1 November: 518.0 + 489.0 + 628.8 = 1635.8 kcal, spanning St John's midnights (UTC−2:30), home zone (null).
    expect(one('nutrition:Calories', '2024-11-01')).toEqual({
      raw: 'nutrition:Calories', metric: 'dietary_energy', unit: 'kcal', start: ndtMidnight('2024-11-01'), end: ndtMidnight('2024-11-02'),
      value: 1635.8, day: dayOf('2024-11-01'), zone: null, origin: 'MyFitnessPal', kind: 'app',
    });
    expect(one('nutrition:Fat (g)', '2024-11-01')).toMatchObject({ metric: 'fat', unit: 'g', value: 60.7 }); // 29.0 + 14.6 + 17.1
    expect(one('nutrition:Sodium (mg)', '2024-11-01')).toMatchObject({ metric: 'sodium', unit: 'mg', value: 576 }); // 574.5 + 1.5 + 0.0
    expect(one('nutrition:Carbohydrates (g)', '2024-11-01')).toMatchObject({ metric: 'carbohydrates', value: 139.6 }); // 36.7 + 62.0 + 40.9
    expect(one('nutrition:Fiber', '2024-11-01')).toMatchObject({ metric: 'fiber', unit: 'g', value: 10.9 }); // 2.1 + 6.7 + 2.1
    expect(one('nutrition:Sugar', '2024-11-01')).toMatchObject({ metric: 'sugar', unit: 'g', value: 39.7 }); // 14.1 + 20.9 + 4.7
    expect(one('nutrition:Protein (g)', '2024-11-01')).toMatchObject({ metric: 'protein', value: 87.3 }); // 27.6 + 34.8 + 24.9
    expect(one('nutrition:Vitamin A', '2024-11-01')).toMatchObject({ metric: null, unit: '%DV', value: 10 }); // 0 + 10 + 0
    expect(one('nutrition:Cholesterol', '2024-11-01')).toMatchObject({ metric: null, unit: 'mg', value: 0 });
    // 2 November: quoted thousands ("1,476.0", "1,027.6") and a note running over two unquoted lines.
    expect(one('nutrition:Calories', '2024-11-02').value).toBe(1878.4); // 402.4 + 1476.0
    expect(one('nutrition:Potassium', '2024-11-02')).toMatchObject({ unit: 'mg', value: 1227.6 }); // 1027.6 + 200.0
    expect(one('nutrition:Cholesterol', '2024-11-02').value).toBe(85); // 0.0 + 85.0
    // 3 November: no Calories total (one meal's cell is "abc"), the other totals of both meals.
    expect(find(rows, 'nutrition:Calories', '2024-11-03')).toEqual([]);
    expect(one('nutrition:Protein (g)', '2024-11-03').value).toBe(45); // 20.0 + 25.0
    // Weights in pounds (the Exercise-Summary's "Pounds" column): 178.4 lb × 0.45359237 = 80.9209 kg, 177.4 lb = 80.4673 kg.
    expect(one('measurement:Weight', '2024-11-01')).toMatchObject({ metric: 'weight', unit: 'kg', value: 80.9209, start: ndtMidnight('2024-11-01') });
    expect(one('measurement:Weight', '2024-11-03')).toMatchObject({ value: 80.4673 });

    // Workouts: the calorie adjustment is none; two identical strength entries are one workout of
    // 42 + 42 = 84 min and 175 + 175 = 350 kcal; the run with "lots" of calories is reported and
    // kept without its calories (30 min).
    const w = workouts(core);
    expect(w.map((x) => [x.type, x.start, x.end, x.durationS, x.kcal, x.zone])).toEqual([
      ['Walking, 3.5 mph, brisk pace', ndtMidnight('2024-11-01'), ndtMidnight('2024-11-02'), 18 * 60, 178, null],
      ['Bench Press', ndtMidnight('2024-11-02'), ndtMidnight('2024-11-03'), 0, 0, null],
      ['Strength training (weight lifting, weight training)', ndtMidnight('2024-11-02'), ndtMidnight('2024-11-03'), 84 * 60, 350, null],
      // 3 November has 25 hours (summer time ends at 02:00): the session ends 24 hours after its
      // midnight (02:30 UTC on the 4th), not at the next midnight (03:30 UTC), so it is no "impossible" 25-hour workout.
      ['Elliptical Trainer', ndtMidnight('2024-11-03'), ndtMidnight('2024-11-04'), 15 * 60, 192, null],
      ['Running (jogging), 5 mph (12 min mile)', ndtMidnight('2024-11-03'), ndtMidnight('2024-11-03') + 24 * 3_600_000, 30 * 60, null, null],
    ]);
    // Bench press: 3 sets × 10 reps = 30 reps, 135 lb × 0.45359237 = 61.23 kg.
    expect(JSON.parse(w[1].details)).toMatchObject({ type: 'Strength', sets: 3, reps: 30, weightKg: 61.23, entries: 1 });
    expect(JSON.parse(w[2].details)).toMatchObject({ type: 'Cardio', entries: 2, sets: null, steps: null });
    expect(job.summary.workouts).toEqual({ inserted: 5, duplicates: 0 });
    expect(job.summary.notes['calorie adjustments from a linked tracker skipped (not workouts)']).toBe(1);

    expect(job.summary.rejected.total).toBe(3);
    expect(job.summary.rowErrors).toEqual([
      { entry: 'Exercise-Summary-2024-11-01-to-2024-11-03.csv', row: 8, column: 'Exercise Calories', reason: '"lots" is not a number' },
      { entry: 'Measurement-Summary-2024-11-01-to-2024-11-03.csv', row: 5, column: 'Weight', reason: '"heavy" is not a number' },
      { entry: 'Nutrition-Summary-2024-11-01-to-2024-11-03.csv', row: 9, column: 'Calories', reason: '"abc" is not an amount; this date\'s Calories total is left out' },
    ]);

    const again = await importFile(core, EXPORT);
    expect(again.status).toBe('completed');
    expect(again.summary.samples).toEqual({ inserted: 0, duplicates: 52 });
    expect(again.summary.workouts).toEqual({ inserted: 0, duplicates: 5 });
    expect(stored(core)).toHaveLength(52);
  });

  it('a later export of a longer range replaces a date’s totals instead of adding to them', async () => {
    const core = newCore();
    await importFile(core, NUTRITION);
    const job = await importFile(core, REEXPORT);
    expect(job.status).toBe('completed');
    const rows = stored(core);
    // 1 November gained a 400 kcal dinner: 1635.8 + 400.0 = 2035.8, one row, not 1635.8 beside it.
    expect(find(rows, 'nutrition:Calories', '2024-11-01').map((r) => r.value)).toEqual([2035.8]);
    expect(find(rows, 'nutrition:Protein (g)', '2024-11-01').map((r) => r.value)).toEqual([117.3]); // 87.3 + 30.0
    expect(find(rows, 'nutrition:Calories', '2024-10-31').map((r) => r.value)).toEqual([250]);
    // 50 from the first export + 17 for 31 October; 1 November's 17 replaced in place. Of them,
    // 8 changed (Calories, Fat, Saturated Fat, Sodium, Carbohydrates, Fiber, Sugar, Protein: the
    // dinner's non-zero cells), 9 are the same values.
    expect(rows).toHaveLength(67);
    expect(job.summary.samples).toEqual({ inserted: 17 + 8, duplicates: 9 });
  });

  it('reads the 2018 layout with a Time column, several rows per meal summed into the date', async () => {
    const core = newCore();
    const job = await importFile(core, WITH_TIME);
    expect(job.status).toBe('completed');
    const rows = stored(core);
    expect(find(rows, 'nutrition:Calories', '2018-07-01').map((r) => r.value)).toEqual([448.3]); // 40.0 + 123.0 + 285.3
    expect(find(rows, 'nutrition:Fat (g)', '2018-07-01').map((r) => r.value)).toEqual([28]); // 0.6 + 8.1 + 19.3
  });

  it('asks for the weight unit when the export never says it, and reads the weights in the unit chosen', async () => {
    const core = newCore();
    const preview = await call<ImportPreview>(core, 'imports:preview', { path: WEIGHT_ALONE });
    expect(preview.recognised.map((r) => r.importer)).toEqual(['myfitnesspal', 'csv']);
    expect(preview.needs).toEqual(['weightUnit']);
    const refused = await importFile(core, WEIGHT_ALONE);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/without their unit.*Choose the unit your MyFitnessPal account uses \(kg or lb\) on the Imports page, or run the import again with --weight-unit kg/);
    expect(stored(core)).toEqual([]);
    const job = await importFile(core, WEIGHT_ALONE, {}, { weightUnit: 'kg' });
    expect(job.status).toBe('completed');
    expect(stored(core).map((r) => [r.raw, r.value, r.day])).toEqual([
      ['measurement:Weight', 81.5, dayOf('2019-05-01')],
      ['measurement:Weight', 81.1, dayOf('2019-05-02')],
    ]);
  });

  it('a date-only workout never counts beside a watch’s session of the same activity that date', async () => {
    const core = newCore();
    await importFile(core, EXPORT);
    // The watch's walk on 1 November, 10:00–10:30 St John's time (UTC−2:30).
    insertWorkouts(core, [{ source: 'apple_health', origin: 'Apple Watch', deviceKind: 'watch', activityType: 'Walking', start: '2024-11-01T10:00:00-02:30', end: '2024-11-01T10:30:00-02:30' }]);
    const list = async () =>
      (await call<WorkoutItem[]>(core, 'metrics:workouts', { from: '2024-11-01', to: '2024-11-01' })).map((x) => [x.source, x.activityType, x.counted, x.durationMin, x.duplicates.map((d) => d.source)]);
    const minutes = async () => (await call<Series>(core, 'metrics:series', { metric: 'workouts', from: '2024-11-01', to: '2024-11-01', bucket: 'day' })).buckets[0]?.value;
    await call(core, 'prefs:set', { category: 'workouts', sources: ['apple_health', 'myfitnesspal'], fillGaps: true });
    // Overlap 30 min of the shorter 30-minute session = 100 % ≥ 50 %: one walk, the watch's 30
    // minutes, with MyFitnessPal's entry as its copy (not 30 + 18 = 48).
    expect(await list()).toEqual([['apple_health', 'Walking', true, 30, ['myfitnesspal']]]);
    expect(await minutes()).toBe(30);
    await call(core, 'prefs:set', { category: 'workouts', sources: ['myfitnesspal', 'apple_health'], fillGaps: true });
    expect(await list()).toEqual([['myfitnesspal', 'Walking, 3.5 mph, brisk pace', true, 18, ['apple_health']]]);
    expect(await minutes()).toBe(18);
  });
});

describe('MyFitnessPal recognition', () => {
  const sniff = async (p: string) => {
    const input = await openInput(p, DEFAULT_LIMITS);
    try {
      return await myFitnessPalImporter.sniff(input);
    } finally {
      input.close();
    }
  };

  it('recognises the export folder and each of its files alone by their columns', async () => {
    expect(await sniff(EXPORT)).toEqual({
      importer: 'myfitnesspal',
      entries: [
        { path: 'Exercise-Summary-2024-11-01-to-2024-11-03.csv', kind: 'Exercise-Summary' },
        { path: 'Measurement-Summary-2024-11-01-to-2024-11-03.csv', kind: 'Measurement-Summary' },
        { path: 'Nutrition-Summary-2024-11-01-to-2024-11-03.csv', kind: 'Nutrition-Summary' },
      ],
      description: 'MyFitnessPal export: exercise, weight, nutrition',
    });
    expect((await sniff(NUTRITION))?.entries).toEqual([{ path: 'Nutrition-Summary-2024-11-01-to-2024-11-03.csv', kind: 'Nutrition-Summary' }]);
    expect((await sniff(WEIGHT_ALONE))?.entries).toEqual([{ path: 'Measurement-Summary-2019-05-01-to-2019-05-02.csv', kind: 'Measurement-Summary' }]);
  });

  it('leaves other exports alone: the generic CSV fixture and Apple Health exports', async () => {
    expect(await sniff(path.join(here, '../generic-csv/fixtures/mixed.csv'))).toBeNull();
    expect(await sniff(fx('export-v3.xml'))).toBeNull();
    expect(await sniff(fx('export-gpx-route'))).toBeNull();
  });
});
