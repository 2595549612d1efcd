// Oura API v2 documents → canonical samples. Zones: an Oura local timestamp carries the offset
// the ring's zone had (`2024-03-01T23:10:00+01:00`), kept as a fixed-offset zone (ZONE_SRC
// offset); heart rate timestamps are UTC instants (the API types them UtcDateTime), so their
// readings take the home zone. Per-day figures (activity, scores, SpO2) are daily totals of
// Oura's `day`; a sleep period and a day's activity are provider records (`ref`), so a revised
// one replaces its earlier version (core/samples).
import type { SleepStage } from '../../../../shared/catalog';
import { HOME_ZONE, type OriginRef, type SampleRecord, type WorkoutRecord, type ZoneRef } from '../../samples';
import { fixedOffsetZone, localMidnightMs, MINUTE, parseDay, ZONE_SRC } from '../../time/zones';

/** Every Oura list endpoint's envelope. */
export interface OuraList<T> {
  data?: T[];
  next_token?: string | null;
}

export const RING: OriginRef = { name: 'Oura Ring', deviceKind: 'ring' };
const MANUAL: OriginRef = { name: 'Manual entry', deviceKind: 'manual' };

/** Every canonical metric the Oura mapping can write, by stream (checked against the catalog by a test). */
export const MAPPED_METRICS = {
  daily_activity: ['steps', 'active_energy'],
  sleep: ['sleep', 'hrv_rmssd', 'resting_heart_rate', 'respiratory_rate'],
  daily_sleep: ['oura_sleep_score'],
  daily_readiness: ['oura_readiness', 'body_temperature_deviation'],
  daily_spo2: ['spo2'],
  heartrate: ['heart_rate'],
  workout: ['workouts'],
} as const;

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):?(\d{2}))$/;

/** An ISO 8601 date-time with its offset (minutes east of UTC); null unless it names one. */
export function parseOuraTime(text: unknown): { ms: number; offsetMin: number } | null {
  if (typeof text !== 'string') return null;
  const m = ISO.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(local).getUTCDate() !== d) return null;
  const frac = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const offsetMin = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (Math.abs(offsetMin) > 18 * 60) return null;
  return { ms: local + frac - offsetMin * MINUTE, offsetMin };
}

/** The zone of an Oura local timestamp: its offset as a fixed-offset zone, else the home zone. */
export function offsetZone(text: unknown): ZoneRef {
  const t = parseOuraTime(text);
  return t ? { name: fixedOffsetZone(t.offsetMin), src: ZONE_SRC.offset } : HOME_ZONE;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const round = (v: number) => Number(v.toPrecision(10));
const FIVE_MIN = 5 * MINUTE;

/** Runs of one value in a string of 5-minute slots: [from, to) in slots; characters read as null end a run. */
export function runs<T>(slots: string, read: (ch: string) => T | null): { value: T; from: number; to: number }[] {
  const out: { value: T; from: number; to: number }[] = [];
  for (let i = 0; i < slots.length; i++) {
    const v = read(slots[i]);
    if (v === null) continue;
    const last = out.at(-1);
    if (last && last.to === i && last.value === v) last.to = i + 1;
    else out.push({ value: v, from: i, to: i + 1 });
  }
  return out;
}

/** One named day: its epoch day, zone, and the span of that local day. */
function daySpan(dayText: unknown, zone: ZoneRef, homeZone: string): { day: number; startMs: number; endMs: number } | null {
  const day = typeof dayText === 'string' ? parseDay(dayText) : null;
  if (day === null) return null;
  const tz = zone.name ?? homeZone;
  const startMs = localMidnightMs(tz, day);
  const endMs = localMidnightMs(tz, day + 1);
  return startMs === null || endMs === null ? null : { day, startMs, endMs };
}

export interface DailyActivity {
  id?: string;
  day?: string;
  timestamp?: string;
  steps?: number | null;
  active_calories?: number | null;
  total_calories?: number | null;
  equivalent_walking_distance?: number | null;
  score?: number | null;
  class_5_min?: string | null;
}

/**
 * One day of activity, as one record (`activity:<day>`): steps and active energy are daily
 * totals of `day` spanning that local day in the zone of the day's `timestamp`; total calories,
 * Oura's "equivalent walking distance" (not a distance walked) and the activity score are kept
 * unmapped. `class_5_min` is one digit per 5 minutes from `timestamp` (Oura's day starts at
 * 04:00): 0 non-wear, 1 rest, 2 inactive, 3 low, 4 medium, 5 high activity; runs of one class
 * are stored as intervals (raw `activity.class_5_min`, value = the class), anything else in the
 * string (a gap) ends a run.
 */
export function mapDailyActivity(rows: readonly DailyActivity[], homeZone: string): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const a of rows) {
    const zone = offsetZone(a.timestamp);
    const span = daySpan(a.day, zone, homeZone);
    if (!span) continue;
    const base = { origin: RING, zone, ref: `activity:${a.day}` };
    const total = (raw: string, metric: string | null, unit: string, v: number | null) => {
      if (v !== null && v >= 0) out.push({ ...base, rawType: `activity.${raw}`, metric, unit, startMs: span.startMs, endMs: span.endMs, day: span.day, value: round(v) });
    };
    total('steps', 'steps', 'count', num(a.steps));
    total('active_calories', 'active_energy', 'kcal', num(a.active_calories));
    total('total_calories', null, 'kcal', num(a.total_calories));
    total('equivalent_walking_distance', null, 'm', num(a.equivalent_walking_distance));
    total('score', null, 'score', num(a.score));

    const from = parseOuraTime(a.timestamp);
    if (!from) continue;
    for (const r of runs(typeof a.class_5_min === 'string' ? a.class_5_min : '', (ch) => (ch >= '0' && ch <= '5' ? Number(ch) : null))) {
      out.push({ ...base, rawType: 'activity.class_5_min', metric: null, unit: 'class', startMs: from.ms + r.from * FIVE_MIN, endMs: from.ms + r.to * FIVE_MIN, value: r.value });
    }
  }
  return out;
}

