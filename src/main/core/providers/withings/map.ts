// Withings records → canonical samples. Measures: value × 10^unit. Every record keeps its own
// zone's offset (Withings names an IANA zone per measure list, per activity day, per night).
import { SLEEP_STAGES } from '../../../../shared/catalog';
import type { SampleRecord, WorkoutRecord } from '../../sync/writer';
import { localMidnightMs, nextDay, zoneOffsetMin } from '../zone';

/** Withings meastype → canonical metric, stored unit and factor from the Withings unit. */
export const MEASURE_TYPES: Record<number, { raw: string; metric: string | null; unit: string; factor: number }> = {
  1: { raw: 'weight', metric: 'weight', unit: 'kg', factor: 1 },
  4: { raw: 'height', metric: 'height', unit: 'm', factor: 1 },
  5: { raw: 'fat_free_mass', metric: 'lean_mass', unit: 'kg', factor: 1 },
  6: { raw: 'fat_ratio', metric: 'body_fat', unit: 'fraction', factor: 0.01 },
  8: { raw: 'fat_mass', metric: null, unit: 'kg', factor: 1 },
  9: { raw: 'diastolic_bp', metric: 'blood_pressure_diastolic', unit: 'mmHg', factor: 1 },
  10: { raw: 'systolic_bp', metric: 'blood_pressure_systolic', unit: 'mmHg', factor: 1 },
  11: { raw: 'heart_pulse', metric: 'heart_rate', unit: 'bpm', factor: 1 },
  12: { raw: 'temperature', metric: 'body_temperature', unit: 'degC', factor: 1 },
  54: { raw: 'spo2', metric: 'spo2', unit: 'fraction', factor: 0.01 },
  71: { raw: 'body_temperature', metric: 'body_temperature', unit: 'degC', factor: 1 },
  73: { raw: 'skin_temperature', metric: null, unit: 'degC', factor: 1 },
  76: { raw: 'muscle_mass', metric: 'muscle_mass', unit: 'kg', factor: 1 },
  77: { raw: 'hydration', metric: 'hydration', unit: 'kg', factor: 1 },
  88: { raw: 'bone_mass', metric: 'bone_mass', unit: 'kg', factor: 1 },
  91: { raw: 'pulse_wave_velocity', metric: null, unit: 'm/s', factor: 1 },
};

/** The meastypes VitalSync asks for. */
export const MEASTYPES = Object.keys(MEASURE_TYPES).join(',');

export function deviceKind(model: string | null | undefined): string {
  const m = (model ?? '').toLowerCase();
  if (/body|scale|smart body|ws-/.test(m)) return 'scale';
  if (/scanwatch|move|steel|pulse|watch|activit/.test(m)) return 'watch';
  if (/bpm|blood pressure/.test(m)) return 'monitor';
  if (/thermo/.test(m)) return 'thermometer';
  if (/sleep|aura/.test(m)) return 'sleep_mat';
  if (/tracker|fit|app/.test(m)) return 'app';
  return 'unknown';
}

const origin = (model: unknown, fallback = 'Withings') => {
  const name = typeof model === 'string' && model.trim() ? model.trim() : fallback;
  return { name, deviceKind: deviceKind(name) };
};

const offsetAt = (zone: string | undefined, ms: number, homeOffset: (ms: number) => number) => (zone ? (zoneOffsetMin(zone, ms) ?? homeOffset(ms)) : homeOffset(ms));

interface MeasureGroup {
  date?: number;
  category?: number;
  attrib?: number;
  model?: string | null;
  measures?: { value?: number; type?: number; unit?: number }[];
}

