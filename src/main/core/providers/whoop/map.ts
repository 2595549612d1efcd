// WHOOP (API v2) records → canonical samples and workouts. Every WHOOP record but the recovery
// names its UTC offset (`timezone_offset`, "-05:00" or "Z"), never a zone: it is kept as a
// fixed-offset zone (ZONE_SRC.offset). A recovery names no offset of its own and takes its
// night's. Each record's samples carry its WHOOP id as `ref` (`cycle:<id>`, `recovery:<cycle
// id>`, `sleep:<id>`) with `updated_at` as version, so a re-scored record replaces its earlier
// version (core/samples).
//
// Grain of the scores. WHOOP counts by physiological cycle (sleep onset to the next sleep
// onset), never by calendar day, and a cycle is not a calendar date: a night-shift week has two
// cycles starting on one date. So strain and recovery are readings of WHOOP's own metrics
// (whoop_strain, whoop_recovery; daily 'last'), not daily totals: a daily total is keyed by
// (type, origin, day), and the second cycle of a date would replace the first. Both are read at
// the cycle's morning: the end of the sleep that opened it (`Morning`), the moment WHOOP scores
// the recovery and the waking day whose strain the cycle counts begins. So a cycle's recovery,
// its strain and its night's stage totals (the local date the sleep ends) share one day, as in
// WHOOP's app, whether the person fell asleep before or after midnight; the cycle's start (the
// evening before, for most people) would put its strain on the previous date. The morning is
// stable while WHOOP revises the cycle, the in-progress one included.
import type { SleepStage } from '../../../../shared/catalog';
import { HOME_ZONE, type OriginRef, type SampleRecord, type WorkoutRecord, type ZoneRef } from '../../samples';
import { DAY, fixedOffsetZone, MINUTE, parseFixedOffset, ZONE_SRC } from '../../time/zones';

/** The band: cycles, recoveries, sleep. */
export const BAND: OriginRef = { name: 'WHOOP', deviceKind: 'band' };
/** Height and weight the person typed into their WHOOP profile. */
export const PROFILE: OriginRef = { name: 'WHOOP profile', deviceKind: 'manual' };

/** kJ → kcal (thermochemical calorie). */
export const KJ_PER_KCAL = 4.184;

/** Every canonical metric the WHOOP mapping can write (checked against the catalog by a test). */
export const MAPPED_METRICS = ['whoop_strain', 'whoop_recovery', 'resting_heart_rate', 'hrv_rmssd', 'spo2', 'respiratory_rate', 'sleep', 'workouts', 'weight', 'height'] as const;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const round = (v: number) => Number(v.toPrecision(10));
const ms = (v: unknown): number | null => {
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
};

/** `timezone_offset` ("-05:00", "+05:30", "Z") as a fixed-offset zone; the home zone when absent or malformed. */
export function whoopZone(offset: unknown): ZoneRef {
  if (offset === 'Z' || offset === 'z') return { name: fixedOffsetZone(0), src: ZONE_SRC.offset };
  if (typeof offset !== 'string') return HOME_ZONE;
  const min = parseFixedOffset(offset.trim());
  return min === null ? HOME_ZONE : { name: fixedOffsetZone(min), src: ZONE_SRC.offset };
}

/** Minutes east of UTC of a WHOOP zone (0 for the home zone, which only a malformed record gets). */
const offsetOf = (zone: ZoneRef) => (zone.name ? (parseFixedOffset(zone.name) ?? 0) : 0);

export interface WhoopCycle {
  id?: number;
  created_at?: string;
  updated_at?: string;
  start?: string;
  end?: string | null;
  timezone_offset?: string;
  score_state?: string;
  score?: { strain?: number | null; kilojoule?: number | null; average_heart_rate?: number | null; max_heart_rate?: number | null } | null;
}

/**
 * A cycle's morning: when the sleep that opened it ended, in that sleep's offset. Null when WHOOP
 * has no such sleep (the band was not worn that night): a cycle is then read at its start, a
 * recovery when it was scored (`created_at`) in the home zone.
 */
export interface Morning {
  atMs: number;
  zone: ZoneRef;
}

