// The CSV layout of a Fitbit Takeout: the per-feature folders (Heart Rate Variability/, Oxygen
// Saturation (SpO2)/, 2020 on) and the Google-era Physical Activity_GoogleData/ folder (2024 on,
// under Takeout/Fitbit/ or Takeout/Google Health/). Read through the CSV engine, one row at a time.
//
// Layout and time zones, as established (search, 2026):
// - Heart Rate Variability/Daily Heart Rate Variability Summary - YYYY-MM-(DD).csv (the day in
//   parentheses is Fitbit's): `timestamp,rmssd,nremhr,entropy`, one row a night, timestamp local
//   without an offset at the night's date 00:00:00 (kev-m/FitOut fitout/importers: "2024-07-21T00:00:00,
//   29.232,49.623,2.472"; kabaka/oscar-export-analyzer's catalog §1.4: "nightly", `nremhr` = non-REM heart rate).
// - Oxygen Saturation (SpO2)/Daily SpO2 - <start>-<end>.csv: `timestamp,average_value,lower_bound,
//   upper_bound` in percent, timestamp ISO with Z (the catalog §1.3 and §4.1; parsers in the code
//   corpus read "2024-01-15T07:00:00Z,96.5,94.0,98.0").
// - Physical Activity_GoogleData/<metric>_YYYY-MM-DD.csv: every file `timestamp,…,data source`,
//   timestamps ISO with Z (UTC), the data source naming the device ("Pixel Watch 2", "MobileTrack"
//   for the phone) or an app that wrote through Health Connect ("… Health Connect"). Headers:
//   heart_rate_ `timestamp,beats per minute,data source` (every few seconds; FitOut's heart_rate
//   importer, the catalog §1.2), steps_ `timestamp,steps,data source` (per minute; several
//   importers' fixtures in the code corpus), daily_resting_heart_rate `timestamp,beats per
//   minute,data source` (a 0 for no value), weight `timestamp,weight grams,data source`,
//   daily_oxygen_saturation `…,average percentage,…`, body_fat `…,body fat percentage|fat
//   percentage,…` (the last two seen only as column names another Takeout parser reads).
//   They carry the same data as Global Export Data's JSON (the catalog §0: "largely the same data
//   in two encodings"); where both are present the CSV is read (UTC instants, named devices).
//
// Times: a `Z` time is an instant; nothing says where the person was, so it takes the import's
// zone for its local date (as Oura's UTC heart rate takes the home zone). A time without an
// offset is local (placeLocal). A daily file's row stamped exactly 00:00:00 (with or without Z)
// names its date: it is that date's value (placeLocal's date rule), never the evening before.
import { convertUnit } from '../../../../shared/units';
import type { OriginRef } from '../../samples';
import { MINUTE } from '../../time/zones';
import { parseNumber } from '../csv/numbers';
import { parseDateTime, toInstant } from '../csv/dates';
import { readCsv } from '../csv/read';
import { importZone, placeLocal, type Placed } from '../place';
import { FITBIT_BAND, dataSourceOrigin, round, viaHealthConnect } from './common';
import type { ReadContext } from './globalExport';

type Get = (column: string) => string;
interface At {
  entry: string;
  row: number;
}

/**
 * Calls `row` for each record of a CSV with the columns it names, by header. A file without
 * one of them is reported once and skipped.
 */
async function eachRow(ctx: ReadContext, what: string, columns: string[], row: (get: Get, at: At) => void): Promise<void> {
  const { entry, sink } = ctx;
  let index: Map<string, number> | null = null;
  for await (const rec of readCsv(entry.stream(), { delimiter: ',' })) {
    if (sink.cancelled) return;
    if (rec.row === 1) {
      index = new Map(rec.cells.map((c, i) => [c.trim().toLowerCase(), i]));
      const missing = columns.filter((c) => !index!.has(c));
      if (missing.length) {
        sink.reject(`${what}: unexpected columns`, { entry: entry.path, row: 1, detail: `The file has no ${missing.map((m) => `"${m}"`).join(', ')} column; it was skipped. Export it again from Google Takeout.` });
        return;
      }
      continue;
    }
    const cells = rec.cells;
    row((c) => cells[index!.get(c) ?? -1] ?? '', { entry: entry.path, row: rec.row });
    if (rec.row % 512 === 0) await sink.pace();
  }
}

