// Withings records → canonical samples. Measures: value × 10^unit. Every record names its zone
// when Withings does (per measure list, per activity day, per workout, per night: ZONE_SRC
// provider), else it is the person's home zone (HOME_ZONE, resolved when days are computed).
// Measure groups and nights carry their Withings id as `ref`, so an edited group or a revised
// night replaces its earlier version (core/samples).
import { SLEEP_STAGES } from '../../../../shared/catalog';
import { UNASSIGNED_DEVICE_KIND } from '../../../../shared/sourceKey';
import { HOME_ZONE, type OriginRef, type SampleRecord, type WorkoutRecord, type ZoneRef } from '../../samples';
import { DAY, isKnownZone, localMidnightMs, MINUTE, parseDay, ZONE_SRC, zoneOffsetMin } from '../../time/zones';

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
  // VO2max (mL/kg/min), estimated by the ScanWatch.
  123: { raw: 'vo2max', metric: 'vo2max', unit: 'mL/kg/min', factor: 1 },
};

/** The meastypes VitalSync asks for: every type it maps (a type never asked for never arrives). */
export const MEASTYPES = Object.keys(MEASURE_TYPES).join(',');

/** The raw types the measures stream writes (for dropping rows no measure group holds any more). */
const MEASURE_RAW = new Set([...Object.values(MEASURE_TYPES).map((t) => t.raw)]);
export const isMeasureRawType = (raw: string) => MEASURE_RAW.has(raw) || raw.startsWith('meastype_');

/** Every canonical metric the Withings mapping can write, by stream (checked against the catalog by a test). */
export const MAPPED_METRICS = {
  measures: Object.values(MEASURE_TYPES).flatMap((t) => (t.metric ? [t.metric] : [])),
  activity: ['steps', 'distance', 'active_energy', 'floors'],
  workouts: ['workouts'],
  sleep: ['sleep', 'withings_sleep_score', 'respiratory_rate'],
} as const;

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

const origin = (model: unknown, fallback = 'Withings'): OriginRef => {
  const name = typeof model === 'string' && model.trim() ? model.trim() : fallback;
  return { name, deviceKind: deviceKind(name) };
};

/** The zone Withings names for a record, else the home zone. */
export function withingsZone(name: unknown): ZoneRef {
  return typeof name === 'string' && name && isKnownZone(name) ? { name, src: ZONE_SRC.provider } : HOME_ZONE;
}

interface MeasureGroup {
  grpid?: number;
  date?: number;
  modified?: number;
  category?: number;
  attrib?: number;
  model?: string | null;
  measures?: { value?: number; type?: number; unit?: number }[];
}

/**
 * Where a measure group goes, by its `attrib` (how Withings attributed it to the person):
 * 2 and 4 were typed in by hand; 1 was measured by a device that others use too (a family
 * scale) and may be someone else's, so it is kept apart under an unassigned origin the person
 * can claim, never merged as theirs; 0, 5, 7 and 8 are the person's own device measures.
 */
function measureOrigin(g: MeasureGroup): OriginRef {
  if (g.attrib === 2 || g.attrib === 4) return { name: 'Manual entry', deviceKind: 'manual' };
  const device = origin(g.model, 'Withings device');
  if (g.attrib === 1) return { name: `${device.name} (unassigned)`, deviceKind: UNASSIGNED_DEVICE_KIND };
  return device;
}