/** The morning a sleep gives its cycle; null for a nap or a sleep without a usable end. */
export function morningOf(s: WhoopSleep): { cycleId: number; morning: Morning } | null {
  const end = ms(s.end);
  if (s.nap || typeof s.cycle_id !== 'number' || end === null) return null;
  return { cycleId: s.cycle_id, morning: { atMs: end, zone: whoopZone(s.timezone_offset) } };
}

/** A cycle's score is stored only when WHOOP has scored it. */
export const isScored = (r: { score_state?: string; score?: unknown }) => r.score_state === 'SCORED' && Boolean(r.score);

/**
 * A cycle, read at its morning (else its start), in its own offset: strain (whoop_strain); its
 * energy (kilojoule → kcal, everything spent in the cycle, resting included, so not
 * active_energy) and its average and maximum heart rate over the whole cycle stay raw (metric
 * null: a day-long average is not a heart-rate reading). Only a SCORED cycle has a score.
 */
export function mapCycle(c: WhoopCycle, morning: Morning | null): SampleRecord[] {
  const start = ms(c.start);
  if (typeof c.id !== 'number' || start === null || !isScored(c) || !c.score) return [];
  const at = morning?.atMs ?? start;
  const base = { origin: BAND, startMs: at, endMs: at, zone: whoopZone(c.timezone_offset), ref: `cycle:${c.id}`, refVersion: ms(c.updated_at) ?? 0 };
  const out: SampleRecord[] = [];
  const push = (rawType: string, metric: string | null, unit: string, v: number | null) => {
    if (v !== null) out.push({ ...base, rawType, metric, unit, value: round(v) });
  };
  const s = c.score;
  push('cycle.strain', 'whoop_strain', 'score', num(s.strain));
  const kj = num(s.kilojoule);
  push('cycle.energy', null, 'kcal', kj === null ? null : kj / KJ_PER_KCAL);
  push('cycle.average_heart_rate', null, 'bpm', num(s.average_heart_rate));
  push('cycle.max_heart_rate', null, 'bpm', num(s.max_heart_rate));
  return out;
}

export interface WhoopRecovery {
  cycle_id?: number;
  sleep_id?: string;
  created_at?: string;
  updated_at?: string;
  score_state?: string;
  score?: {
    user_calibrating?: boolean;
    recovery_score?: number | null;
    resting_heart_rate?: number | null;
    hrv_rmssd_milli?: number | null;
    spo2_percentage?: number | null;
    skin_temp_celsius?: number | null;
  } | null;
}

/**
 * A recovery, read at its cycle's morning in that sleep's offset: the recovery score (whoop_recovery),
 * resting heart rate, HRV as RMSSD in ms (WHOOP gives milliseconds), SpO2 as a fraction. Skin
 * temperature stays raw (metric null): it is not body (core) temperature, and no catalog metric
 * holds an absolute skin temperature. While WHOOP is still calibrating for a new member the
 * score is WHOOP's own caveat, kept as `recovery.user_calibrating` (1/0).
 */
export function mapRecovery(r: WhoopRecovery, morning: Morning | null): SampleRecord[] {
  const at = morning?.atMs ?? ms(r.created_at);
  if (typeof r.cycle_id !== 'number' || at === null || !isScored(r) || !r.score) return [];
  const base = { origin: BAND, startMs: at, endMs: at, zone: morning?.zone ?? HOME_ZONE, ref: `recovery:${r.cycle_id}`, refVersion: ms(r.updated_at) ?? 0 };
  const out: SampleRecord[] = [];
  const push = (rawType: string, metric: string | null, unit: string, v: number | null) => {
    if (v !== null) out.push({ ...base, rawType, metric, unit, value: round(v) });
  };
  const s = r.score;
  push('recovery.score', 'whoop_recovery', 'score', num(s.recovery_score));
  push('recovery.resting_heart_rate', 'resting_heart_rate', 'bpm', num(s.resting_heart_rate));
  push('recovery.hrv_rmssd', 'hrv_rmssd', 'ms', num(s.hrv_rmssd_milli));
  const spo2 = num(s.spo2_percentage);
  push('recovery.spo2', 'spo2', 'fraction', spo2 === null ? null : spo2 / 100);
  push('recovery.skin_temp', null, 'degC', num(s.skin_temp_celsius));
  if (typeof s.user_calibrating === 'boolean') push('recovery.user_calibrating', null, 'flag', s.user_calibrating ? 1 : 0);
  return out;
}