/** Where a timestamp cell sits (see the header comment); null when it is not an ISO date-time. */
function placeCell(text: string, ctx: ReadContext, daily: boolean): Placed | null {
  const t = parseDateTime(text, 'iso');
  if (!t) return null;
  const choices = ctx.sink.choices;
  if (daily && (t.msOfDay === null || t.msOfDay === 0)) return placeLocal({ day: t.day, msOfDay: null, offsetMin: null }, choices);
  if (t.offsetMin === null) return placeLocal(t, choices);
  const startMs = toInstant(t, choices.zone);
  return startMs === null ? null : { startMs, endMs: startMs, zone: importZone(choices), day: null };
}

const TIME_HELP = 'is not a date and time written year-month-day, like 2024-11-03T05:30:00Z';

/** A number cell: the value, null when empty or "--" (missing), or reports it and returns undefined. */
function cellNumber(ctx: ReadContext, what: string, column: string, text: string, at: At, unit: string): number | null | undefined {
  const v = parseNumber(text);
  if (v === null) return null;
  if (Number.isNaN(v) || v < 0) {
    ctx.sink.reject(`${what}: not a number`, { ...at, column, detail: `"${text.slice(0, 40)}" is not ${unit}` });
    return undefined;
  }
  return v;
}

/** The row's time, or reports it. */
function rowTime(ctx: ReadContext, what: string, get: Get, at: At, daily: boolean): Placed | null {
  const text = get('timestamp');
  const p = placeCell(text, ctx, daily);
  if (!p) ctx.sink.reject(`${what}: unreadable time`, { ...at, column: 'timestamp', detail: `"${text.slice(0, 40)}" ${TIME_HELP}` });
  return p;
}

/** The row's origin, or null (counted as a note) for a row another app wrote through Health Connect. */
function rowOrigin(ctx: ReadContext, get: Get): OriginRef | null {
  const source = get('data source');
  if (viaHealthConnect(source)) {
    ctx.sink.note('rows another app wrote into Fitbit through Health Connect (not Fitbit’s; import that app’s own data instead)');
    return null;
  }
  return dataSourceOrigin(source);
}

/** Daily Heart Rate Variability Summary: the night's RMSSD (ms) as its date's hrv_rmssd; nremhr (bpm) and entropy kept unmapped. */
export async function readHrvDaily(ctx: ReadContext): Promise<void> {
  const what = 'Fitbit HRV summary';
  await eachRow(ctx, what, ['timestamp', 'rmssd', 'nremhr', 'entropy'], (get, at) => {
    const p = rowTime(ctx, what, get, at, true);
    if (!p) return;
    const rmssd = cellNumber(ctx, what, 'rmssd', get('rmssd'), at, 'an RMSSD in milliseconds');
    const nremhr = cellNumber(ctx, what, 'nremhr', get('nremhr'), at, 'a heart rate in beats per minute');
    const entropy = cellNumber(ctx, what, 'entropy', get('entropy'), at, 'a number');
    if (rmssd === undefined || nremhr === undefined || entropy === undefined) return;
    ctx.sink.read('hrv.daily');
    const base = { origin: FITBIT_BAND, startMs: p.startMs, endMs: p.endMs, zone: p.zone, day: p.day };
    if (rmssd !== null && rmssd > 0) ctx.sink.sample({ ...base, rawType: 'hrv.daily_rmssd', metric: 'hrv_rmssd', unit: 'ms', value: round(rmssd) });
    else ctx.sink.note('nights without an HRV value (empty rmssd)');
    if (nremhr !== null && nremhr > 0) ctx.sink.sample({ ...base, rawType: 'hrv.nremhr', metric: null, unit: 'bpm', value: round(nremhr) });
    if (entropy !== null) ctx.sink.sample({ ...base, rawType: 'hrv.entropy', metric: null, unit: 'entropy', value: round(entropy) });
  });
}