export interface SleepPeriod {
  id?: string;
  day?: string;
  type?: string;
  bedtime_start?: string;
  bedtime_end?: string;
  sleep_phase_5_min?: string | null;
  deep_sleep_duration?: number | null;
  light_sleep_duration?: number | null;
  rem_sleep_duration?: number | null;
  awake_time?: number | null;
  average_hrv?: number | null;
  lowest_heart_rate?: number | null;
  average_heart_rate?: number | null;
  average_breath?: number | null;
}

/** sleep_phase_5_min: 1 deep, 2 light, 3 REM, 4 awake. */
const PHASE: Record<string, SleepStage> = { '1': 'deep', '2': 'light', '3': 'rem', '4': 'awake' };
const DURATIONS: [field: keyof SleepPeriod, stage: SleepStage][] = [
  ['deep_sleep_duration', 'deep'],
  ['light_sleep_duration', 'light'],
  ['rem_sleep_duration', 'rem'],
  ['awake_time', 'awake'],
];

/**
 * One sleep period, as one record (`sleep:<id>`): time in bed from bedtime_start to
 * bedtime_end; stages from `sleep_phase_5_min`, 5 minutes per digit from bedtime_start (runs of
 * one stage as one interval, cut at bedtime_end). A period without phases gets its stage
 * durations (seconds) as daily totals of its `day`, spanning the period. The night's figures are
 * readings at bedtime_end, so they count on the morning's day like the sleep itself: average
 * HRV as RMSSD, breaths per minute, and the lowest heart rate of the main sleep (`long_sleep`)
 * as the day's resting heart rate (Oura's own resting heart rate is this figure; a nap's lowest
 * is not a resting rate and stays unmapped, as does the average heart rate).
 */
export function mapSleepPeriods(rows: readonly SleepPeriod[]): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const p of rows) {
    if (p.type === 'deleted') continue;
    const start = parseOuraTime(p.bedtime_start);
    const end = parseOuraTime(p.bedtime_end);
    if (!start || !end || end.ms <= start.ms) continue;
    const zone = offsetZone(p.bedtime_start);
    const base = { origin: RING, zone, ref: `sleep:${p.id ?? p.bedtime_start}` };
    const sleep = { ...base, metric: 'sleep', unit: 'min', value: 0 };
    out.push({ ...sleep, rawType: 'sleep.in_bed', startMs: start.ms, endMs: end.ms, category: 'in_bed' });

    let staged = false;
    for (const r of runs(typeof p.sleep_phase_5_min === 'string' ? p.sleep_phase_5_min : '', (ch) => PHASE[ch] ?? null)) {
      const s = start.ms + r.from * FIVE_MIN;
      const e = Math.min(end.ms, start.ms + r.to * FIVE_MIN);
      if (e <= s) continue;
      out.push({ ...sleep, rawType: 'sleep.stage', startMs: s, endMs: e, category: r.value });
      staged = true;
    }

    if (!staged) {
      const day = typeof p.day === 'string' ? parseDay(p.day) : null;
      for (const [field, stage] of DURATIONS) {
        const s = num(p[field]);
        if (day === null || s === null || s <= 0) continue;
        out.push({ ...sleep, rawType: `sleep.total.${stage}`, startMs: start.ms, endMs: end.ms, day, value: round(s / 60), category: stage });
      }
    }

    const reading = (raw: string, metric: string | null, unit: string, v: number | null) => {
      if (v !== null && v > 0) out.push({ ...base, rawType: `sleep.${raw}`, metric, unit, startMs: end.ms, endMs: end.ms, value: round(v) });
    };
    reading('average_hrv', 'hrv_rmssd', 'ms', num(p.average_hrv));
    // A raw type has one metric: a nap's lowest rate is its own type.
    if (p.type === 'long_sleep' || p.type === undefined) reading('lowest_heart_rate', 'resting_heart_rate', 'bpm', num(p.lowest_heart_rate));
    else reading('nap_lowest_heart_rate', null, 'bpm', num(p.lowest_heart_rate));
    reading('average_heart_rate', null, 'bpm', num(p.average_heart_rate));
    reading('average_breath', 'respiratory_rate', 'breaths/min', num(p.average_breath));
  }
  return out;
}

