// Garmin Connect's activities list (CSV) end to end: a real core, a real SQLite file, the real
// worker threads. Every expected figure is worked out by hand from the fixture, in the comment
// beside it (1 mi = 1.609344 km, 1 yd = 0.9144 m, 1 ft = 0.3048 m).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../../../shared/contract';
import { openInput } from '../input';
import { DEFAULT_LIMITS } from '../protocol';
import { call, fx, importCores, type TestCore } from '../test/importCores';
import { garminImporter } from './importer';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, 'fixtures', name);
const EN = fixture('activities-en-statute-spreadsheet.csv');
const DE = fixture('activities-de-decimal-comma.csv');
const FR = fixture('activities-fr.csv');
const ES = fixture('activities-es.csv');
const { newCore, importFile } = importCores({ homeTimeZone: 'America/New_York' });

type Row = { type: string; start: number; end: number; dur: number; km: number | null; kcal: number | null; avg: number | null; max: number | null; zone: string | null; details: Record<string, unknown> };
function workouts(core: TestCore): Row[] {
  return (
    core.db.$client
      .prepare(
        `SELECT w.activity_type AS type, w.start_ms AS start, w.end_ms AS "end", w.duration_s AS dur, w.distance_km AS km, w.energy_kcal AS kcal,
           w.avg_heart_rate AS avg, w.max_heart_rate AS max, z.name AS zone, w.details_json AS d
         FROM workouts w LEFT JOIN zones z ON z.id = w.zone_id ORDER BY w.start_ms`,
      )
      .all() as (Omit<Row, 'details'> & { d: string })[]
  ).map(({ d, ...r }) => ({ ...r, details: JSON.parse(d) as Record<string, unknown> }));
}