/** Daily SpO2: the night's average (percent → fraction) as spo2; its lower and upper bounds kept unmapped. */
export async function readSpo2Daily(ctx: ReadContext): Promise<void> {
  const what = 'Fitbit daily SpO2';
  await eachRow(ctx, what, ['timestamp', 'average_value', 'lower_bound', 'upper_bound'], (get, at) => {
    spo2Row(ctx, what, get, at, FITBIT_BAND, ['average_value', 'lower_bound', 'upper_bound']);
  });
}

function spo2Row(ctx: ReadContext, what: string, get: Get, at: At, origin: OriginRef, [avgCol, lowCol, highCol]: [string, string | null, string | null]): void {
  const p = rowTime(ctx, what, get, at, true);
  if (!p) return;
  const pct = (col: string | null) => (col ? cellNumber(ctx, what, col, get(col), at, 'a percentage') : null);
  const avg = pct(avgCol);
  if (avg === undefined) return;
  if (avg !== null && avg > 100) {
    ctx.sink.reject(`${what}: not a percentage`, { ...at, column: avgCol, detail: `"${get(avgCol)}" is over 100 %` });
    return;
  }
  ctx.sink.read('spo2.daily');
  if (avg === null || avg === 0) return;
  const base = { origin, startMs: p.startMs, endMs: p.endMs, zone: p.zone, day: p.day };
  ctx.sink.sample({ ...base, rawType: 'spo2.daily_average', metric: 'spo2', unit: 'fraction', value: round(avg / 100) });
  for (const [col, raw] of [[lowCol, 'spo2.daily_lower_bound'], [highCol, 'spo2.daily_upper_bound']] as const) {
    const v = pct(col);
    if (v !== null && v !== undefined && v > 0 && v <= 100) ctx.sink.sample({ ...base, rawType: raw, metric: null, unit: 'fraction', value: round(v / 100) });
  }
}

/** Physical Activity_GoogleData daily_oxygen_saturation: the day's average (percent → fraction) as spo2. */
export async function readGoogleSpo2Daily(ctx: ReadContext): Promise<void> {
  const what = 'Fitbit daily oxygen saturation';
  await eachRow(ctx, what, ['timestamp', 'average percentage'], (get, at) => {
    const origin = rowOrigin(ctx, get);
    if (origin) spo2Row(ctx, what, get, at, origin, ['average percentage', null, null]);
  });
}

/** Physical Activity_GoogleData steps_: the steps of the minute from `timestamp` (count), per device; 0-step minutes are not stored. */
export async function readGoogleSteps(ctx: ReadContext): Promise<void> {
  const what = 'Fitbit steps';
  let zeros = 0;
  await eachRow(ctx, what, ['timestamp', 'steps', 'data source'], (get, at) => {
    const p = rowTime(ctx, what, get, at, false);
    if (!p) return;
    const v = cellNumber(ctx, what, 'steps', get('steps'), at, 'a number of steps');
    if (v === undefined || v === null) return;
    const origin = rowOrigin(ctx, get);
    if (!origin) return;
    ctx.sink.read('googledata.steps');
    if (v === 0) {
      zeros++;
      return;
    }
    ctx.sink.sample({ rawType: 'googledata.steps', metric: 'steps', unit: 'count', origin, startMs: p.startMs, endMs: p.startMs + MINUTE, zone: p.zone, value: v });
  });
  if (zeros) ctx.sink.note('minutes with 0 steps (not stored: they add nothing)', zeros);
}

/**
 * Physical Activity_GoogleData heart_rate_: readings every few seconds as one-minute means per
 * device (the mean bpm of each UTC minute's readings, to 0.1 bpm, spanning the minute), as
 * globalExport.readHeartRate does for the JSON twin. One file is one day: its minutes are held
 * until the file ends.
 */
