// Garmin's full-account export (the DI_CONNECT folder, and the same as a zip) end to end: a real
// core, a real SQLite file, the real worker threads. Expected figures are worked out by hand from
// fixtures/garmin-export, in the comment beside each (home zone Europe/Paris; 27 October 2024 is
// the day Paris leaves summer time: 25 hours, CEST UTC+2 before 03:00, CET UTC+1 after).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import type { ImportPreview } from '../../../../shared/contract';
import { call, importCores, type TestCore } from '../test/importCores';

const here = path.dirname(fileURLToPath(import.meta.url));
const EXPORT = path.join(here, 'fixtures', 'garmin-export');
const { newCore, importFile } = importCores({ homeTimeZone: 'Europe/Paris' });
const day = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
const AGG = 'DI_CONNECT/DI-Connect-Aggregator';
const WELL = 'DI_CONNECT/DI-Connect-Wellness';

type Sample = { raw: string; metric: string | null; start: number; end: number; value: number; day: number | null; category: string; zone: string | null; origin: string; kind: string };
function samples(core: TestCore): Sample[] {
  return core.db.$client
    .prepare(
      `SELECT t.raw_type AS raw, t.metric, s.start_ms AS start, s.end_ms AS "end", s.value, s.day, s.category, z.name AS zone, o.name AS origin, o.device_kind AS kind
       FROM samples s JOIN sample_types t ON t.id = s.type_id JOIN origins o ON o.id = s.origin_id LEFT JOIN zones z ON z.id = s.zone_id
       ORDER BY s.start_ms, t.raw_type`,
    )
    .all() as Sample[];
}
type Workout = { type: string; start: number; end: number; dur: number; km: number | null; kcal: number | null; avg: number | null; max: number | null; zone: string | null; d: string };
function workouts(core: TestCore): Workout[] {
  return core.db.$client
    .prepare(
      `SELECT w.activity_type AS type, w.start_ms AS start, w.end_ms AS "end", w.duration_s AS dur, w.distance_km AS km, w.energy_kcal AS kcal,
         w.avg_heart_rate AS avg, w.max_heart_rate AS max, z.name AS zone, w.details_json AS d
       FROM workouts w LEFT JOIN zones z ON z.id = w.zone_id ORDER BY w.start_ms`,
    )
    .all() as Workout[];
}
/** The values of one date's daily totals, by raw type. */
const dayValues = (all: Sample[], date: string) => Object.fromEntries(all.filter((s) => s.day === day(date) && s.raw.startsWith('uds.')).map((s) => [s.raw, s.value]));

const tmp: string[] = [];
afterEach(() => {
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** The fixture folder as the zip Garmin sends (entries under DI_CONNECT/). */
async function zipOfExport(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'garmin-zip-'));
  tmp.push(dir);
  const file = path.join(dir, 'garmin-export.zip');
  const zip = new yazl.ZipFile();
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(EXPORT, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (fs.statSync(path.join(EXPORT, r)).isDirectory()) walk(r);
      else zip.addFile(path.join(EXPORT, r), r);
    }
  };
  walk('');
  zip.end();
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject));
  return file;
}

