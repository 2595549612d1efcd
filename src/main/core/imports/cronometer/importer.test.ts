// The Cronometer importer end to end: a real core, a real SQLite file, the real worker threads.
// Home zone Paris: 31 March 2024 is a 23-hour date (summer time from 02:00), so a date-only
// value of it spans 23:00 UTC on the 30th to 22:00 UTC on the 31st. Every expected value below
// is worked out by hand from the fixtures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../protocol';
import { nothingInFile } from '../writer';
import { openInput } from '../input';
import { fx, importCores } from '../test/importCores';
import { myFitnessPalImporter } from '../myfitnesspal/importer';
import { cronometerImporter } from './importer';

const here = path.dirname(fileURLToPath(import.meta.url));
const EXPORT = path.join(here, 'fixtures/export');
const SERVINGS_ONLY = path.join(here, 'fixtures/servings-only/servings.csv');
const { newCore, importFile } = importCores({ homeTimeZone: 'Europe/Paris' });

const dayOf = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000;
const at = (iso: string) => Date.parse(iso);

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
const find = (rows: Row[], raw: string, date: string | null) => rows.filter((r) => r.raw === raw && (date === null || r.day === dayOf(date)));

describe('Cronometer import', () => {
  it('reads daily totals, workouts, biometrics and notes from the export folder, reports bad cells, and adds nothing the second time', async () => {
    const core = newCore();
    const job = await importFile(core, EXPORT);
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(job.kind).toBe('cronometer');
    const rows = stored(core);
    // dailysummary: 13 nutrient columns (15 less Date and Completed) on 30 March, 12 on 31 March
    // (no caffeine), 12 on 1 April (its energy is "oops") = 37; biometrics: weight, 2 halves of a
    // blood pressure, body fat, heart rate, glucose, sleep, temperature = 8 (two bad rows). 45.
    expect(rows).toHaveLength(45);
    expect(job.summary.samples).toEqual({ inserted: 45, duplicates: 0 });
    const one = (raw: string, date: string | null) => {
      const r = find(rows, raw, date);
      expect(r, `${raw} on ${date}`).toHaveLength(1);
      return r[0];
    };
    // The servings beside the daily summary are not added (540.5 kcal of foods would count twice).
    expect(one('nutrition:Energy (kcal)', '2024-03-30')).toEqual({
      raw: 'nutrition:Energy (kcal)', metric: 'dietary_energy', unit: 'kcal', start: at('2024-03-29T23:00:00Z'), end: at('2024-03-30T23:00:00Z'),
      value: 2104.5, day: dayOf('2024-03-30'), zone: null, origin: 'Cronometer', kind: 'app',
    });
    expect(one('nutrition:Energy (kcal)', '2024-03-31')).toMatchObject({ value: 1850, start: at('2024-03-30T23:00:00Z'), end: at('2024-03-31T22:00:00Z') });
    expect(one('nutrition:Water (g)', '2024-03-30')).toMatchObject({ metric: 'water', unit: 'mL', value: 2350.2 }); // 1 g of water is 1 mL
    expect(one('nutrition:Caffeine (mg)', '2024-03-30')).toMatchObject({ metric: 'caffeine', unit: 'mg', value: 95 });
    expect(one('nutrition:Sugars (g)', '2024-03-30')).toMatchObject({ metric: 'sugar', value: 60.3 });
    expect(one('nutrition:B12 (Cobalamin) (µg)', '2024-03-30')).toMatchObject({ metric: null, unit: 'mcg', value: 4.1 });
    expect(one('nutrition:Vitamin A (IU)', '2024-03-30')).toMatchObject({ metric: null, unit: 'IU', value: 5200 });
    expect(find(rows, 'nutrition:Caffeine (mg)', '2024-03-31')).toEqual([]);
    expect(find(rows, 'nutrition:Energy (kcal)', '2024-04-01')).toEqual([]);
    expect(one('nutrition:Protein (g)', '2024-04-01').value).toBe(50);

    // Biometrics: 07:00 in Paris on 30 March (UTC+1) is 06:00 UTC, in the record's zone.
    expect(one('biometric:Weight', null)).toMatchObject({ metric: 'weight', unit: 'kg', value: 81.6466, start: at('2024-03-30T06:00:00Z'), end: at('2024-03-30T06:00:00Z'), day: null, zone: 'Europe/Paris' }); // 180 lb × 0.45359237
    expect(one('biometric:Blood Pressure (systolic)', null)).toMatchObject({ metric: 'blood_pressure_systolic', unit: 'mmHg', value: 120, start: at('2024-03-30T06:05:00Z') });
    expect(one('biometric:Blood Pressure (diastolic)', null)).toMatchObject({ metric: 'blood_pressure_diastolic', value: 80, start: at('2024-03-30T06:05:00Z') });
    expect(one('biometric:Body Fat', '2024-03-30')).toMatchObject({ metric: 'body_fat', unit: 'fraction', value: 0.225, zone: null }); // 22.5 %, a day's value
    // 08:00 in Paris on 31 March is summer time (UTC+2): 06:00 UTC.
    expect(one('biometric:Heart Rate', null)).toMatchObject({ metric: 'heart_rate', value: 58, start: at('2024-03-31T06:00:00Z') });
    expect(one('biometric:Blood Glucose', null)).toMatchObject({ metric: 'blood_glucose', unit: 'mmol/L', value: 4.9957 }); // 90 / 18.01559
    expect(one('biometric:Body Temperature', '2024-03-31')).toMatchObject({ metric: 'body_temperature', unit: 'degC', value: 37 }); // (98.6 − 32) × 5/9
    expect(one('biometric:Sleep', '2024-03-31')).toMatchObject({ metric: null, unit: 'h', value: 7.5 });

    const w = core.db.$client
      .prepare('SELECT w.activity_type AS type, w.start_ms AS start, w.end_ms AS end, w.duration_s AS durationS, w.energy_kcal AS kcal, z.name AS zone FROM workouts w LEFT JOIN zones z ON z.id = w.zone_id ORDER BY w.start_ms')
      .all();
    expect(w).toEqual([
      // 07:30 in Paris on 30 March (UTC+1), 30 minutes; −350 kcal as the diary shows it is 350 burned.
      { type: 'Running', start: at('2024-03-30T06:30:00Z'), end: at('2024-03-30T07:00:00Z'), durationS: 30 * 60, kcal: 350, zone: 'Europe/Paris' },
      // The walk has no time: it spans its 23-hour date (31 March), in the home zone.
      { type: 'Walking', start: at('2024-03-30T23:00:00Z'), end: at('2024-03-31T22:00:00Z'), durationS: 45 * 60, kcal: 180, zone: null },
    ]);
    expect(job.summary.workouts).toEqual({ inserted: 2, duplicates: 0 });

    // The note over two unquoted lines is one note, with no row error; the quoted one with quotes too.
    expect(job.summary.notes['notes read; VitalSync does not store notes yet']).toBe(3);
    expect(job.summary.notes['servings files not summed (the daily summary beside them has the same totals)']).toBe(1);
    expect(job.summary.rejected.total).toBe(4);
    expect(job.summary.rowErrors).toEqual([
      { entry: 'biometrics.csv', row: 9, column: 'Unit', reason: '"furlongs" is not a unit Weight can be read in' },
      { entry: 'biometrics.csv', row: 10, column: 'Amount', reason: '"heavy" is not a number' },
      { entry: 'dailysummary.csv', row: 4, column: 'Energy (kcal)', reason: '"oops" is not an amount' },
      { entry: 'exercises.csv', row: 4, column: 'Minutes', reason: '"abc" is not a number' },
    ]);

    const again = await importFile(core, EXPORT);
    expect(again.status).toBe('completed');
    expect(again.summary.samples).toEqual({ inserted: 0, duplicates: 45 });
    expect(again.summary.workouts).toEqual({ inserted: 0, duplicates: 2 });
    expect(stored(core)).toHaveLength(45);
  });

  it('sums servings given alone into daily totals, which a daily summary imported later replaces', async () => {
    const core = newCore();
    const job = await importFile(core, SERVINGS_ONLY);
    expect(job.status).toBe('completed');
    let rows = stored(core);
    // 30 March: 190.00 + 350.50 = 540.5 kcal; protein 6.50 + 40.10 = 46.6; fat 3.50 + 20.20 = 23.7; sodium 1.00 + 150.50 = 151.5.
    expect(find(rows, 'nutrition:Energy (kcal)', '2024-03-30').map((r) => r.value)).toEqual([540.5]);
    expect(find(rows, 'nutrition:Protein (g)', '2024-03-30').map((r) => r.value)).toEqual([46.6]);
    expect(find(rows, 'nutrition:Fat (g)', '2024-03-30').map((r) => r.value)).toEqual([23.7]);
    expect(find(rows, 'nutrition:Sodium (mg)', '2024-03-30').map((r) => r.value)).toEqual([151.5]);
    // 31 March: 105.00 + 164.00 = 269 kcal; the almonds' fat is "x", so no fat total that date.
    expect(find(rows, 'nutrition:Energy (kcal)', '2024-03-31').map((r) => r.value)).toEqual([269]);
    expect(find(rows, 'nutrition:Fat (g)', '2024-03-31')).toEqual([]);
    expect(rows).toHaveLength(9); // 5 nutrients on 30 March + 4 on 31 March
    expect(job.summary.rowErrors).toEqual([{ entry: 'servings.csv', row: 5, column: 'Fat (g)', reason: '"x" is not an amount; this date\'s Fat (g) total is left out' }]);

    await importFile(core, path.join(EXPORT, 'dailysummary.csv'));
    rows = stored(core);
    expect(find(rows, 'nutrition:Energy (kcal)', '2024-03-30').map((r) => r.value)).toEqual([2104.5]);
    expect(find(rows, 'nutrition:Fat (g)', '2024-03-31').map((r) => r.value)).toEqual([60]);
    expect(find(rows, 'nutrition:Protein (g)', '2024-03-30').map((r) => r.value)).toEqual([120.6]);
  });
});

