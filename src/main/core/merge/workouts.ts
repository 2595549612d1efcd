// Workouts (sessions): which are counted, which are the same session seen by another source,
// which are left out and why. The workout list and the workouts chart both come from
// resolveWorkouts, so they always agree.
import { DAY, type ZoneClock } from '../time/zones';
import type { Ranking } from './priority';
import { DayChoice, type PieceReason } from './resolve';

export interface WorkoutLike {
  id: number;
  originId: number;
  activityType: string;
  start: number;
  end: number;
  /** zones.id (0 = the home zone). */
  zone: number;
  durationS: number;
}

/** Two sessions are one workout when their overlap covers at least this part of the shorter one. */
export const WORKOUT_OVERLAP = 0.5;
/** Longer than this is no workout (a watch left recording): flagged and left out before anything else. */
export const MAX_WORKOUT_S = 24 * 3600;

/**
 * The family of an activity, across sources' names (Apple's `Running`, Withings' `running`,
 * Strava's `TrailRun`): only the same family seen by two origins can be one workout. A hike
 * and a swim inside it are two workouts.
 */
export function activityFamily(activityType: string): string {
  const a = activityType.toLowerCase().replace(/[^a-z]/g, '');
  if (/swimbikerun|multisport|triathlon|duathlon/.test(a)) return 'multisport';
  // Sources' names for the same sessions (Strava, Oura, WHOOP, Apple, Withings).
  if (/highintensityinterval|hiit/.test(a)) return 'hiit';
  if (/stairstepper|stairmaster|stairclimb|stairs/.test(a)) return 'stairs';
  if (/spin|virtualride|indoorcycl/.test(a)) return 'cycling';
  if (/swim/.test(a)) return 'swimming';
  if (/run|jog/.test(a)) return 'running';
  if (/walk|hik/.test(a)) return 'walking';
  if (/cycl|bik|ride|bmx/.test(a)) return 'cycling';
  if (/row/.test(a)) return 'rowing';
  if (/ski|snowboard/.test(a)) return 'skiing';
  if (/strength|weight|calisthenics|crossfit|functionalfitness/.test(a)) return 'strength';
  if (/yoga|pilates/.test(a)) return 'yoga';
  if (/elliptical/.test(a)) return 'elliptical';
  return a || 'other';
}

export type WorkoutStatus = 'counted' | 'duplicate' | Exclude<PieceReason, 'overlap' | 'daily-total' | 'zero-total' | 'unpaired' | 'duplicate'>;

export interface ResolvedWorkout<W extends WorkoutLike> {
  w: W;
  /** Local day it started on, in its own zone. */
  day: number;
  status: WorkoutStatus;
  /** For a duplicate: the id of the counted workout it is a copy of. */
  dupOf: number | null;
}

/**
 * Rules, in order: implausible sessions (negative, or over MAX_WORKOUT_S) are left out first,
 * so they cannot swallow a real one; per local day the highest-priority listed origin with a
 * workout decides who may supply (fill-gaps off: its list entry only); then the same activity
 * family seen by another origin overlapping by WORKOUT_OVERLAP is one workout, the
 * highest-priority copy counted. Sessions of one origin are never duplicates of each other.
 */
export function resolveWorkouts<W extends WorkoutLike>(rows: readonly W[], ranking: Ranking, clock: ZoneClock): ResolvedWorkout<W>[] {
  const choice = new DayChoice(ranking);
  const out = rows.map((w) => ({ w, day: clock.day(w.zone, w.start), status: 'counted' as WorkoutStatus, dupOf: null as number | null }));
  const plausible = out.filter((r) => {
    const ok = r.w.end >= r.w.start && r.w.durationS >= 0 && r.w.durationS <= MAX_WORKOUT_S && r.w.end - r.w.start <= MAX_WORKOUT_S * 1000;
    if (!ok) r.status = 'impossible';
    return ok;
  });
  for (const r of plausible) choice.offer(r.day, r.w.originId);
  const allowed = plausible.filter((r) => {
    const refused = choice.refusal(r.day, r.w.originId);
    if (refused === 'not-listed' || refused === 'fill-gaps-off') r.status = refused;
    return r.status === 'counted';
  });
  allowed.sort((x, y) => choice.prio(x.w.originId) - choice.prio(y.w.originId) || x.w.start - y.w.start || x.w.id - y.w.id);
  // Kept sessions by activity family and UTC day of start: a copy overlaps, and sessions last
  // at most a day, so only three days need a look.
  const kept = new Map<string, ResolvedWorkout<W>[]>();
  for (const r of allowed) {
    const family = activityFamily(r.w.activityType);
    let dup: ResolvedWorkout<W> | undefined;
    for (let d = Math.floor((r.w.start - MAX_WORKOUT_S * 1000) / DAY); d <= Math.floor(r.w.end / DAY) && !dup; d++) {
      dup = kept.get(`${family}|${d}`)?.find((k) => {
        if (k.w.originId === r.w.originId) return false;
        const overlap = Math.min(k.w.end, r.w.end) - Math.max(k.w.start, r.w.start);
        const shorter = Math.max(1, Math.min(k.w.end - k.w.start, r.w.end - r.w.start));
        return overlap > 0 && overlap / shorter >= WORKOUT_OVERLAP;
      });
    }
    if (dup) {
      r.status = 'duplicate';
      r.dupOf = dup.w.id;
      continue;
    }
    const key = `${family}|${Math.floor(r.w.start / DAY)}`;
    const list = kept.get(key);
    if (list) list.push(r);
    else kept.set(key, [r]);
  }
  return out.sort((x, y) => x.w.start - y.w.start || x.w.id - y.w.id);
}
