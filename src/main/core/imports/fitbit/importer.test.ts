// The Fitbit (Google Takeout) importer end to end: a real core, a real SQLite file, the real
// worker threads, on the project's own small Takeout tree (fixtures/takeout). Every expected
// value is worked out by hand from the fixture files, in the comments beside it.
//
// The fixtures sit around the night America/New_York springs forward (Sunday 10 March 2024:
// 02:00 EST becomes 03:00 EDT), so a local time before 02:00 that day is UTC−5 and one after
// 03:00 is UTC−4.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import type { ImportPreview } from '../../../../shared/contract';
import { makeTempDir } from '../../test/tempCore';
import { canonicalZoneName } from '../../time/zones';
import { DEFAULT_LIMITS } from '../protocol';
import { openInput } from '../input';
import { call, fx, importCores, type TestCore } from '../test/importCores';
import { fitbitImporter } from './importer';

const here = path.dirname(fileURLToPath(import.meta.url));
const TAKEOUT = path.join(here, 'fixtures/takeout');
const GED = 'Takeout/Fitbit/Global Export Data';
const { newCore, importFile } = importCores({ homeTimeZone: 'America/New_York' });

const Z = (iso: string) => Date.parse(iso);
const dayOf = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

type Row = { raw: string; metric: string | null; start: number; end: number; value: number; day: number | null; zone: string | null; category: string; origin: string; kind: string };
function stored(core: TestCore, rawLike = '%'): Row[] {
  return core.db.$client
    .prepare(
      `SELECT t.raw_type AS raw, t.metric, s.start_ms AS start, s.end_ms AS end, s.value, s.day, z.name AS zone, s.category, o.name AS origin, o.device_kind AS kind
       FROM samples s JOIN sample_types t ON t.id = s.type_id JOIN origins o ON o.id = s.origin_id LEFT JOIN zones z ON z.id = s.zone_id
       WHERE t.raw_type LIKE ? ORDER BY t.raw_type, s.start_ms, s.category`,
    )
    .all(rawLike) as Row[];
}
const pick = (rows: Row[], ...keys: (keyof Row)[]) => rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));

function zipOf(entries: { name: string; data: string | Buffer }[]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const e of entries) z.addBuffer(Buffer.from(e.data), e.name);
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}

async function sniffPath(p: string) {
  const input = await openInput(p, DEFAULT_LIMITS);
  try {
    return await fitbitImporter.sniff(input);
  } finally {
    input.close();
  }
}