/** Real measurements only (category 1); objectives (category 2) are goals, not facts. */
export function mapMeasureGroups(body: { timezone?: string; measuregrps?: MeasureGroup[] }, homeOffset: (ms: number) => number): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const g of body.measuregrps ?? []) {
    if (g.category !== 1 || typeof g.date !== 'number') continue;
    const ms = g.date * 1000;
    // attrib 2 and 4: typed in by the person, not measured by a device.
    const from = g.attrib === 2 || g.attrib === 4 ? { name: 'Manual entry', deviceKind: 'manual' } : origin(g.model, 'Withings device');
    const off = offsetAt(body.timezone, ms, homeOffset);
    for (const m of g.measures ?? []) {
      if (typeof m.value !== 'number' || typeof m.type !== 'number' || typeof m.unit !== 'number') continue;
      const t = MEASURE_TYPES[m.type] ?? { raw: `meastype_${m.type}`, metric: null, unit: '', factor: 1 };
      // Rounded to 10 significant digits so 10^unit arithmetic noise never makes a "new" value.
      const value = Number((m.value * 10 ** m.unit * t.factor).toPrecision(10));
      out.push({ rawType: t.raw, metric: t.metric, unit: t.unit, origin: from, startMs: ms, endMs: ms, utcOffsetMin: off, value });
    }
  }
  return out;
}

interface ActivityDay {
  date?: string;
  timezone?: string;
  steps?: number;
  distance?: number;
  calories?: number;
  totalcalories?: number;
  elevation?: number;
  soft?: number;
  moderate?: number;
  intense?: number;
  model?: string;
}

/** One day's totals, spanning that local day in the day's own zone; revised as the day fills in. */
export function mapActivity(days: ActivityDay[], homeZone: string): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const d of days) {
    if (!d.date) continue;
    const zone = d.timezone || homeZone;
    const start = localMidnightMs(d.date, zone);
    const end = localMidnightMs(nextDay(d.date), zone);
    if (start === null || end === null) continue;
    const off = zoneOffsetMin(zone, start) ?? 0;
    const from = origin(d.model, 'Withings activity');
    const push = (raw: string, metric: string | null, unit: string, value: number | undefined) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) return;
      out.push({ rawType: `activity.${raw}`, metric, unit, origin: from, startMs: start, endMs: end, utcOffsetMin: off, value: Number(value.toPrecision(10)), revisable: true });
    };
    push('steps', 'steps', 'count', d.steps);
    push('distance', 'distance', 'km', typeof d.distance === 'number' ? d.distance / 1000 : undefined);
    push('calories', 'active_energy', 'kcal', d.calories);
    push('totalcalories', null, 'kcal', d.totalcalories);
    // Withings' "elevation" in getactivity is floors climbed.
    push('elevation', 'floors', 'count', d.elevation);
    if (typeof d.moderate === 'number' || typeof d.intense === 'number') push('moderate_intense', null, 'min', ((d.moderate ?? 0) + (d.intense ?? 0)) / 60);
  }
  return out;
}

/** Withings workout categories (getworkouts `category`). */
export const WORKOUT_CATEGORIES: Record<number, string> = {
  1: 'walking', 2: 'running', 3: 'hiking', 4: 'skating', 5: 'bmx', 6: 'cycling', 7: 'swimming', 8: 'surfing', 9: 'kitesurfing',
  10: 'windsurfing', 11: 'bodyboard', 12: 'tennis', 13: 'table_tennis', 14: 'squash', 15: 'badminton', 16: 'weightlifting',
  17: 'calisthenics', 18: 'elliptical', 19: 'pilates', 20: 'basketball', 21: 'soccer', 22: 'american_football', 23: 'rugby',
  24: 'volleyball', 25: 'water_polo', 26: 'horse_riding', 27: 'golf', 28: 'yoga', 29: 'dancing', 30: 'boxing', 31: 'fencing',
  32: 'wrestling', 33: 'martial_arts', 34: 'skiing', 35: 'snowboarding', 36: 'other', 187: 'rowing', 188: 'zumba', 191: 'baseball',
  192: 'handball', 193: 'hockey', 194: 'ice_hockey', 195: 'climbing', 196: 'ice_skating', 272: 'multisport', 306: 'indoor_walking',
  307: 'indoor_running', 308: 'indoor_cycling',
};

interface WorkoutSeries {
  id?: number;
  category?: number;
  timezone?: string;
  startdate?: number;
  enddate?: number;
  model?: number | string;
  data?: Record<string, number | null | undefined>;
}