export interface WhoopSleep {
  id?: string;
  cycle_id?: number;
  created_at?: string;
  updated_at?: string;
  start?: string;
  end?: string;
  timezone_offset?: string;
  nap?: boolean;
  score_state?: string;
  score?: {
    stage_summary?: Record<string, number | null | undefined> | null;
    sleep_needed?: Record<string, number | null | undefined> | null;
    respiratory_rate?: number | null;
    sleep_performance_percentage?: number | null;
    sleep_consistency_percentage?: number | null;
    sleep_efficiency_percentage?: number | null;
  } | null;
}

/** stage_summary fields (ms) per stage. */
const STAGE_FIELDS: [field: string, stage: SleepStage][] = [
  ['total_light_sleep_time_milli', 'light'],
  ['total_slow_wave_sleep_time_milli', 'deep'],
  ['total_rem_sleep_time_milli', 'rem'],
  ['total_awake_time_milli', 'awake'],
  ['total_in_bed_time_milli', 'in_bed'],
];

/** The local date (epoch day) of an instant in a WHOOP zone. */
export const localDay = (atMs: number, zone: ZoneRef) => Math.floor((atMs + offsetOf(zone) * MINUTE) / DAY);

/**
 * A sleep (`sleep:<id>`, revised as a whole). WHOOP gives its stages as durations without
 * timing, so, as Withings' night without segments: the time in bed as an interval (value 0),
 * and per stage a daily-grain total for the local date the sleep ends (value = minutes,
 * spanning the sleep), `in_bed` included when WHOOP states it. A nap's totals are types of
 * their own (`sleep.nap.total.*`), so they add to the night of that date instead of replacing
 * it (a daily total is keyed by type, origin and date). The breathing rate is a reading over
 * the sleep; sleep need (the sum of WHOOP's four parts, minutes) and performance, consistency
 * and efficiency (fractions) stay raw.
 */
export function mapSleep(s: WhoopSleep): SampleRecord[] {
  const start = ms(s.start);
  const end = ms(s.end);
  if (typeof s.id !== 'string' || !s.id || start === null || end === null || end <= start) return [];
  const zone = whoopZone(s.timezone_offset);
  const base = { origin: BAND, startMs: start, endMs: end, zone, ref: `sleep:${s.id}`, refVersion: ms(s.updated_at) ?? 0 };
  const kind = s.nap ? 'sleep.nap' : 'sleep';
  const out: SampleRecord[] = [{ ...base, rawType: `${kind}.in_bed`, metric: 'sleep', unit: 'min', value: 0, category: 'in_bed' }];
  if (s.score_state !== 'SCORED' || !s.score) return out;
  const sc = s.score;
  const day = localDay(end, zone);
  const stages = sc.stage_summary ?? {};
  for (const [field, stage] of STAGE_FIELDS) {
    const v = num(stages[field]);
    if (v === null || v <= 0) continue;
    out.push({ ...base, rawType: `${kind}.total.${stage}`, metric: 'sleep', unit: 'min', day, value: round(v / MINUTE), category: stage });
  }
  const rr = num(sc.respiratory_rate);
  // At the night's end, so the reading lands on the day the night counts on (as its sleep does).
  if (rr !== null && rr > 0) out.push({ ...base, startMs: end, endMs: end, rawType: `${kind}.respiratory_rate`, metric: 'respiratory_rate', unit: 'breaths/min', value: round(rr) });
  const need = sc.sleep_needed ?? {};
  const parts = ['baseline_milli', 'need_from_sleep_debt_milli', 'need_from_recent_strain_milli', 'need_from_recent_nap_milli'].map((k) => num(need[k]));
  if (parts.some((p) => p !== null)) out.push({ ...base, startMs: end, rawType: `${kind}.need`, metric: null, unit: 'min', value: round(parts.reduce<number>((a, p) => a + (p ?? 0), 0) / MINUTE) });
  const pct = (raw: string, v: unknown) => {
    const p = num(v);
    if (p !== null) out.push({ ...base, startMs: end, rawType: `${kind}.${raw}`, metric: null, unit: 'fraction', value: round(p / 100) });
  };
  pct('performance', sc.sleep_performance_percentage);
  pct('consistency', sc.sleep_consistency_percentage);
  pct('efficiency', sc.sleep_efficiency_percentage);
  return out;
}