describe('Fitbit Takeout: Global Export Data (JSON)', () => {
  it('is recognised by content in the Takeout folder and in the Fitbit folder inside it, and not in other exports', async () => {
    const top = await sniffPath(TAKEOUT);
    expect(top?.importer).toBe('fitbit');
    expect(top?.description).toBe('Fitbit export (Google Takeout): steps, heart rate, resting heart rate, sleep, weight');
    expect(top?.entries.map((e) => e.path)).toEqual([
      'Takeout/Fitbit/Your Profile/Profile.csv',
      `${GED}/steps-2024-03-09.json`,
      `${GED}/heart_rate-2024-03-10.json`,
      `${GED}/resting_heart_rate-2024-01-01.json`,
      `${GED}/sleep-2024-03-09.json`,
      `${GED}/weight-2024-03-09.json`,
    ]);
    expect((await sniffPath(path.join(TAKEOUT, 'Takeout/Fitbit')))?.entries).toHaveLength(6);
    expect(await sniffPath(path.join(here, '../generic-csv/fixtures/mixed.csv'))).toBeNull();
    expect(await sniffPath(fx('export-v3.xml'))).toBeNull();
  });

  it('does not take a file for what its name says when its content is something else', async () => {
    const dir = makeTempDir();
    fs.mkdirSync(path.join(dir, 'Global Export Data'));
    // Named like heart rate, shaped like steps (a string value, no bpm).
    fs.writeFileSync(path.join(dir, 'Global Export Data/heart_rate-2024-03-10.json'), '[{"dateTime":"03/10/24 08:00:00","value":"12"}]');
    expect(await sniffPath(dir)).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores steps, heart rate, resting heart rate, sleep stages and weights in the home zone across the spring-forward night, and adds nothing the second time', async () => {
    const core = newCore();
    const job = await importFile(core, TAKEOUT);
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(job.kind).toBe('fitbit');
    expect(job.summary.zone).toBe('America/New_York');

    // steps-2024-03-09.json: the 23:58 minute has "0" steps (not stored); "12" at 01:59 EST =
    // 06:59Z, "30" at 03:00 EDT = 07:00Z (one real minute later: the clocks skipped an hour),
    // and a number 45 (not a string) at 08:15 EDT = 12:15Z. Each spans its minute.
    expect(pick(stored(core, 'steps'), 'metric', 'start', 'end', 'value', 'zone', 'origin', 'kind')).toEqual([
      { metric: 'steps', start: Z('2024-03-10T06:59:00Z'), end: Z('2024-03-10T07:00:00Z'), value: 12, zone: 'America/New_York', origin: 'Fitbit', kind: 'band' },
      { metric: 'steps', start: Z('2024-03-10T07:00:00Z'), end: Z('2024-03-10T07:01:00Z'), value: 30, zone: 'America/New_York', origin: 'Fitbit', kind: 'band' },
      { metric: 'steps', start: Z('2024-03-10T12:15:00Z'), end: Z('2024-03-10T12:16:00Z'), value: 45, zone: 'America/New_York', origin: 'Fitbit', kind: 'band' },
    ]);

    // heart_rate-2024-03-10.json: minute 01:59 EST has 60, 62 and (written last, out of order)
    // 64 → mean (60+62+64)/3 = 62; minute 03:00 EDT has 70 and 75 → 72.5. Record 6 has no bpm.
    expect(pick(stored(core, 'heart_rate.%'), 'metric', 'start', 'end', 'value')).toEqual([
      { metric: 'heart_rate', start: Z('2024-03-10T06:59:00Z'), end: Z('2024-03-10T07:00:00Z'), value: 62 },
      { metric: 'heart_rate', start: Z('2024-03-10T07:00:00Z'), end: Z('2024-03-10T07:01:00Z'), value: 72.5 },
    ]);

    // resting_heart_rate: 9 March spans its New York midnights (05:00Z to 05:00Z, 24 h); 10 March
    // is 23 hours (05:00Z to 04:00Z). Home zone: stored without a zone of its own (null). 11 March is 0: not stored.
    expect(pick(stored(core, 'resting_heart_rate%'), 'raw', 'metric', 'start', 'end', 'value', 'day', 'zone')).toEqual([
      { raw: 'resting_heart_rate', metric: 'resting_heart_rate', start: Z('2024-03-09T05:00:00Z'), end: Z('2024-03-10T05:00:00Z'), value: 58.4, day: dayOf('2024-03-09'), zone: null },
      { raw: 'resting_heart_rate', metric: 'resting_heart_rate', start: Z('2024-03-10T05:00:00Z'), end: Z('2024-03-11T04:00:00Z'), value: 57.6, day: dayOf('2024-03-10'), zone: null },
      { raw: 'resting_heart_rate.error', metric: null, start: Z('2024-03-09T05:00:00Z'), end: Z('2024-03-10T05:00:00Z'), value: 6.7, day: dayOf('2024-03-09'), zone: null },
      { raw: 'resting_heart_rate.error', metric: null, start: Z('2024-03-10T05:00:00Z'), end: Z('2024-03-11T04:00:00Z'), value: 6.9, day: dayOf('2024-03-10'), zone: null },
    ]);

    // sleep log 46001 ("stages"): in bed 23:30 EST (04:30Z) to 07:00 EDT (11:00Z) = 390 minutes
    // (8 h on the clock less the skipped hour). Stages from levels.data, each from its own local
    // time: wake 10, light 40, deep 60, rem 40 (01:20–02:00 EST = 06:20–07:00Z), then light from
    // 03:00 EDT (07:00Z) for 180, cut by the shortData wake at 03:30 EDT (07:30Z) for 1 minute:
    // light 30 + wake 1 + light 149, then wake 60 to 07:00 EDT. Light 40+30+149 = 219 and wake
    // 10+1+60 = 71, as the file's own levels.summary says.
    // Log 46002, a classic nap 14:00–14:40 EDT (18:00–18:40Z): asleep 30, then restless 5 and
    // awake 5 joined as awake 10.
    const sleep = pick(stored(core, 'sleep.%'), 'raw', 'start', 'end', 'value', 'category');
    expect(sleep).toEqual([
      { raw: 'sleep.in_bed', start: Z('2024-03-10T04:30:00Z'), end: Z('2024-03-10T11:00:00Z'), value: 390, category: 'in_bed' },
      { raw: 'sleep.in_bed', start: Z('2024-03-10T18:00:00Z'), end: Z('2024-03-10T18:40:00Z'), value: 40, category: 'in_bed' },
      { raw: 'sleep.stage', start: Z('2024-03-10T04:30:00Z'), end: Z('2024-03-10T04:40:00Z'), value: 10, category: 'awake' },
      { raw: 'sleep.stage', start: Z('2024-03-10T04:40:00Z'), end: Z('2024-03-10T05:20:00Z'), value: 40, category: 'light' },
      { raw: 'sleep.stage', start: Z('2024-03-10T05:20:00Z'), end: Z('2024-03-10T06:20:00Z'), value: 60, category: 'deep' },
      { raw: 'sleep.stage', start: Z('2024-03-10T06:20:00Z'), end: Z('2024-03-10T07:00:00Z'), value: 40, category: 'rem' },
      { raw: 'sleep.stage', start: Z('2024-03-10T07:00:00Z'), end: Z('2024-03-10T07:30:00Z'), value: 30, category: 'light' },
      { raw: 'sleep.stage', start: Z('2024-03-10T07:30:00Z'), end: Z('2024-03-10T07:31:00Z'), value: 1, category: 'awake' },
      { raw: 'sleep.stage', start: Z('2024-03-10T07:31:00Z'), end: Z('2024-03-10T10:00:00Z'), value: 149, category: 'light' },
      { raw: 'sleep.stage', start: Z('2024-03-10T10:00:00Z'), end: Z('2024-03-10T11:00:00Z'), value: 60, category: 'awake' },
      { raw: 'sleep.stage', start: Z('2024-03-10T18:00:00Z'), end: Z('2024-03-10T18:30:00Z'), value: 30, category: 'asleep_unspecified' },
      { raw: 'sleep.stage', start: Z('2024-03-10T18:30:00Z'), end: Z('2024-03-10T18:40:00Z'), value: 10, category: 'awake' },
    ]);

    // weight-2024-03-09.json in pounds (Profile.csv weight_unit en_US): 176.4 lb × 0.45359237 =
    // 80.01369407 kg at 07:12 EST (12:12Z) from the Aria scale, with BMI 24.6 and fat 21.5 % →
    // 0.215; 175.0 lb × 0.45359237 = 79.37866475 kg at 23:59:59 EDT (03:59:59Z on the 11th),
    // written by another app ("API"), no fat.
    const w = pick(stored(core, 'weight%'), 'raw', 'metric', 'start', 'value', 'origin', 'kind');
    expect(w).toEqual([
      { raw: 'weight', metric: 'weight', start: Z('2024-03-09T12:12:00Z'), value: expect.closeTo(80.01369407, 6), origin: 'Fitbit Aria', kind: 'scale' },
      { raw: 'weight', metric: 'weight', start: Z('2024-03-11T03:59:59Z'), value: expect.closeTo(79.37866475, 6), origin: 'Fitbit (from another app)', kind: 'app' },
      { raw: 'weight.bmi', metric: 'bmi', start: Z('2024-03-09T12:12:00Z'), value: 24.6, origin: 'Fitbit Aria', kind: 'scale' },
      { raw: 'weight.bmi', metric: 'bmi', start: Z('2024-03-11T03:59:59Z'), value: 24.41, origin: 'Fitbit (from another app)', kind: 'app' },
      { raw: 'weight.fat', metric: 'body_fat', start: Z('2024-03-09T12:12:00Z'), value: 0.215, origin: 'Fitbit Aria', kind: 'scale' },
    ]);

    // 3 steps + 2 heart-rate minutes + 4 resting (2 values, 2 errors) + 12 sleep (2 in bed, 10
    // stages) + 5 weight (2 weights, 2 BMIs, 1 fat) = 26.
    expect(job.summary.samples).toEqual({ inserted: 26, duplicates: 0 });
    // Unreadable records are reported with their file and record number; the good ones are kept.
    expect(job.summary.rowErrors).toEqual([
      { entry: `${GED}/steps-2024-03-09.json`, row: 5, column: 'value', reason: '"abc" is not a number of steps' },
      { entry: `${GED}/steps-2024-03-09.json`, row: 6, column: 'dateTime', reason: '"2024-03-10 08:17" is not a date and time written month/day/year hours:minutes:seconds (03/10/24 08:15:00)' },
      { entry: `${GED}/heart_rate-2024-03-10.json`, row: 6, column: 'value.bpm', reason: 'a missing value is not a heart rate in beats per minute' },
      { entry: `${GED}/sleep-2024-03-09.json`, row: 3, column: 'startTime', reason: 'start "last night" and end "2024-03-09T07:00:00.000" are not a local date-time span (2024-03-09T23:30:00.000)' },
    ]);
    expect(job.summary.rejected.total).toBe(4);
    // (60, 62, 70, 75, 64: five readings made two minutes.)
    expect(job.summary.notes['heart-rate readings (every few seconds) stored as one-minute means']).toBe(5);
    expect(job.summary.notes['minutes with 0 steps (not stored: they add nothing)']).toBe(1);
    expect(job.summary.notes['days with no resting heart rate (Fitbit writes 0; not stored)']).toBe(1);

    const again = await importFile(core, TAKEOUT);
    expect(again.status).toBe('completed');
    expect(again.summary.samples.inserted).toBe(0);
    expect(stored(core)).toHaveLength(26);
  });

  it('reads local times in a chosen half-hour zone (Asia/Kolkata, UTC+05:30) and keeps that zone', async () => {
    const core = newCore();
    const job = await importFile(core, TAKEOUT, {}, { zone: 'Asia/Kolkata' });
    // The zone is stored under its canonical name (Node's ICU spells Asia/Kolkata "Asia/Calcutta").
    const kolkata = canonicalZoneName('Asia/Kolkata');
    expect(job.summary.zone).toBe(kolkata);
    // 01:59 IST on 10 March = 20:29Z on the 9th; 03:00 IST = 21:30Z; 08:15 IST = 02:45Z.
    expect(pick(stored(core, 'steps'), 'start', 'value', 'zone')).toEqual([
      { start: Z('2024-03-09T20:29:00Z'), value: 12, zone: kolkata },
      { start: Z('2024-03-09T21:30:00Z'), value: 30, zone: kolkata },
      { start: Z('2024-03-10T02:45:00Z'), value: 45, zone: kolkata },
    ]);
    // 10 March in Kolkata: 9 March 18:30Z to 10 March 18:30Z.
    expect(pick(stored(core, 'resting_heart_rate'), 'start', 'end', 'zone')[1]).toEqual({ start: Z('2024-03-09T18:30:00Z'), end: Z('2024-03-10T18:30:00Z'), zone: kolkata });
    // The nap 14:00–14:40 IST = 08:30–09:10Z.
    expect(pick(stored(core, 'sleep.in_bed'), 'start', 'end')[1]).toEqual({ start: Z('2024-03-10T08:30:00Z'), end: Z('2024-03-10T09:10:00Z') });
  });

  it('asks for the weight unit when no profile names it (the zip form), and stores the weights in the chosen unit', async () => {
    const dir = makeTempDir();
    const weight = fs.readFileSync(path.join(TAKEOUT, GED, 'weight-2024-03-09.json'));
    const file = path.join(dir, 'takeout-20240401T120000Z-001.zip');
    fs.writeFileSync(file, await zipOf([{ name: `${GED}/weight-2024-03-09.json`, data: weight }]));
    const core = newCore();
    const preview = await call<ImportPreview>(core, 'imports:preview', { path: file });
    expect(preview.recognised.map((r) => r.importer)).toEqual(['fitbit']);
    expect(preview.needs).toEqual(['weightUnit']);

    const unasked = await importFile(core, file);
    expect(unasked.status).toBe('completed');
    expect(stored(core)).toHaveLength(0);
    expect(unasked.summary.warnings.join(' ')).toMatch(/weights were not imported: the export does not say whether they are in kilograms or pounds/);

    const job = await importFile(core, file, {}, { weightUnit: 'kg' });
    // Read as kilograms: 176.4 and 175 kg as written.
    expect(pick(stored(core, 'weight'), 'value')).toEqual([{ value: 176.4 }, { value: 175 }]);
    expect(job.summary.samples.inserted).toBe(5);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

// fixtures/takeout-2025: the CSV layout under Takeout/Google Health/, around the night New York
// falls back (Sunday 3 November 2024: 02:00 EDT becomes 01:00 EST, so 01:30 happens twice:
// 05:30Z and 06:30Z). Its Physical Activity_GoogleData times are UTC (Z) and need no zone.
const TAKEOUT_CSV = path.join(here, 'fixtures/takeout-2025');
const GH = 'Takeout/Google Health';

describe('Fitbit Takeout: the CSV layout', () => {
  it('is recognised by its headers, and the JSON copy of a series it also has in CSV is skipped', async () => {
    const r = await sniffPath(TAKEOUT_CSV);
    expect(r?.description).toBe('Fitbit export (Google Takeout): HRV, SpO2, steps, heart rate, resting heart rate, weight (steps read from the CSV files; their JSON copies skipped)');
    expect(r?.entries.map((e) => e.path)).not.toContain(`${GH}/Global Export Data/steps-2024-11-01.json`);
    expect(r?.entries).toHaveLength(6);
    // One file on its own is recognised too (the generic CSV importer also could take it; Fitbit is tried first).
    const one = await sniffPath(path.join(TAKEOUT_CSV, GH, 'Oxygen Saturation (SpO2)/Daily SpO2 - 2024-11-01-2024-11-30.csv'));
    expect(one?.entries.map((e) => e.kind)).toEqual(['daily SpO2 (Oxygen Saturation)']);
  });

  it('stores UTC instants as they are, per device, dates between their local midnights, and reports unreadable rows', async () => {
    const core = newCore();
    const job = await importFile(core, TAKEOUT_CSV);
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');

    // steps_2024-11-01.csv: 40 from the watch at 05:30Z (01:30 EDT) for a minute; the Health
    // Connect copy (38) is another app's and skipped; the 0 at 06:30Z not stored; 25 from the
    // phone's own counter (MobileTrack) at 06:31:00.552Z; row 6's "sometime" is no time.
    // A Z time takes the home zone (stored as null) for its local date.
    expect(pick(stored(core, 'googledata.steps'), 'metric', 'start', 'end', 'value', 'zone', 'origin', 'kind')).toEqual([
      { metric: 'steps', start: Z('2024-11-03T05:30:00Z'), end: Z('2024-11-03T05:31:00Z'), value: 40, zone: null, origin: 'Pixel Watch 2', kind: 'watch' },
      { metric: 'steps', start: Z('2024-11-03T06:31:00.552Z'), end: Z('2024-11-03T06:32:00.552Z'), value: 25, zone: null, origin: 'MobileTrack', kind: 'phone' },
    ]);
    // The JSON twin (steps-2024-11-01.json, 40 at 01:30 local) was not read.
    expect(stored(core, 'steps')).toHaveLength(0);

    // heart_rate_2024-11-03.csv: minute 05:30Z (the first 01:30) has 58 and 61 → 59.5; minute
    // 06:30Z (the second 01:30, EST) has 55 → its own minute; "x" is no heart rate.
    expect(pick(stored(core, 'googledata.heart_rate.%'), 'metric', 'start', 'end', 'value', 'origin')).toEqual([
      { metric: 'heart_rate', start: Z('2024-11-03T05:30:00Z'), end: Z('2024-11-03T05:31:00Z'), value: 59.5, origin: 'Pixel Watch 2' },
      { metric: 'heart_rate', start: Z('2024-11-03T06:30:00Z'), end: Z('2024-11-03T06:31:00Z'), value: 55, origin: 'Pixel Watch 2' },
    ]);

    // daily_resting_heart_rate.csv: rows stamped 00:00:00Z name their date. 2 November spans
    // 04:00Z–04:00Z (EDT); 3 November is 25 hours, 04:00Z (EDT midnight) to 05:00Z on the 4th
    // (EST midnight). 4 November's 0 is no value.
    expect(pick(stored(core, 'googledata.daily_resting_heart_rate'), 'metric', 'start', 'end', 'value', 'day')).toEqual([
      { metric: 'resting_heart_rate', start: Z('2024-11-02T04:00:00Z'), end: Z('2024-11-03T04:00:00Z'), value: 61.25, day: dayOf('2024-11-02') },
      { metric: 'resting_heart_rate', start: Z('2024-11-03T04:00:00Z'), end: Z('2024-11-04T05:00:00Z'), value: 60.5, day: dayOf('2024-11-03') },
    ]);

    // weight.csv: 80250 g = 80.25 kg at 12:05Z, from the scale its data source names.
    expect(pick(stored(core, 'googledata.weight'), 'metric', 'start', 'value', 'origin', 'kind')).toEqual([
      { metric: 'weight', start: Z('2024-11-03T12:05:00Z'), value: 80.25, origin: 'Aria Air', kind: 'scale' },
    ]);

    // Daily HRV summary (CRLF lines): 3 November's night, stamped 00:00:00 local, is that
    // date's value (04:00Z to 05:00Z on the 4th): RMSSD 28.75 ms, non-REM heart rate 56.3,
    // entropy 2.88. 4 November has no RMSSD (empty): its other two values are kept (05:00Z–05:00Z).
    expect(pick(stored(core, 'hrv.%'), 'raw', 'metric', 'start', 'end', 'value', 'day')).toEqual([
      { raw: 'hrv.daily_rmssd', metric: 'hrv_rmssd', start: Z('2024-11-03T04:00:00Z'), end: Z('2024-11-04T05:00:00Z'), value: 28.75, day: dayOf('2024-11-03') },
      { raw: 'hrv.entropy', metric: null, start: Z('2024-11-03T04:00:00Z'), end: Z('2024-11-04T05:00:00Z'), value: 2.88, day: dayOf('2024-11-03') },
      { raw: 'hrv.entropy', metric: null, start: Z('2024-11-04T05:00:00Z'), end: Z('2024-11-05T05:00:00Z'), value: 2.9, day: dayOf('2024-11-04') },
      { raw: 'hrv.nremhr', metric: null, start: Z('2024-11-03T04:00:00Z'), end: Z('2024-11-04T05:00:00Z'), value: 56.3, day: dayOf('2024-11-03') },
      { raw: 'hrv.nremhr', metric: null, start: Z('2024-11-04T05:00:00Z'), end: Z('2024-11-05T05:00:00Z'), value: 57, day: dayOf('2024-11-04') },
    ]);

    // Daily SpO2, percent → fraction: 95.4 % (bounds 92.1, 98.8) at 11:42Z, a reading; the row
    // stamped 2024-11-04T00:00:00Z is 4 November's value (05:00Z–05:00Z): 96 % (93, 99).
    // Row 4's average "abc" is reported.
    expect(pick(stored(core, 'spo2.%'), 'raw', 'metric', 'start', 'end', 'value', 'day')).toEqual([
      { raw: 'spo2.daily_average', metric: 'spo2', start: Z('2024-11-03T11:42:00Z'), end: Z('2024-11-03T11:42:00Z'), value: 0.954, day: null },
      { raw: 'spo2.daily_average', metric: 'spo2', start: Z('2024-11-04T05:00:00Z'), end: Z('2024-11-05T05:00:00Z'), value: 0.96, day: dayOf('2024-11-04') },
      { raw: 'spo2.daily_lower_bound', metric: null, start: Z('2024-11-03T11:42:00Z'), end: Z('2024-11-03T11:42:00Z'), value: 0.921, day: null },
      { raw: 'spo2.daily_lower_bound', metric: null, start: Z('2024-11-04T05:00:00Z'), end: Z('2024-11-05T05:00:00Z'), value: 0.93, day: dayOf('2024-11-04') },
      { raw: 'spo2.daily_upper_bound', metric: null, start: Z('2024-11-03T11:42:00Z'), end: Z('2024-11-03T11:42:00Z'), value: 0.988, day: null },
      { raw: 'spo2.daily_upper_bound', metric: null, start: Z('2024-11-04T05:00:00Z'), end: Z('2024-11-05T05:00:00Z'), value: 0.99, day: dayOf('2024-11-04') },
    ]);

    // 2 steps + 2 heart rate + 2 resting + 1 weight + 5 HRV + 6 SpO2 = 18.
    expect(job.summary.samples).toEqual({ inserted: 18, duplicates: 0 });
    // Files are read series by series (HRV, SpO2, steps, heart rate, …), so their errors come in that order.
    expect(job.summary.rowErrors).toEqual([
      { entry: `${GH}/Oxygen Saturation (SpO2)/Daily SpO2 - 2024-11-01-2024-11-30.csv`, row: 4, column: 'average_value', reason: '"abc" is not a percentage' },
      { entry: `${GH}/Physical Activity_GoogleData/steps_2024-11-01.csv`, row: 6, column: 'timestamp', reason: '"sometime" is not a date and time written year-month-day, like 2024-11-03T05:30:00Z' },
      { entry: `${GH}/Physical Activity_GoogleData/heart_rate_2024-11-03.csv`, row: 5, column: 'beats per minute', reason: '"x" is not a heart rate in beats per minute' },
    ]);
    expect(job.summary.notes['rows another app wrote into Fitbit through Health Connect (not Fitbit’s; import that app’s own data instead)']).toBe(1);
    expect(job.summary.notes['nights without an HRV value (empty rmssd)']).toBe(1);
    expect(job.summary.notes['heart-rate readings (every few seconds) stored as one-minute means']).toBe(3);

    const again = await importFile(core, TAKEOUT_CSV);
    expect(again.summary.samples.inserted).toBe(0);
    expect(stored(core)).toHaveLength(18);
  });
});

describe('Fitbit Takeout: body fat and daily oxygen saturation from Physical Activity_GoogleData', () => {
  it('stores body fat (percent → fraction) at its instant and the day’s SpO2 as its date’s value', async () => {
    const core = newCore();
    const job = await importFile(core, path.join(here, 'fixtures/googledata-body'));
    expect(job.status).toBe('completed');
    // body_fat_2024-11-01.csv: 21.4 % → 0.214 at 12:05Z from the Aria Air scale; the second row
    // came from Garmin through Health Connect: skipped.
    expect(pick(stored(core, 'googledata.body_fat'), 'metric', 'start', 'value', 'origin', 'kind')).toEqual([
      { metric: 'body_fat', start: Z('2024-11-03T12:05:00Z'), value: 0.214, origin: 'Aria Air', kind: 'scale' },
    ]);
    // daily_oxygen_saturation.csv: 95.5 % → 0.955, stamped 00:00:00Z: 3 November, 04:00Z (EDT
    // midnight) to 05:00Z on the 4th (EST midnight), from the watch.
    expect(pick(stored(core, 'spo2.%'), 'metric', 'start', 'end', 'value', 'day', 'origin')).toEqual([
      { metric: 'spo2', start: Z('2024-11-03T04:00:00Z'), end: Z('2024-11-04T05:00:00Z'), value: 0.955, day: dayOf('2024-11-03'), origin: 'Pixel Watch 2' },
    ]);
    expect(job.summary.notes['rows another app wrote into Fitbit through Health Connect (not Fitbit’s; import that app’s own data instead)']).toBe(1);
  });
});

describe('Fitbit sleep logs with their keys in the Web API’s order', () => {
  it('are recognised and read even when a long night’s stages come before its logId', async () => {
    const dir = makeTempDir();
    // One night, 2025-01-29 23:00 to 2025-01-30 01:00 New York time (04:00Z to 06:00Z): 240
    // half-minute "light" entries = 120 minutes, written as the API does (alphabetical keys, so
    // `levels` and its 240 entries, over 10 KB, come before logId and startTime).
    const data = Array.from({ length: 240 }, (_, i) => ({ dateTime: new Date(Date.UTC(2025, 0, 29, 23, 0, 0) + i * 30_000).toISOString().slice(0, 23), level: 'light', seconds: 30 }));
    const log = {
      dateOfSleep: '2025-01-30',
      duration: 7_200_000,
      efficiency: 100,
      endTime: '2025-01-30T01:00:00.000',
      infoCode: 0,
      isMainSleep: true,
      levels: { data, shortData: [], summary: { light: { count: 1, minutes: 120, thirtyDayAvgMinutes: 0 } } },
      logId: 4242,
      logType: 'auto_detected',
      minutesAfterWakeup: 0,
      minutesAsleep: 120,
      minutesAwake: 0,
      minutesToFallAsleep: 0,
      startTime: '2025-01-29T23:00:00.000',
      timeInBed: 120,
      type: 'stages',
    };
    expect(JSON.stringify([log]).indexOf('"logId"')).toBeGreaterThan(4096);
    const folder = path.join(dir, GED);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'sleep-2025-01-29.json'), JSON.stringify([log]));
    const core = newCore();
    const job = await importFile(core, dir);
    expect(job.error).toBeNull();
    expect(pick(stored(core, 'sleep.in_bed'), 'start', 'end', 'value')).toEqual([{ start: Z('2025-01-30T04:00:00Z'), end: Z('2025-01-30T06:00:00Z'), value: 120 }]);
    expect(stored(core, 'sleep.stage').reduce((a, r) => a + r.value, 0)).toBe(120);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
