// The "Global Export Data" JSON layout of a Fitbit export (Takeout/Fitbit/Global Export Data/,
// the same files as the older fitbit.com account archive's per-category folders). Each file is a
// JSON array; each reader takes one file at a time.
//
// Layout and time zones, as established (search, 2026):
// - steps-<date>.json, ~30 days of minutes per file: [{"dateTime":"MM/DD/YY HH:MM:SS","value":"12"}]
//   (value a string); heart_rate-<date>.json, one day a file, a reading every 2–15 s:
//   [{"dateTime":…,"value":{"bpm":64,"confidence":2}}]; resting_heart_rate-<date>.json, about a
//   year a file: [{"dateTime":…,"value":{"date":"MM/DD/YY","value":57.6,"error":6.9}}], a 0 value
//   for a day without one. Sources: kabaka/oscar-export-analyzer's catalog of a real 2014–2026
//   Takeout (docs, "Google Health (Fitbit) Export — Data Catalog" §1.1 and §4), kev-m/FitOut's
//   test data (tests/data/resting_heart_rate-*.json), and parsers of the same files in the code corpus.
// - These `MM/DD/YY HH:MM:SS` times are local wall-clock time with no zone (the catalog's §4.1
//   "local, naive"; another Takeout parser in the code corpus prefers the Google-era CSV twins
//   for exactly that reason: "the JSON stamps `06/10/26 16:39:00` — US-ordered LOCAL wall time
//   with no offset"). They are read in the import's zone (placeLocal).
// - sleep-<date>.json, ~30 days of logs per file, each the Web API's sleep log (logId,
//   dateOfSleep, startTime/endTime as ISO without an offset, type "stages" or "classic",
//   levels.data/shortData, mainSleep). startTime is local time: andykong.org/blog/
//   fitbitsleeptzcorrection shows bedtimes keep their wall-clock hour across travel, and the
//   catalog says "ISO-8601 no Z … local, naive". Read in the import's zone.
// - weight-<date>.json: [{"logId","weight","bmi","fat"?, "date":"MM/DD/YY","time":"HH:MM:SS",
//   "source":"Aria"|"API"|"Web"}] (kev-m/FitOut tests/test_weight.py and fitout/importers/weight.py).
//   The weight is in the account's display unit with no unit field; Your Profile/Profile.csv's
//   `weight_unit` names it (en_US = pounds, METRIC = kilograms: confirmed in a parser in the code
//   corpus by cross-checking a real export's values against the profile).
import type { SleepStage } from '../../../../shared/catalog';
import { convertUnit } from '../../../../shared/units';
import type { OriginRef, SampleRecord } from '../../samples';
import { MINUTE } from '../../time/zones';
import { parseDateTime, type LocalDateTime } from '../csv/dates';
import type { InputEntry, RecordSink } from '../importer';
import { placeLocal } from '../place';
import { FITBIT_BAND, fieldNumber, readJsonArray, round, weightOrigin } from './common';