export interface WhoopWorkout {
  id?: string;
  v1_id?: number | null;
  created_at?: string;
  updated_at?: string;
  start?: string;
  end?: string;
  timezone_offset?: string;
  sport_name?: string;
  sport_id?: number | null;
  score_state?: string;
  score?: {
    strain?: number | null;
    average_heart_rate?: number | null;
    max_heart_rate?: number | null;
    kilojoule?: number | null;
    percent_recorded?: number | null;
    distance_meter?: number | null;
    altitude_gain_meter?: number | null;
    altitude_change_meter?: number | null;
    zone_durations?: Record<string, number | null | undefined> | null;
  } | null;
}

/** WHOOP's sport name as an activity type: "Functional Fitness" → functional_fitness. */
export function activityType(sport: unknown): string {
  const s = typeof sport === 'string' ? sport.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') : '';
  return s || 'other';
}

/** Heart-rate zone durations (ms → minutes), zone 0 to 5. */
const ZONES = ['zone_zero_milli', 'zone_one_milli', 'zone_two_milli', 'zone_three_milli', 'zone_four_milli', 'zone_five_milli'];

/** A workout: kilojoule → kcal, distance_meter → km; strain, heart-rate zones and altitude in details. */
export function mapWorkout(w: WhoopWorkout): WorkoutRecord | null {
  const start = ms(w.start);
  const end = ms(w.end);
  if (start === null || end === null || end < start) return null;
  const sc = w.score_state === 'SCORED' && w.score ? w.score : {};
  const positive = (v: unknown) => {
    const n = num(v);
    return n !== null && n > 0 ? n : null;
  };
  const kj = positive(sc.kilojoule);
  const meters = positive(sc.distance_meter);
  const zones = sc.zone_durations ?? {};
  return {
    origin: BAND,
    activityType: activityType(w.sport_name),
    startMs: start,
    endMs: end,
    zone: whoopZone(w.timezone_offset),
    durationS: (end - start) / 1000,
    distanceKm: meters === null ? null : round(meters / 1000),
    energyKcal: kj === null ? null : round(kj / KJ_PER_KCAL),
    avgHeartRate: positive(sc.average_heart_rate),
    maxHeartRate: positive(sc.max_heart_rate),
    details: {
      whoopId: w.id ?? null,
      sportId: w.sport_id ?? null,
      sportName: w.sport_name ?? null,
      scoreState: w.score_state ?? null,
      strain: num(sc.strain),
      percentRecorded: num(sc.percent_recorded),
      altitudeGainM: num(sc.altitude_gain_meter),
      altitudeChangeM: num(sc.altitude_change_meter),
      zoneMinutes: ZONES.map((z) => {
        const v = num(zones[z]);
        return v === null ? null : round(v / MINUTE);
      }),
    },
  };
}

export interface WhoopBody {
  height_meter?: number | null;
  weight_kilogram?: number | null;
  max_heart_rate?: number | null;
}

/**
 * The profile's body measurements carry no time: they are read when VitalSync first sees them
 * (`atMs`, the sync's start) in the home zone, and only when they differ from the last ones seen
 * (the caller compares), so a re-sync adds nothing.
 */
export function mapBody(b: WhoopBody, atMs: number): SampleRecord[] {
  const out: SampleRecord[] = [];
  const push = (rawType: string, metric: string | null, unit: string, v: number | null) => {
    if (v !== null && v > 0) out.push({ rawType, metric, unit, origin: PROFILE, startMs: atMs, endMs: atMs, zone: HOME_ZONE, value: round(v) });
  };
  push('body.height', 'height', 'm', num(b.height_meter));
  push('body.weight', 'weight', 'kg', num(b.weight_kilogram));
  push('body.max_heart_rate', null, 'bpm', num(b.max_heart_rate));
  return out;
}