export interface DailyScore {
  id?: string;
  day?: string;
  timestamp?: string;
  score?: number | null;
  temperature_deviation?: number | null;
  temperature_trend_deviation?: number | null;
}

/** daily_sleep and daily_readiness: the day's score (a provider-specific metric) as a daily total of `day`. */
export function mapDailyScores(kind: 'daily_sleep' | 'daily_readiness', rows: readonly DailyScore[], homeZone: string): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const r of rows) {
    const zone = offsetZone(r.timestamp);
    const span = daySpan(r.day, zone, homeZone);
    if (!span) continue;
    const push = (raw: string, metric: string | null, unit: string, v: number | null) => {
      if (v !== null) out.push({ rawType: `${kind}.${raw}`, metric, unit, origin: RING, zone, ...span, value: round(v) });
    };
    const score = num(r.score);
    push('score', kind === 'daily_sleep' ? 'oura_sleep_score' : 'oura_readiness', 'score', score !== null && score > 0 ? score : null);
    if (kind === 'daily_readiness') {
      push('temperature_deviation', 'body_temperature_deviation', 'degC', num(r.temperature_deviation));
      push('temperature_trend_deviation', null, 'degC', num(r.temperature_trend_deviation));
    }
  }
  return out;
}

export interface DailySpo2 {
  id?: string;
  day?: string;
  spo2_percentage?: { average?: number | null } | null;
}

/** The night's average SpO2 (percent → fraction) as a daily total of `day`; 0 or none means nothing was measured. */
export function mapDailySpo2(rows: readonly DailySpo2[], homeZone: string): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const r of rows) {
    const avg = num(r.spo2_percentage?.average);
    const span = daySpan(r.day, HOME_ZONE, homeZone);
    if (!span || avg === null || avg <= 0) continue;
    out.push({ rawType: 'daily_spo2.average', metric: 'spo2', unit: 'fraction', origin: RING, zone: HOME_ZONE, ...span, value: round(avg / 100) });
  }
  return out;
}

export interface HeartRateRow {
  bpm?: number | null;
  source?: string;
  timestamp?: string;
}

/** Heart rate readings at their instant; the timestamp is UTC, so the reading takes the home zone. */
export function mapHeartRate(rows: readonly HeartRateRow[]): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const r of rows) {
    const t = parseOuraTime(r.timestamp);
    const bpm = num(r.bpm);
    if (!t || bpm === null || bpm <= 0) continue;
    out.push({ rawType: 'heartrate', metric: 'heart_rate', unit: 'bpm', origin: RING, zone: HOME_ZONE, startMs: t.ms, endMs: t.ms, value: bpm });
  }
  return out;
}

export interface OuraWorkout {
  id?: string;
  activity?: string;
  calories?: number | null;
  day?: string;
  distance?: number | null;
  start_datetime?: string;
  end_datetime?: string;
  intensity?: string | null;
  label?: string | null;
  source?: string | null;
}

/** Oura's activity names in VitalSync's spelling: `strengthTraining` → `strength_training`. */
export const activityType = (name: unknown) =>
  typeof name === 'string' && name.trim() ? name.trim().replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[\s-]+/g, '_').toLowerCase() : 'other';

/** Workouts in the zone of their start; one that ends before it starts is left out. A manual one is a manual entry. */
export function mapWorkouts(rows: readonly OuraWorkout[]): WorkoutRecord[] {
  const out: WorkoutRecord[] = [];
  for (const w of rows) {
    const start = parseOuraTime(w.start_datetime);
    const end = parseOuraTime(w.end_datetime);
    if (!start || !end || end.ms < start.ms) continue;
    const distance = num(w.distance);
    const calories = num(w.calories);
    out.push({
      origin: w.source === 'manual' ? MANUAL : RING,
      activityType: activityType(w.activity),
      startMs: start.ms,
      endMs: end.ms,
      zone: offsetZone(w.start_datetime),
      durationS: (end.ms - start.ms) / 1000,
      distanceKm: distance !== null && distance > 0 ? round(distance / 1000) : null,
      energyKcal: calories !== null && calories > 0 ? calories : null,
      avgHeartRate: null,
      maxHeartRate: null,
      details: { ouraId: w.id ?? null, activity: w.activity ?? null, intensity: w.intensity ?? null, label: w.label ?? null, source: w.source ?? null },
    });
  }
  return out;
}