export interface ReadContext {
  entry: InputEntry;
  sink: RecordSink;
  /** The account's weight unit (Profile.csv, else the person's choice); null when unknown. */
  weightUnit: 'kg' | 'lb' | null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MDY_HELP = 'is not a date and time written month/day/year hours:minutes:seconds (03/10/24 08:15:00)';

/** A `MM/DD/YY HH:MM:SS` field as a local date-time; null when it is not one. */
function mdyTime(v: unknown): LocalDateTime | null {
  const t = typeof v === 'string' ? parseDateTime(v, 'mdy') : null;
  return t && t.msOfDay !== null ? t : null;
}

const show = (v: unknown) => (typeof v === 'string' ? `"${v.slice(0, 40)}"` : v === undefined ? 'a missing value' : JSON.stringify(v)?.slice(0, 40));

/**
 * steps-*.json: each record is the steps of the minute starting at `dateTime` (an interval
 * amount, count). A minute of 0 steps is not stored (it adds nothing to any sum; a month file
 * is mostly such minutes) and is counted as a note.
 */
export async function readSteps({ entry, sink }: ReadContext): Promise<void> {
  const rows = await readJsonArray(entry, sink, 'Fitbit steps');
  if (!rows) return;
  let zeros = 0;
  for (let i = 0; i < rows.length; i++) {
    if (sink.cancelled) return;
    const r = rows[i];
    const at = { entry: entry.path, row: i + 1 };
    const t = isObj(r) ? mdyTime(r.dateTime) : null;
    if (!t) {
      sink.reject('Fitbit steps: unreadable time', { ...at, column: 'dateTime', detail: `${show(isObj(r) ? r.dateTime : r)} ${MDY_HELP}` });
      continue;
    }
    const v = fieldNumber((r as Record<string, unknown>).value);
    if (v === null || Number.isNaN(v) || v < 0) {
      sink.reject('Fitbit steps: not a number of steps', { ...at, column: 'value', detail: `${show((r as Record<string, unknown>).value)} is not a number of steps` });
      continue;
    }
    sink.read('steps');
    if (v === 0) {
      zeros++;
      continue;
    }
    const p = placeLocal(t, sink.choices, MINUTE);
    if (!p) continue;
    sink.sample({ rawType: 'steps', metric: 'steps', unit: 'count', origin: FITBIT_BAND, startMs: p.startMs, endMs: p.endMs, zone: p.zone, value: v });
    if (i % 512 === 511) await sink.pace();
  }
  if (zeros) sink.note('minutes with 0 steps (not stored: they add nothing)', zeros);
}

/** Mean heart rate of the readings of one local minute. */
interface MinuteAcc {
  t: LocalDateTime;
  sum: number;
  n: number;
}

/**
 * Heart-rate readings (bpm, every few seconds) as one-minute means: one reading per local minute
 * that has any, value = the mean bpm of that minute's readings (to 0.1 bpm), spanning the minute.
 * A day of a recent tracker is ~40,000 readings; 1,440 means keep what the merge and the charts
 * use (their finest bucket is a minute) at a thirtieth of the rows. Readings are grouped by
 * their minute wherever they sit in the file. `confidence` is not used: Fitbit shows every
 * reading in its own charts. On the night clocks go back, the repeated local hour's readings
 * share their wall-clock minutes (a local time names no offset; nothing tells the two apart).
 */
export async function readHeartRate({ entry, sink }: ReadContext): Promise<void> {
  const rows = await readJsonArray(entry, sink, 'Fitbit heart rate');
  if (!rows) return;
  const minutes = new Map<number, MinuteAcc>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const at = { entry: entry.path, row: i + 1 };
    const t = isObj(r) ? mdyTime(r.dateTime) : null;
    if (!t) {
      sink.reject('Fitbit heart rate: unreadable time', { ...at, column: 'dateTime', detail: `${show(isObj(r) ? r.dateTime : r)} ${MDY_HELP}` });
      continue;
    }
    const value = (r as Record<string, unknown>).value;
    const bpm = isObj(value) ? fieldNumber(value.bpm) : null;
    if (bpm === null || Number.isNaN(bpm) || bpm <= 0) {
      sink.reject('Fitbit heart rate: no bpm', { ...at, column: 'value.bpm', detail: `${show(isObj(value) ? value.bpm : value)} is not a heart rate in beats per minute` });
      continue;
    }
    sink.read('heart_rate');
    const minuteOfDay = Math.floor(t.msOfDay! / MINUTE) * MINUTE;
    const key = t.day * 1440 + minuteOfDay / MINUTE;
    const acc = minutes.get(key);
    if (acc) {
      acc.sum += bpm;
      acc.n++;
    } else minutes.set(key, { t: { ...t, msOfDay: minuteOfDay }, sum: bpm, n: 1 });
  }
  let n = 0;
  let readings = 0;
  for (const m of minutes.values()) readings += m.n;
  if (readings) sink.note('heart-rate readings (every few seconds) stored as one-minute means', readings);
  for (const key of [...minutes.keys()].sort((a, b) => a - b)) {
    if (sink.cancelled) return;
    const m = minutes.get(key)!;
    const p = placeLocal(m.t, sink.choices, MINUTE);
    if (!p) continue;
    sink.sample({ rawType: 'heart_rate.minute_mean', metric: 'heart_rate', unit: 'bpm', origin: FITBIT_BAND, startMs: p.startMs, endMs: p.endMs, zone: p.zone, value: round(Math.round((m.sum / m.n) * 10) / 10) });
    if (++n % 512 === 0) await sink.pace();
  }
}

/**
 * resting_heart_rate-*.json: the day's resting heart rate (bpm), a value of that local date
 * (`value.date`, else the date of `dateTime`). Fitbit writes 0 for a day it could not compute
 * one: not stored, counted as a note. `error` (Fitbit's uncertainty, bpm) is kept unmapped.
 */