describe('an export with nothing in it', () => {
  it('a daily summary with only its header completes, adds nothing, and says the file held no rows', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-cronometer-empty-'));
    try {
      const header = fs.readFileSync(path.join(EXPORT, 'dailysummary.csv'), 'utf8').split('\n')[0];
      fs.writeFileSync(path.join(dir, 'dailysummary.csv'), `${header}\n`);
      const core = newCore();
      const job = await importFile(core, path.join(dir, 'dailysummary.csv'));
      expect(job.status).toBe('completed');
      expect(job.summary.samples).toEqual({ inserted: 0, duplicates: 0 });
      expect(job.summary.warnings).toEqual([nothingInFile('cronometer')]);
      expect(nothingInFile('cronometer')).toContain('holds no rows of data');
      // The same file with a row is not "empty": its re-import (all duplicates) says nothing of the kind.
      fs.writeFileSync(path.join(dir, 'dailysummary.csv'), fs.readFileSync(path.join(EXPORT, 'dailysummary.csv')));
      await importFile(core, path.join(dir, 'dailysummary.csv'));
      const again = await importFile(core, path.join(dir, 'dailysummary.csv'));
      expect(again.summary.samples.inserted).toBe(0);
      expect(again.summary.warnings).not.toContain(nothingInFile('cronometer'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Cronometer recognition', () => {
  const sniff = async (importer: typeof cronometerImporter, p: string) => {
    const input = await openInput(p, DEFAULT_LIMITS);
    try {
      return await importer.sniff(input);
    } finally {
      input.close();
    }
  };

  it('recognises each export by its columns, and MyFitnessPal never claims them', async () => {
    expect(await sniff(cronometerImporter, EXPORT)).toEqual({
      importer: 'cronometer',
      entries: [
        { path: 'biometrics.csv', kind: 'biometrics' },
        { path: 'dailysummary.csv', kind: 'dailysummary' },
        { path: 'exercises.csv', kind: 'exercises' },
        { path: 'notes.csv', kind: 'notes' },
        { path: 'servings.csv', kind: 'servings' },
      ],
      description: 'Cronometer export: biometrics, daily nutrition, exercises, notes, foods',
    });
    expect(await sniff(myFitnessPalImporter, EXPORT)).toBeNull();
    expect(await sniff(myFitnessPalImporter, SERVINGS_ONLY)).toBeNull();
  });

  it('leaves other exports alone: the generic CSV fixture, MyFitnessPal’s export, Apple Health', async () => {
    expect(await sniff(cronometerImporter, path.join(here, '../generic-csv/fixtures/mixed.csv'))).toBeNull();
    expect(await sniff(cronometerImporter, path.join(here, '../myfitnesspal/fixtures/File-Export-2024-11-01-to-2024-11-03'))).toBeNull();
    expect(await sniff(cronometerImporter, path.join(here, '../myfitnesspal/fixtures/Nutrition-Summary-2018-with-time.csv'))).toBeNull();
    expect(await sniff(cronometerImporter, fx('export-v3.xml'))).toBeNull();
  });
});
