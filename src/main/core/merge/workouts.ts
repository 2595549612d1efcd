// Workouts (sessions): which are counted, which are the same session seen by another source,
// which are left out and why. The workout list and the workouts chart both come from
// resolveWorkouts, so they always agree.
import type { ZoneClock } from '../time/zones';
import type { Ranking } from './priority';
import type { PieceReason } from './resolve';

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
  if (/swim/.test(a)) return 'swimming';
  if (/run|jog/.test(a)) return 'running';
  if (/walk|hik/.test(a)) return 'walking';
  if (/cycl|bik|ride|bmx/.test(a)) return 'cycling';
  if (/row/.test(a)) return 'rowing';
  if (/ski|snowboard/.test(a)) return 'skiing';
  if (/strength|weight|calisthenics|crossfit/.test(a)) return 'strength';
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
  const prio = (w: W) => ranking.prio.get(w.originId) ?? Infinity;
  const out = rows.map((w) => ({ w, day: clock.day(w.zone, w.start), status: 'counted' as WorkoutStatus, dupOf: null as number | null }));
  const plausible = out.filter((r) => {
    const ok = r.w.end >= r.w.start && r.w.durationS >= 0 && r.w.durationS <= MAX_WORKOUT_S && r.w.end - r.w.start <= MAX_WORKOUT_S * 1000;
    if (!ok) r.status = 'impossible';
    return ok;
  });
  // Per day: the best listed origin's entry.
  const top = new Map<number, { prio: number; entry: number }>();
  for (const r of plausible) {
    const p = prio(r.w);
    if (p === Infinity) continue;
    const cur = top.get(r.day);
    if (!cur || p < cur.prio) top.set(r.day, { prio: p, entry: ranking.entry.get(r.w.originId)! });
  }
  const allowed = plausible.filter((r) => {
    if (prio(r.w) === Infinity) r.status = 'not-listed';
    else if (!ranking.fillGaps && ranking.entry.get(r.w.originId) !== top.get(r.day)?.entry) r.status = 'fill-gaps-off';
    return r.status === 'counted';
  });
  allowed.sort((x, y) => prio(x.w) - prio(y.w) || x.w.start - y.w.start || x.w.id - y.w.id);
  const kept: typeof allowed = [];
  for (const r of allowed) {
    const family = activityFamily(r.w.activityType);
    const dup = kept.find((k) => {
      if (k.w.originId === r.w.originId || activityFamily(k.w.activityType) !== family) return false;
      const overlap = Math.min(k.w.end, r.w.end) - Math.max(k.w.start, r.w.start);
      const shorter = Math.max(1, Math.min(k.w.end - k.w.start, r.w.end - r.w.start));
      return overlap > 0 && overlap / shorter >= WORKOUT_OVERLAP;
    });
    if (dup) {
      r.status = 'duplicate';
      r.dupOf = dup.w.id;
    } else kept.push(r);
  }
  return out.sort((x, y) => x.w.start - y.w.start || x.w.id - y.w.id);
}