export async function readRestingHeartRate({ entry, sink }: ReadContext): Promise<void> {
  const rows = await readJsonArray(entry, sink, 'Fitbit resting heart rate');
  if (!rows) return;
  let zeros = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const at = { entry: entry.path, row: i + 1 };
    const value = isObj(r) ? r.value : undefined;
    const dateText = isObj(value) && typeof value.date === 'string' ? value.date : isObj(r) ? r.dateTime : undefined;
    const d = typeof dateText === 'string' ? parseDateTime(dateText.replace(/\s+\d{1,2}:\d{2}(:\d{2})?$/, ''), 'mdy') : null;
    if (!d) {
      sink.reject('Fitbit resting heart rate: unreadable date', { ...at, column: 'value.date', detail: `${show(dateText)} is not a date written month/day/year (03/10/24)` });
      continue;
    }
    const bpm = isObj(value) ? fieldNumber(value.value) : null;
    if (bpm === null || Number.isNaN(bpm) || bpm < 0) {
      sink.reject('Fitbit resting heart rate: not a number', { ...at, column: 'value.value', detail: `${show(isObj(value) ? value.value : value)} is not a heart rate in beats per minute` });
      continue;
    }
    sink.read('resting_heart_rate');
    if (bpm === 0) {
      zeros++;
      continue;
    }
    const p = placeLocal(d, sink.choices);
    if (!p) continue;
    const day = { origin: FITBIT_BAND, startMs: p.startMs, endMs: p.endMs, zone: p.zone, day: p.day };
    sink.sample({ ...day, rawType: 'resting_heart_rate', metric: 'resting_heart_rate', unit: 'bpm', value: round(bpm) });
    const err = isObj(value) ? fieldNumber(value.error) : null;
    if (err !== null && !Number.isNaN(err) && err > 0) sink.sample({ ...day, rawType: 'resting_heart_rate.error', metric: null, unit: 'bpm', value: round(err) });
  }
  if (zeros) sink.note('days with no resting heart rate (Fitbit writes 0; not stored)', zeros);
}

/** Fitbit's sleep levels: "stages" logs (deep/light/rem/wake) and "classic" ones (asleep/restless/awake). */
const LEVEL: Record<string, SleepStage> = {
  deep: 'deep',
  light: 'light',
  rem: 'rem',
  wake: 'awake',
  asleep: 'asleep_unspecified',
  // Fitbit's classic logs count restless minutes in minutesAwake: they are awake time.
  restless: 'awake',
  awake: 'awake',
};

interface Segment {
  stage: SleepStage;
  startMs: number;
  endMs: number;
}

/**
 * One sleep log's timeline: levels.data segments (each from its local `dateTime` for `seconds`),
 * with levels.shortData laid over them. shortData holds the short wakes (≤ 3 minutes) a
 * "stages" log detects inside longer segments; Fitbit's own hypnogram and its wake total
 * (levels.summary.wake.minutes) count them as awake, so they cut the segment they fall in.
 * Adjacent segments of one stage are joined. Segments that cannot be placed are dropped.
 */
export function sleepTimeline(data: unknown, shortData: unknown, place: (text: unknown) => number | null): Segment[] {
  const read = (list: unknown): Segment[] => {
    const out: Segment[] = [];
    for (const s of Array.isArray(list) ? list : []) {
      if (!isObj(s)) continue;
      const stage = typeof s.level === 'string' ? LEVEL[s.level] : undefined;
      const start = place(s.dateTime);
      const secs = fieldNumber(s.seconds);
      if (!stage || start === null || secs === null || Number.isNaN(secs) || secs <= 0) continue;
      out.push({ stage, startMs: start, endMs: start + secs * 1000 });
    }
    return out.sort((a, b) => a.startMs - b.startMs);
  };
  let segs = read(data);
  for (const w of read(shortData)) {
    const next: Segment[] = [];
    for (const s of segs) {
      if (w.endMs <= s.startMs || w.startMs >= s.endMs) {
        next.push(s);
        continue;
      }
      if (s.startMs < w.startMs) next.push({ ...s, endMs: w.startMs });
      next.push({ stage: w.stage, startMs: Math.max(s.startMs, w.startMs), endMs: Math.min(s.endMs, w.endMs) });
      if (w.endMs < s.endMs) next.push({ ...s, startMs: w.endMs });
    }
    segs = next;
  }
  const joined: Segment[] = [];
  for (const s of segs) {
    const last = joined.at(-1);
    if (last && last.stage === s.stage && last.endMs === s.startMs) last.endMs = s.endMs;
    else joined.push({ ...s });
  }
  return joined;
}

/**
 * sleep-*.json: each log is one record (`sleep:<logId>`, so a log read again, from a later
 * export or an overlapping file, replaces its earlier version): time in bed from startTime to
 * endTime, and its stages (minutes) from levels. A log with no levels (a manual log) gets its
 * minutesAsleep as a total of its dateOfSleep, spanning the log, like other stage totals.
 * A nap (mainSleep false) is a session of its own; the merge treats it as such.
 */