describe('Garmin Connect activities list (CSV)', () => {
  it('reads a statute account re-saved by a spreadsheet: miles, a swim in yards, feet, "1,476", local times across a DST switch; bad rows reported, good ones kept, nothing added twice', async () => {
    const core = newCore();
    const job = await importFile(core, EN);
    expect(job.error).toBeNull();
    expect(job.kind).toBe('garmin');
    expect(job.status).toBe('completed');
    const rows = workouts(core);
    expect(rows.map((r) => r.type)).toEqual(['Pool Swim', 'Hiking', 'Strength Training', 'Running']);
    const [swim, hike, strength, run] = rows;

    // 3/8/2020 6:30 in New York: DST began at 2:00 that morning, so EDT (UTC-4): 10:30 UTC; 25 min.
    expect(swim).toMatchObject({ start: Date.parse('2020-03-08T10:30:00Z'), end: Date.parse('2020-03-08T10:55:00Z'), dur: 1500, kcal: 300, avg: 120, max: 140, zone: 'America/New_York' });
    expect(swim.km).toBeCloseTo(0.9144, 9); // "1,000" yards (a swim is in pool units): 1000 * 0.9144 m
    // 3/9/2020 5:27 EDT = 09:27 UTC; 6:47:25 = 6*3600 + 47*60 + 25 = 24445 s; ends 16:14:25 UTC.
    expect(hike).toMatchObject({ start: Date.parse('2020-03-09T09:27:00Z'), end: Date.parse('2020-03-09T16:14:25Z'), dur: 24445, kcal: 1476, avg: 86, max: 161 });
    expect(hike.km).toBeCloseTo(16.06125312, 5); // 9.98 mi * 1.609344
    expect(hike.details.elevationGainM).toBeCloseTo(1227.1248, 6); // "4,026" ft * 0.3048
    expect(hike.details.elevationLossM).toBeCloseTo(152.0952, 6); // 499 ft * 0.3048
    // "40:50:00" is a 40:50 min/mi pace a spreadsheet took for hours: 2450 s / 1.609344 = 1522.36 s/km.
    expect(hike.details.avgPaceSPerKm).toBeCloseTo(1522.36, 2);
    expect(hike.details).toMatchObject({ title: 'Mesa Hiking', units: 'statute', aerobicTrainingEffect: 2.6 });
    // 5/2/2020 10:53 EDT = 14:53 UTC; 1:08:20 = 4100 s; distance 0 is no distance.
    expect(strength).toMatchObject({ start: Date.parse('2020-05-02T14:53:00Z'), dur: 4100, km: null, kcal: 281, avg: 92, max: 125 });
    // 5/6/2020 7:17 EDT = 11:17 UTC; 55:00 = 3300 s.
    expect(run).toMatchObject({ start: Date.parse('2020-05-06T11:17:00Z'), end: Date.parse('2020-05-06T12:12:00Z'), dur: 3300, kcal: 569, avg: 133, max: 156 });
    expect(run.km).toBeCloseTo(7.242048, 6); // 4.5 mi * 1.609344
    expect(run.details.avgPaceSPerKm).toBeCloseTo(455.47, 2); // 12:13 = 733 s per mile / 1.609344
    expect(run.details.elevationGainM).toBeCloseTo(71.0184, 6); // 233 ft * 0.3048

    expect(job.summary.workouts).toEqual({ inserted: 4, duplicates: 0 });
    expect(job.summary.rejected.total).toBe(2);
    expect(job.summary.rowErrors).toEqual([
      { entry: 'activities-en-statute-spreadsheet.csv', row: 3, column: 'Date', reason: `"yesterday" is not a date and time like the file's others` },
      { entry: 'activities-en-statute-spreadsheet.csv', row: 6, column: 'Distance', reason: '"12.4x" is not a number' },
    ]);

    const again = await importFile(core, EN);
    expect(again.status).toBe('completed');
    expect(again.summary.workouts).toEqual({ inserted: 0, duplicates: 4 });
    expect(workouts(core)).toHaveLength(4);
  });

  it('asks for the units of a file that never says them, and reads German headers with decimal commas once answered', async () => {
    const core = newCore('Europe/Berlin');
    const preview = await call<ImportPreview>(core, 'imports:preview', { path: DE });
    expect(preview.recognised[0]).toMatchObject({ importer: 'garmin', description: 'Garmin Connect activities list (German headers): workouts' });
    expect(preview.needs).toEqual(['weightUnit']);
    await expect(importFile(core, DE)).resolves.toMatchObject({ status: 'failed', error: expect.stringMatching(/kilometres or miles.*--weight-unit kg/) });

    const job = await importFile(core, DE, {}, { weightUnit: 'kg' });
    expect(job.status).toBe('completed');
    const [swim, ride, run] = workouts(core);
    // 2024-03-29 06:45 CET (UTC+1) = 05:45 UTC; "1.500" m with a decimal comma is 1500 m; it ends
    // after its elapsed time 00:45:00 (2700 s), its time is 00:40:00 (2400 s).
    expect(swim).toMatchObject({ type: 'Pool Swimming', start: Date.parse('2024-03-29T05:45:00Z'), end: Date.parse('2024-03-29T06:30:00Z'), dur: 2400, km: 1.5, kcal: 380 });
    expect(swim.details.localizedType).toBe('Schwimmbadschwimmen');
    // 16:05:10 CET = 15:05:10 UTC; "42,15" km; "1.023" kcal; elapsed 1:40:00 = 6000 s, time 1:35:12 = 5712 s.
    expect(ride).toMatchObject({ type: 'Cycling', start: Date.parse('2024-03-30T15:05:10Z'), end: Date.parse('2024-03-30T16:45:10Z'), dur: 5712, km: 42.15, kcal: 1023, avg: 139, max: 181 });
    // 2024-03-31 is the DST day in Berlin: 07:30 CEST (UTC+2) = 05:30 UTC; "5,02" km; 28:45 = 1725 s,
    // elapsed 29:30 = 1770 s; "4.812" steps; pace 5:44 = 344 s/km.
    expect(run).toMatchObject({ type: 'Running', start: Date.parse('2024-03-31T05:30:00Z'), end: Date.parse('2024-03-31T05:59:30Z'), dur: 1725, km: 5.02, kcal: 412, avg: 151, max: 178 });
    expect(run.details).toMatchObject({ localizedType: 'Laufen', title: 'Morgenlauf', steps: 4812, avgPaceSPerKm: 344, units: 'metric', elevationGainM: 38 });
    expect(job.summary.rowErrors).toEqual([{ entry: 'activities-de-decimal-comma.csv', row: 5, column: 'Zeit', reason: '"abc" is not a duration (h:mm:ss or mm:ss)' }]);
  });

  it('reads French and Spanish lists, local times in a 30-minute-offset zone', async () => {
    const core = newCore('Asia/Kolkata');
    const fr = await importFile(core, FR, {}, { weightUnit: 'kg' });
    expect(fr.status).toBe('completed');
    const [strength, run] = workouts(core);
    // 2024-01-14 18:00 IST (UTC+5:30) = 12:30 UTC; 57:59 = 3479 s; "0.00" km is no distance. The
    // zone is the home zone as the settings spell it (Asia/Kolkata is stored under its ICU name).
    expect(fr.summary.zone).toMatch(/^Asia\/(Kolkata|Calcutta)$/);
    expect(strength).toMatchObject({ type: 'Strength Training', start: Date.parse('2024-01-14T12:30:00Z'), dur: 3479, km: null, kcal: 540, zone: fr.summary.zone });
    // 2024-01-15 06:10:30 IST = 00:40:30 UTC; elapsed 00:36:00 = 2160 s; "4,404" steps (thousands comma).
    expect(run).toMatchObject({ type: 'Running', start: Date.parse('2024-01-15T00:40:30Z'), end: Date.parse('2024-01-15T01:16:30Z'), dur: 2120, km: 3.95, kcal: 407, avg: 151, max: 182 });
    expect(run.details).toMatchObject({ localizedType: 'Course à pied', steps: 4404, movingTimeS: 2108 }); // 35:08 = 2108 s

    const es = await importFile(core, ES, {}, { weightUnit: 'kg' });
    expect(es.status).toBe('completed');
    // 2024-07-11 06:30:54 IST = 01:00:54 UTC; 01:06:47 = 4007 s; 8.68 km; pace 7:42 = 462 s/km.
    const carrera = workouts(core).find((w) => w.details.localizedType === 'Carrera')!;
    expect(carrera).toMatchObject({ type: 'Running', start: Date.parse('2024-07-11T01:00:54Z'), dur: 4007, km: 8.68, kcal: 630, avg: 124 });
    expect(carrera.details).toMatchObject({ avgPaceSPerKm: 462, elevationGainM: 230, title: 'Carrera matinal' });
  });

  it('reads miles for an account whose file gives no clue when the person says lb (statute)', async () => {
    const core = newCore('UTC');
    await importFile(core, ES, {}, { weightUnit: 'lb' });
    // 8.68 mi * 1.609344 = 13.96910592 km; 7:42 per mile = 462 / 1.609344 = 287.07 s/km; 230 ft * 0.3048 = 70.104 m.
    const [w] = workouts(core);
    expect(w.km).toBeCloseTo(13.96910592, 5);
    expect(w.details.avgPaceSPerKm).toBeCloseTo(287.07, 2);
    expect(w.details.elevationGainM).toBeCloseTo(70.104, 6);
  });

  it('does not take a generic CSV or an Apple Health export for a Garmin list', async () => {
    for (const file of [path.join(here, '../generic-csv/fixtures/mixed.csv'), fx('export-v3.xml')]) {
      const input = await openInput(file, DEFAULT_LIMITS);
      try {
        expect(await garminImporter.sniff(input), file).toBeNull();
      } finally {
        input.close();
      }
    }
  });
});