export async function readGoogleHeartRate(ctx: ReadContext): Promise<void> {
  const what = 'Fitbit heart rate';
  const minutes = new Map<string, { origin: OriginRef; startMs: number; zone: Placed['zone']; sum: number; n: number }>();
  await eachRow(ctx, what, ['timestamp', 'beats per minute', 'data source'], (get, at) => {
    const p = rowTime(ctx, what, get, at, false);
    if (!p) return;
    const bpm = cellNumber(ctx, what, 'beats per minute', get('beats per minute'), at, 'a heart rate in beats per minute');
    if (bpm === undefined || bpm === null || bpm === 0) return;
    const origin = rowOrigin(ctx, get);
    if (!origin) return;
    ctx.sink.read('googledata.heart_rate');
    const startMs = Math.floor(p.startMs / MINUTE) * MINUTE;
    const key = `${origin.name}\u0000${startMs}`;
    const m = minutes.get(key);
    if (m) {
      m.sum += bpm;
      m.n++;
    } else minutes.set(key, { origin, startMs, zone: p.zone, sum: bpm, n: 1 });
  });
  let readings = 0;
  for (const m of [...minutes.values()].sort((a, b) => a.startMs - b.startMs)) {
    readings += m.n;
    ctx.sink.sample({ rawType: 'googledata.heart_rate.minute_mean', metric: 'heart_rate', unit: 'bpm', origin: m.origin, startMs: m.startMs, endMs: m.startMs + MINUTE, zone: m.zone, value: round(Math.round((m.sum / m.n) * 10) / 10) });
  }
  if (readings) ctx.sink.note('heart-rate readings (every few seconds) stored as one-minute means', readings);
  await ctx.sink.pace();
}

/** Physical Activity_GoogleData daily_resting_heart_rate: the date's resting heart rate (bpm); 0 means none. */
export async function readGoogleRestingHeartRate(ctx: ReadContext): Promise<void> {
  const what = 'Fitbit resting heart rate';
  let zeros = 0;
  await eachRow(ctx, what, ['timestamp', 'beats per minute'], (get, at) => {
    const p = rowTime(ctx, what, get, at, true);
    if (!p) return;
    const bpm = cellNumber(ctx, what, 'beats per minute', get('beats per minute'), at, 'a heart rate in beats per minute');
    if (bpm === undefined || bpm === null) return;
    const origin = rowOrigin(ctx, get);
    if (!origin) return;
    ctx.sink.read('googledata.daily_resting_heart_rate');
    if (bpm === 0) {
      zeros++;
      return;
    }
    ctx.sink.sample({ rawType: 'googledata.daily_resting_heart_rate', metric: 'resting_heart_rate', unit: 'bpm', origin, startMs: p.startMs, endMs: p.endMs, zone: p.zone, day: p.day, value: round(bpm) });
  });
  if (zeros) ctx.sink.note('days with no resting heart rate (Fitbit writes 0; not stored)', zeros);
}

/** Physical Activity_GoogleData weight: grams → kg, a reading at its time, from the scale or app the data source names. */
export async function readGoogleWeight(ctx: ReadContext): Promise<void> {
  const what = 'Fitbit weight';
  await eachRow(ctx, what, ['timestamp', 'weight grams'], (get, at) => {
    const p = rowTime(ctx, what, get, at, false);
    if (!p) return;
    const g = cellNumber(ctx, what, 'weight grams', get('weight grams'), at, 'a weight in grams');
    if (g === undefined || g === null || g === 0) return;
    const origin = rowOrigin(ctx, get);
    if (!origin) return;
    ctx.sink.read('googledata.weight');
    ctx.sink.sample({ rawType: 'googledata.weight', metric: 'weight', unit: 'kg', origin, startMs: p.startMs, endMs: p.endMs, zone: p.zone, value: round(convertUnit(g, 'g', 'kg')!) });
  });
}

/** Physical Activity_GoogleData body_fat: percent → fraction, a reading at its time. */
export async function readGoogleBodyFat(ctx: ReadContext, column: string): Promise<void> {
  const what = 'Fitbit body fat';
  await eachRow(ctx, what, ['timestamp', column], (get, at) => {
    const p = rowTime(ctx, what, get, at, false);
    if (!p) return;
    const pct = cellNumber(ctx, what, column, get(column), at, 'a percentage');
    if (pct === undefined || pct === null || pct === 0) return;
    const origin = rowOrigin(ctx, get);
    if (!origin) return;
    ctx.sink.read('googledata.body_fat');
    ctx.sink.sample({ rawType: 'googledata.body_fat', metric: 'body_fat', unit: 'fraction', origin, startMs: p.startMs, endMs: p.endMs, zone: p.zone, value: round(pct / 100) });
  });
}