export async function readSleep({ entry, sink }: ReadContext): Promise<void> {
  const rows = await readJsonArray(entry, sink, 'Fitbit sleep');
  if (!rows) return;
  const place = (text: unknown): number | null => {
    const t = typeof text === 'string' ? parseDateTime(text, 'iso') : null;
    return t && t.msOfDay !== null ? (placeLocal(t, sink.choices)?.startMs ?? null) : null;
  };
  for (let i = 0; i < rows.length; i++) {
    if (sink.cancelled) return;
    const r = rows[i];
    const at = { entry: entry.path, row: i + 1 };
    if (!isObj(r)) {
      sink.reject('Fitbit sleep: not a sleep log', { ...at, detail: 'The record is not a sleep log.' });
      continue;
    }
    const startText = typeof r.startTime === 'string' ? parseDateTime(r.startTime, 'iso') : null;
    const start = startText && startText.msOfDay !== null ? placeLocal(startText, sink.choices) : null;
    const endMs = place(r.endTime);
    if (!start || endMs === null || endMs <= start.startMs) {
      sink.reject('Fitbit sleep: unreadable start or end', { ...at, column: 'startTime', detail: `start ${show(r.startTime)} and end ${show(r.endTime)} are not a local date-time span (2024-03-09T23:30:00.000)` });
      continue;
    }
    sink.read('sleep');
    const logId = typeof r.logId === 'number' || typeof r.logId === 'string' ? String(r.logId) : `${r.startTime}`;
    const origin: OriginRef = r.logType === 'manual' ? { name: 'Fitbit (entered by hand)', deviceKind: 'manual' } : FITBIT_BAND;
    const base = { origin, zone: start.zone, ref: `sleep:${logId}`, metric: 'sleep', unit: 'min' };
    const out: SampleRecord[] = [{ ...base, rawType: 'sleep.in_bed', startMs: start.startMs, endMs, value: round((endMs - start.startMs) / MINUTE), category: 'in_bed' }];
    const levels = isObj(r.levels) ? r.levels : {};
    for (const s of sleepTimeline(levels.data, levels.shortData, place)) {
      const e = Math.min(s.endMs, endMs);
      if (e <= s.startMs) continue;
      out.push({ ...base, rawType: 'sleep.stage', startMs: s.startMs, endMs: e, value: round((e - s.startMs) / MINUTE), category: s.stage });
    }
    const asleep = fieldNumber(r.minutesAsleep);
    const day = typeof r.dateOfSleep === 'string' ? parseDateTime(r.dateOfSleep, 'iso')?.day : undefined;
    if (out.length === 1 && asleep !== null && asleep > 0 && day !== undefined) {
      out.push({ ...base, rawType: 'sleep.total.asleep', startMs: start.startMs, endMs, day, value: round(asleep), category: 'asleep_unspecified' });
    }
    for (const s of out) sink.sample(s);
    await sink.pace();
  }
}

/**
 * weight-*.json: each log is one record (`weight:<logId>`) at its local date and time: weight
 * (converted from the account's unit to kg), BMI (kg/m², as written) and body fat (percent →
 * fraction) when logged. Without a known unit the weights are not stored (the caller warns once).
 */
export async function readWeight({ entry, sink, weightUnit }: ReadContext): Promise<void> {
  const rows = await readJsonArray(entry, sink, 'Fitbit weight');
  if (!rows) return;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const at = { entry: entry.path, row: i + 1 };
    const t = isObj(r) && typeof r.date === 'string' ? parseDateTime(`${r.date} ${typeof r.time === 'string' ? r.time : ''}`.trim(), 'mdy') : null;
    if (!t) {
      sink.reject('Fitbit weight: unreadable date', { ...at, column: 'date', detail: `${show(isObj(r) ? r.date : r)} ${show(isObj(r) ? r.time : undefined)} is not a date and time written month/day/year hours:minutes:seconds` });
      continue;
    }
    const rec = r as Record<string, unknown>;
    const w = fieldNumber(rec.weight);
    if (w === null || Number.isNaN(w) || w <= 0) {
      sink.reject('Fitbit weight: not a number', { ...at, column: 'weight', detail: `${show(rec.weight)} is not a weight` });
      continue;
    }
    sink.read('weight');
    if (!weightUnit) {
      sink.note('weights not stored: the account’s unit (kg or lb) is unknown');
      continue;
    }
    const p = placeLocal(t, sink.choices);
    if (!p) continue;
    const base = { origin: weightOrigin(rec.source), startMs: p.startMs, endMs: p.endMs, zone: p.zone, ref: `weight:${typeof rec.logId === 'number' || typeof rec.logId === 'string' ? rec.logId : `${rec.date} ${rec.time}`}` };
    sink.sample({ ...base, rawType: 'weight', metric: 'weight', unit: 'kg', value: round(convertUnit(w, weightUnit, 'kg')!) });
    const bmi = fieldNumber(rec.bmi);
    if (bmi !== null && !Number.isNaN(bmi) && bmi > 0) sink.sample({ ...base, rawType: 'weight.bmi', metric: 'bmi', unit: 'kg/m2', value: round(bmi) });
    const fat = fieldNumber(rec.fat);
    if (fat !== null && !Number.isNaN(fat) && fat > 0) sink.sample({ ...base, rawType: 'weight.fat', metric: 'body_fat', unit: 'fraction', value: round(fat / 100) });
  }
}