/** Real measurements only (category 1); objectives (category 2) are goals, not facts. */
export function mapMeasureGroups(body: { timezone?: string; measuregrps?: MeasureGroup[] }): SampleRecord[] {
  const out: SampleRecord[] = [];
  const zone = withingsZone(body.timezone);
  for (const g of body.measuregrps ?? []) {
    if (g.category !== 1 || typeof g.date !== 'number') continue;
    const ms = g.date * 1000;
    const from = measureOrigin(g);
    // One group is one record: edited in the Withings app, it comes back with a later `modified`.
    const ref = typeof g.grpid === 'number' ? { ref: `meas:${g.grpid}`, refVersion: typeof g.modified === 'number' ? g.modified : 0 } : {};
    for (const m of g.measures ?? []) {
      if (typeof m.value !== 'number' || typeof m.type !== 'number' || typeof m.unit !== 'number') continue;
      const t = MEASURE_TYPES[m.type] ?? { raw: `meastype_${m.type}`, metric: null, unit: '', factor: 1 };
      // Rounded to 10 significant digits so 10^unit arithmetic noise never makes a "new" value.
      const value = Number((m.value * 10 ** m.unit * t.factor).toPrecision(10));
      out.push({ rawType: t.raw, metric: t.metric, unit: t.unit, origin: from, startMs: ms, endMs: ms, zone, value, ...ref });
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

/**
 * One day's totals: daily grain (`day` = the named local date), spanning that local day in the
 * day's own zone (a 25-hour DST day is one day). Withings revises a day as it fills in, even
 * after the person changed zone: the newer total replaces the older one by the day rule.
 * `homeZone` places the midnights of a day that names no zone.
 */
export function mapActivity(days: ActivityDay[], homeZone: string): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const d of days) {
    const day = typeof d.date === 'string' ? parseDay(d.date) : null;
    if (day === null) continue;
    const zone = withingsZone(d.timezone);
    const tz = zone.name ?? homeZone;
    const start = localMidnightMs(tz, day);
    const end = localMidnightMs(tz, day + 1);
    if (start === null || end === null) continue;
    const from = origin(d.model, 'Withings activity');
    const push = (raw: string, metric: string | null, unit: string, value: number | undefined) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) return;
      out.push({ rawType: `activity.${raw}`, metric, unit, origin: from, startMs: start, endMs: end, zone, day, value: Number(value.toPrecision(10)) });
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

export function mapWorkouts(series: WorkoutSeries[]): WorkoutRecord[] {
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
      zone: withingsZone(w.timezone),
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

export interface SleepNight {
  id?: number;
  timezone?: string;
  startdate?: number;
  enddate?: number;
  date?: string;
  modified?: number;
  model?: number | string;
  data?: Record<string, number | null | undefined>;
}

export interface SleepSegment {
  startdate?: number;
  enddate?: number;
  state?: number;
}

const SLEEP_ORIGIN: OriginRef = { name: 'Withings sleep', deviceKind: 'sleep_mat' };

/** Withings sleep states: 0 awake, 1 light, 2 deep, 3 REM; anything else is unspecified sleep. */
const STATE: Record<number, (typeof SLEEP_STAGES)[number]> = { 0: 'awake', 1: 'light', 2: 'deep', 3: 'rem' };

/** The summary's duration fields (seconds) per stage, for a night whose detail has no segments. */
const SUMMARY_STAGES: [field: string, stage: (typeof SLEEP_STAGES)[number]][] = [
  ['lightsleepduration', 'light'],
  ['deepsleepduration', 'deep'],
  ['remsleepduration', 'rem'],
  ['wakeupduration', 'awake'],
];

/** The raw types the sleep stream writes (for dropping rows no night holds any more). */
export const isSleepRawType = (raw: string) => raw.startsWith('sleep.');

/**
 * One night, as one record (`sleep:<id>`, revised as a whole): time in bed, the sleep score,
 * breathing rate and heart rate from the summary, and the stages. Stages come from the detail's
 * segments; a night whose detail has none is given its stages from the summary's durations, as
 * daily-grain totals for the night's `date` (value = the stage's minutes, spanning the night).
 * A night with segments stores no such totals, so nothing counts twice.
 */
export function mapSleepNight(n: SleepNight, segments: readonly SleepSegment[], homeZone: string): SampleRecord[] {
  if (typeof n.startdate !== 'number' || typeof n.enddate !== 'number' || n.enddate <= n.startdate) return [];
  const start = n.startdate * 1000;
  const end = n.enddate * 1000;
  const zone = withingsZone(n.timezone);
  const ref = { ref: `sleep:${n.id ?? n.startdate}`, refVersion: typeof n.modified === 'number' ? n.modified : 0 };
  const base = { origin: SLEEP_ORIGIN, startMs: start, endMs: end, zone, ...ref };
  const out: SampleRecord[] = [{ ...base, rawType: 'sleep.in_bed', metric: 'sleep', unit: 'min', value: 0, category: 'in_bed' }];
  const d = n.data ?? {};
  if (typeof d.sleep_score === 'number') out.push({ ...base, startMs: end, rawType: 'sleep.score', metric: 'withings_sleep_score', unit: 'score', value: d.sleep_score });
  if (typeof d.rr_average === 'number' && d.rr_average > 0) out.push({ ...base, rawType: 'sleep.rr_average', metric: 'respiratory_rate', unit: 'breaths/min', value: d.rr_average });
  if (typeof d.hr_average === 'number' && d.hr_average > 0) out.push({ ...base, rawType: 'sleep.hr_average', metric: null, unit: 'bpm', value: d.hr_average });

  let staged = false;
  for (const s of segments) {
    if (typeof s.startdate !== 'number' || typeof s.enddate !== 'number' || s.enddate <= s.startdate || typeof s.state !== 'number') continue;
    staged = true;
    out.push({ ...base, rawType: 'sleep.stage', metric: 'sleep', unit: 'min', startMs: s.startdate * 1000, endMs: s.enddate * 1000, value: 0, category: STATE[s.state] ?? 'asleep_unspecified' });
  }
  if (staged) return out;

  // No segments: the summary's durations, counted on the night's date (else the local day it ends).
  const tz = zone.name ?? homeZone;
  const day = (typeof n.date === 'string' ? parseDay(n.date) : null) ?? Math.floor((end + (zoneOffsetMin(tz, end) ?? 0) * MINUTE) / DAY);
  const minutes = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Number((v / 60).toPrecision(10)) : 0);
  const totals = { ...base, metric: 'sleep', unit: 'min', day };
  let asleep = 0;
  for (const [field, stage] of SUMMARY_STAGES) {
    const v = minutes(d[field]);
    if (v <= 0) continue;
    if (stage !== 'awake') asleep += v;
    out.push({ ...totals, rawType: `sleep.total.${stage}`, value: v, category: stage });
  }
  // Only a total: sleep without stages.
  const total = minutes(d.total_sleep_time);
  if (asleep === 0 && total > 0) out.push({ ...totals, rawType: 'sleep.total.asleep_unspecified', value: total, category: 'asleep_unspecified' });
  return out;
}