describe("Garmin's full-account export (DI_CONNECT)", () => {
  it('is recognised by its files\' content: daily summaries, sleep, weigh-ins and activities, not the other JSON files', async () => {
    const core = newCore();
    const preview = await call<ImportPreview>(core, 'imports:preview', { path: EXPORT });
    expect(preview.recognised[0]).toMatchObject({ importer: 'garmin', description: 'Garmin Connect export: daily summaries, sleep, weigh-ins, activities', entries: 6 });
    expect(preview.needs).toEqual([]);
  });

  it('stores daily totals, nights, weigh-ins and activities; bad records and a broken file are reported, the rest kept; a re-import adds nothing', async () => {
    const core = newCore();
    const job = await importFile(core, EXPORT);
    expect(job.error).toBeNull();
    expect(job.kind).toBe('garmin');
    expect(job.status).toBe('completed');
    const all = samples(core);
    expect(new Set(all.map((s) => `${s.origin}/${s.kind}`))).toEqual(new Set(['Garmin/watch']));

    // 25 October: only a goal and estimated calories (the watch not worn): nothing stored.
    expect(dayValues(all, '2024-10-25')).toEqual({});
    // 26 October, every figure of the summary; floors = 30.0 m climbed / 3 m per floor = 10; the
    // day's own resting rate (52), not the summary's 7-day one (54); the TOTAL stress, not ASLEEP.
    expect(dayValues(all, '2024-10-26')).toEqual({
      'uds.totalSteps': 8123,
      'uds.activeKilocalories': 412,
      'uds.totalKilocalories': 2210,
      'uds.totalDistanceMeters': 6.35, // 6350 m
      'uds.floorsAscendedInMeters': 10,
      'uds.restingHeartRate': 52,
      'uds.minHeartRate': 48,
      'uds.maxHeartRate': 151,
      'uds.stress.average': 31,
      'uds.stress.max': 88,
      'uds.bodyBattery.highest': 84,
      'uds.bodyBattery.lowest': 12,
      'uds.bodyBattery.charged': 70,
      'uds.bodyBattery.drained': 66,
    });
    const steps26 = all.find((s) => s.raw === 'uds.totalSteps' && s.day === day('2024-10-26'))!;
    // Between the date's Paris midnights (CEST), in the home zone (zone id 0: no name).
    expect(steps26).toMatchObject({ metric: 'steps', start: Date.parse('2024-10-25T22:00:00Z'), end: Date.parse('2024-10-26T22:00:00Z'), zone: null });
    // 27 October is in both files: the second file's fuller record wins over the first's
    // `totalSteps: 1`; floors given as a count (7); resting rate from restingHeartRate (50).
    expect(dayValues(all, '2024-10-27')).toEqual({
      'uds.totalSteps': 10432,
      'uds.activeKilocalories': 530,
      'uds.totalKilocalories': 2405,
      'uds.totalDistanceMeters': 8.1,
      'uds.floorsAscended': 7,
      'uds.restingHeartRate': 50,
      'uds.maxHeartRate': 160,
    });
    // The 25-hour day: 26 Oct 22:00 UTC (midnight CEST) to 27 Oct 23:00 UTC (midnight CET).
    expect(all.find((s) => s.raw === 'uds.totalSteps' && s.day === day('2024-10-27'))).toMatchObject({ start: Date.parse('2024-10-26T22:00:00Z'), end: Date.parse('2024-10-27T23:00:00Z') });
    // 28 October: stress -1 is "not enough data", left out.
    expect(dayValues(all, '2024-10-28')).toEqual({ 'uds.totalSteps': 6000 });

    // The night ending 27 October: 21:40 → 06:10 GMT; stages in minutes (5400 s = 90, 16200 s =
    // 270, 6300 s = 105, 2700 s = 45; 90 + 270 + 105 + 45 = 510 = 8 h 30 min in bed), on its
    // calendarDate; breathing rate and score at its end.
    const night = all.filter((s) => s.raw.startsWith('sleep.') && s.start >= Date.parse('2024-10-26T21:40:00Z') && s.start <= Date.parse('2024-10-27T06:10:00Z'));
    const start = Date.parse('2024-10-26T21:40:00Z');
    const end = Date.parse('2024-10-27T06:10:00Z');
    expect(night.map((s) => [s.raw, s.metric, s.category, s.value, s.start, s.end, s.day])).toEqual([
      ['sleep.in_bed', 'sleep', 'in_bed', 0, start, end, null],
      ['sleep.total.awake', 'sleep', 'awake', 45, start, end, day('2024-10-27')],
      ['sleep.total.deep', 'sleep', 'deep', 90, start, end, day('2024-10-27')],
      ['sleep.total.light', 'sleep', 'light', 270, start, end, day('2024-10-27')],
      ['sleep.total.rem', 'sleep', 'rem', 105, start, end, day('2024-10-27')],
      ['sleep.averageRespiration', 'respiratory_rate', '', 14.5, end, end, null],
      ['sleep.score', null, '', 81, end, end, null],
    ]);
    // A night with times and no stages is time in bed alone.
    expect(all.filter((s) => s.raw.startsWith('sleep.') && s.start >= Date.parse('2024-10-28T22:30:00Z')).map((s) => [s.raw, s.start, s.end])).toEqual([
      ['sleep.in_bed', Date.parse('2024-10-28T22:30:00Z'), Date.parse('2024-10-29T06:00:00Z')],
    ]);

    // Weigh-ins: 72450 g = 72.45 kg at its GMT time; 72100 g = 72.1 kg with only a local time,
    // 27 Oct 08:00 in Paris, after the change back to CET (UTC+1): 07:00 UTC.
    expect(all.filter((s) => s.metric === 'weight').map((s) => [s.value, s.start, s.zone])).toEqual([
      [72.45, Date.parse('2024-10-26T05:05:12Z'), null],
      [72.1, Date.parse('2024-10-27T07:00:00Z'), 'Europe/Paris'],
    ]);

    const [run, swim, strength] = workouts(core);
    // 101: begins 1729922400000 = 26 Oct 06:00 UTC; startTimeLocal is 7200000 ms later: +02:00.
    // 1800000 ms = 1800 s; ends after the elapsed 1860000 ms (06:31 UTC); 502000 cm = 5.02 km;
    // 1673.6 kJ / 4.184 = 400 kcal; 3500 cm = 35 m; 0.2789 cm/ms * 36 = 10.0404 km/h.
    expect(run).toMatchObject({ type: 'Running', start: Date.parse('2024-10-26T06:00:00Z'), end: Date.parse('2024-10-26T06:31:00Z'), dur: 1800, km: 5.02, kcal: 400, avg: 148, max: 171, zone: '+02:00' });
    expect(JSON.parse(run.d)).toEqual({ title: 'Paris Running', typeKey: 'running', activityId: 101, elevationGainM: 35, elevationLossM: 34, avgSpeedKmh: 10.0404, movingTimeS: 1795, elapsedTimeS: 1860, steps: 4980, aerobicTrainingEffect: 3.1 });
    // 102: 28 Oct 17:30 UTC, local one hour later: +01:00; 2400 s; 150000 cm = 1.5 km; 1255.2 kJ = 300 kcal.
    expect(swim).toMatchObject({ type: 'Lap Swimming', start: Date.parse('2024-10-28T17:30:00Z'), end: Date.parse('2024-10-28T18:10:00Z'), dur: 2400, km: 1.5, kcal: 300, zone: '+01:00' });
    // 104: no local time: the home zone; 2700 s; 836.8 kJ = 200 kcal.
    expect(strength).toMatchObject({ type: 'Strength Training', start: Date.parse('2024-10-29T18:00:00Z'), dur: 2700, km: null, kcal: 200, zone: null });

    // 14 + 7 + 1 daily totals, 7 + 1 sleep samples, 2 weigh-ins.
    expect(job.summary.samples).toEqual({ inserted: 32, duplicates: 0 });
    expect(all).toHaveLength(32);
    expect(job.summary.workouts).toEqual({ inserted: 3, duplicates: 0 });
    expect(job.summary.rejected.total).toBe(4);
    const errors = (job.summary.rowErrors ?? []).map((e) => [e.entry, e.row, e.column]);
    expect(errors).toEqual(
      expect.arrayContaining([
        [`${AGG}/UDSFile_2024-10-27_2024-11-04.json`, 3, 'calendarDate'],
        [`${WELL}/2024-10-26_2024-11-04_12345_sleepData.json`, 2, 'sleepStartTimestampGMT'],
        [`${WELL}/2024-11-05_2024-11-10_12345_sleepData.json`, null, null],
        ['DI_CONNECT/DI-Connect-Fitness/someone@example.com_0_summarizedActivities.json', 3, 'beginTimestamp'],
      ]),
    );
    expect(errors).toHaveLength(4);
    // The broken file is named with what is wrong, never with the parser's quote of its content.
    expect(job.summary.rowErrors?.find((e) => e.row === null)?.reason).toBe(
      'it is cut short or damaged (not valid JSON); the rest of the export was read. Request your data from Garmin again if this file matters.',
    );

    const again = await importFile(core, EXPORT);
    expect(again.status).toBe('completed');
    expect(again.summary.samples.inserted).toBe(0);
    expect(again.summary.workouts).toEqual({ inserted: 0, duplicates: 3 });
    expect(samples(core)).toHaveLength(32);
  });

  it('reads the same export from its zip, and the zip adds nothing to what the folder stored', async () => {
    const zip = await zipOfExport();
    const fromZip = newCore();
    const job = await importFile(fromZip, zip);
    expect(job.status).toBe('completed');
    expect(job.summary.samples).toEqual({ inserted: 32, duplicates: 0 });
    expect(job.summary.workouts).toEqual({ inserted: 3, duplicates: 0 });

    const core = newCore();
    await importFile(core, EXPORT);
    const again = await importFile(core, zip);
    expect(again.summary.samples.inserted).toBe(0);
    expect(again.summary.workouts.inserted).toBe(0);
  });

  it('places a night and a weigh-in without an offset in the chosen zone: a 30-minute offset', async () => {
    const core = newCore();
    await importFile(core, EXPORT, {}, { zone: 'Asia/Kolkata' });
    // 27 Oct 08:00 IST (UTC+5:30) = 02:30 UTC; the GMT weigh-in does not move.
    expect(samples(core).filter((s) => s.metric === 'weight').map((s) => s.start)).toEqual([Date.parse('2024-10-26T05:05:12Z'), Date.parse('2024-10-27T02:30:00Z')]);
    // 26 October between its Kolkata midnights: 25 Oct 18:30 UTC to 26 Oct 18:30 UTC.
    expect(samples(core).find((s) => s.raw === 'uds.totalSteps' && s.day === day('2024-10-26'))).toMatchObject({ start: Date.parse('2024-10-25T18:30:00Z'), end: Date.parse('2024-10-26T18:30:00Z') });
  });
});