export function mapWorkouts(series: WorkoutSeries[], homeOffset: (ms: number) => number): WorkoutRecord[] {
  const out: WorkoutRecord[] = [];
  for (const w of series) {
    if (typeof w.startdate !== 'number' || typeof w.enddate !== 'number' || w.enddate < w.startdate) continue;
    if (w.category === 128) continue; // "no activity"
    const start = w.startdate * 1000;
    const end = w.enddate * 1000;
    const d = w.data ?? {};
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
    const distanceM = num(d.distance) ?? num(d.manual_distance);
    out.push({
      origin: { name: 'Withings workouts', deviceKind: 'watch' },
      activityType: WORKOUT_CATEGORIES[w.category ?? 36] ?? `withings_${w.category}`,
      startMs: start,
      endMs: end,
      utcOffsetMin: offsetAt(w.timezone, start, homeOffset),
      durationS: Math.max(0, (end - start) / 1000 - (num(d.pause_duration) ?? 0)),
      distanceKm: distanceM === null ? null : distanceM / 1000,
      energyKcal: num(d.calories) ?? num(d.manual_calories),
      avgHeartRate: num(d.hr_average),
      maxHeartRate: num(d.hr_max),
      details: { withingsId: w.id ?? null, category: w.category ?? null, steps: num(d.steps), elevation: num(d.elevation), intensity: num(d.intensity) },
    });
  }
  return out;
}

interface SleepNight {
  id?: number;
  timezone?: string;
  startdate?: number;
  enddate?: number;
  date?: string;
  model?: number | string;
  data?: Record<string, number | null | undefined>;
}

const SLEEP_ORIGIN = { name: 'Withings sleep', deviceKind: 'sleep_mat' };

/** A night's summary: time in bed, the sleep score and breathing rate, at the night's own offset. */
export function mapSleepSummary(nights: SleepNight[], homeOffset: (ms: number) => number): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const n of nights) {
    if (typeof n.startdate !== 'number' || typeof n.enddate !== 'number' || n.enddate <= n.startdate) continue;
    const start = n.startdate * 1000;
    const end = n.enddate * 1000;
    const off = offsetAt(n.timezone, start, homeOffset);
    const base = { origin: SLEEP_ORIGIN, startMs: start, endMs: end, utcOffsetMin: off };
    out.push({ ...base, rawType: 'sleep.in_bed', metric: 'sleep', unit: 'min', value: 0, category: 'in_bed' });
    const d = n.data ?? {};
    if (typeof d.sleep_score === 'number') out.push({ ...base, startMs: end, rawType: 'sleep.score', metric: 'withings_sleep_score', unit: 'score', value: d.sleep_score, revisable: true });
    if (typeof d.rr_average === 'number' && d.rr_average > 0) out.push({ ...base, rawType: 'sleep.rr_average', metric: 'respiratory_rate', unit: 'breaths/min', value: d.rr_average, revisable: true });
    if (typeof d.hr_average === 'number' && d.hr_average > 0) out.push({ ...base, rawType: 'sleep.hr_average', metric: null, unit: 'bpm', value: d.hr_average, revisable: true });
  }
  return out;
}

/** Withings sleep states: 0 awake, 1 light, 2 deep, 3 REM; anything else is unspecified sleep. */
const STATE: Record<number, (typeof SLEEP_STAGES)[number]> = { 0: 'awake', 1: 'light', 2: 'deep', 3: 'rem' };

export function mapSleepStages(segments: { startdate?: number; enddate?: number; state?: number }[], zone: string | undefined, homeOffset: (ms: number) => number): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const s of segments) {
    if (typeof s.startdate !== 'number' || typeof s.enddate !== 'number' || s.enddate <= s.startdate || typeof s.state !== 'number') continue;
    const start = s.startdate * 1000;
    out.push({
      rawType: 'sleep.stage',
      metric: 'sleep',
      unit: 'min',
      origin: SLEEP_ORIGIN,
      startMs: start,
      endMs: s.enddate * 1000,
      utcOffsetMin: offsetAt(zone, start, homeOffset),
      value: 0,
      category: STATE[s.state] ?? 'asleep_unspecified',
    });
  }
  return out;
}
