// The merge engine (DESIGN.md "Merging sources"): pure functions over samples that are already
// ranked by the user's priority. No database here, so the rules can be tested by hand.
//
// `prio` orders origins: lower wins. It is unique per origin (rank in the priority list, then a
// tie-break between origins of one list entry), and Infinity for samples that may not count
// (the source is not in the list, fill-gaps is off and a higher entry exists, the value is
// impossible). Such samples still show up as pieces (so per-source values and quality see
// them) but never win.
import type { SleepStage } from '../../../shared/catalog';
import { MINUTE, type Slotting } from './time';

export interface MergeSample {
  id: number;
  originId: number;
  prio: number;
  start: number;
  end: number;
  /** UTC offset (minutes) where it was recorded. */
  off: number;
  value: number;
  category: string;
}

/**
 * What happened to one sample inside one bucket, reported once its cluster is resolved:
 * `raw` is the part of its value in the bucket (minutes for sleep: the minutes its origin
 * said this stage), `used` how much of that counted, `counted` whether any of it did, and
 * [from, to) the part of the sample inside the bucket.
 */
export type PieceSink = (s: MergeSample, bucket: number, raw: number, used: number, counted: boolean, from: number, to: number) => void;

const effectiveEnd = (s: MergeSample) => (s.end > s.start ? s.end : s.start + 1);

/**
 * Cumulative metrics: sweep the timeline; in each elementary interval the highest-priority
 * origin with a sample covering it contributes value × overlap / duration; everyone else's
 * piece there is reported unused. Intervals are also cut at each sample's own local slot
 * boundaries, so a piece always lies in one bucket of the sample that supplies it.
 * `samples` must be sorted by start.
 */
export function sweepCumulative(samples: Iterable<MergeSample>, slots: Slotting, sink: PieceSink, onSelfOverlap?: (s: MergeSample) => void): void {
  let cluster: MergeSample[] = [];
  let clusterEnd = -Infinity;
  const flush = () => {
    if (cluster.length === 1) single(cluster[0], slots, sink);
    else if (cluster.length > 1) sweepCluster(cluster, slots, sink, onSelfOverlap);
    cluster = [];
  };
  for (const s of samples) {
    if (cluster.length && s.start >= clusterEnd) flush();
    if (!cluster.length) clusterEnd = -Infinity;
    cluster.push(s);
    const e = effectiveEnd(s);
    if (e > clusterEnd) clusterEnd = e;
  }
  flush();
}

function single(s: MergeSample, slots: Slotting, sink: PieceSink): void {
  const end = effectiveEnd(s);
  const dur = end - s.start;
  const counted = s.prio !== Infinity;
  let a = s.start;
  while (a < end) {
    const b = Math.min(end, slots.next(a, s.off));
    const amount = (s.value * (b - a)) / dur;
    sink(s, slots.slot(a, s.off), amount, counted ? amount : 0, counted, a, b);
    a = b;
  }
}

/** Per (sample, bucket) totals inside one cluster, emitted when the cluster is done. */
class ClusterAcc {
  private readonly acc = new Map<MergeSample, Map<number, [number, number, boolean, number, number]>>();

  add(s: MergeSample, bucket: number, raw: number, used: number, counted: boolean, a: number, b: number): void {
    let per = this.acc.get(s);
    if (!per) this.acc.set(s, (per = new Map()));
    const cur = per.get(bucket);
    if (!cur) per.set(bucket, [raw, used, counted, a, b]);
    else {
      cur[0] += raw;
      cur[1] += used;
      cur[2] ||= counted;
      if (a < cur[3]) cur[3] = a;
      if (b > cur[4]) cur[4] = b;
    }
  }

  emit(sink: PieceSink): void {
    for (const [s, per] of this.acc) for (const [bucket, v] of per) sink(s, bucket, v[0], v[1], v[2], v[3], v[4]);
    this.acc.clear();
  }
}

function sweepCluster(cluster: MergeSample[], slots: Slotting, sink: PieceSink, onSelfOverlap?: (s: MergeSample) => void): void {
  const points: number[] = [];
  for (const s of cluster) {
    const end = effectiveEnd(s);
    points.push(s.start, end);
    for (let t = slots.next(s.start, s.off); t < end; t = slots.next(t, s.off)) points.push(t);
  }
  points.sort((x, y) => x - y);
  const active: MergeSample[] = [];
  const acc = new ClusterAcc();
  let next = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (a === b) continue;
    while (next < cluster.length && cluster[next].start <= a) active.push(cluster[next++]);
    for (let k = active.length - 1; k >= 0; k--) if (effectiveEnd(active[k]) <= a) active.splice(k, 1);
    if (!active.length) continue;
    let best = Infinity;
    for (const s of active) if (s.prio < best) best = s.prio;
    if (onSelfOverlap && active.length > 1) {
      for (let x = 0; x < active.length; x++)
        for (let y = x + 1; y < active.length; y++)
          if (active[x].originId === active[y].originId) {
            onSelfOverlap(active[x]);
            onSelfOverlap(active[y]);
          }
    }
    for (const s of active) {
      const amount = (s.value * (b - a)) / (effectiveEnd(s) - s.start);
      const counted = best !== Infinity && s.prio === best;
      acc.add(s, slots.slot(a, s.off), amount, counted ? amount : 0, counted, a, b);
    }
  }
  acc.emit(sink);
}

/** More specific stages beat "asleep (unspecified)" inside one origin; in_bed is not sleep. */
const STAGE_SPECIFICITY: Record<string, number> = { deep: 0, rem: 0, light: 0, awake: 0, asleep_unspecified: 1 };
export const ASLEEP_STAGES = new Set<string>(['light', 'deep', 'rem', 'asleep_unspecified']);

export interface SleepNight {
  /** The local day the night ends on (a night belongs to the day it ends). */
  day: number;
  start: number;
  end: number;
}

/** Sleep samples further apart than this belong to different sleeps (a night and a nap). */
export const SLEEP_GAP_MS = 3 * 60 * MINUTE;

/**
 * Sleep, one night at a time: samples (all origins) are grouped into sleeps separated by gaps
 * of SLEEP_GAP_MS; in each elementary interval of a sleep each origin says one stage (its most
 * specific one), and only the highest-priority origin's stage counts. So a phone's unspecified
 * "asleep" never adds minutes on top of a watch's stages: each minute is counted once.
 * Pieces are reported in minutes, bucketed by the night's day (or by local hour when `hours`).
 */
export function sweepSleep(
  samples: Iterable<MergeSample>,
  nightDay: (end: number, off: number) => number,
  sink: PieceSink,
  hours?: Slotting,
  onNight?: (night: SleepNight) => void,
): void {
  let cluster: MergeSample[] = [];
  let clusterEnd = -Infinity;
  const flush = () => {
    if (cluster.length) sleepNight(cluster, nightDay, sink, hours, onNight);
    cluster = [];
  };
  for (const s of samples) {
    if (s.category === 'in_bed' || s.category === '') continue;
    if (cluster.length && s.start > clusterEnd + SLEEP_GAP_MS) flush();
    if (!cluster.length) clusterEnd = -Infinity;
    cluster.push(s);
    if (s.end > clusterEnd) clusterEnd = s.end;
  }
  flush();
}

function sleepNight(
  cluster: MergeSample[],
  nightDay: (end: number, off: number) => number,
  sink: PieceSink,
  hours: Slotting | undefined,
  onNight?: (night: SleepNight) => void,
): void {
  let last = cluster[0];
  for (const s of cluster) if (s.end > last.end) last = s;
  const day = nightDay(last.end - 1, last.off);
  onNight?.({ day, start: cluster[0].start, end: last.end });
  const points: number[] = [];
  for (const s of cluster) {
    points.push(s.start, s.end);
    if (hours) for (let t = hours.next(s.start, s.off); t < s.end; t = hours.next(t, s.off)) points.push(t);
  }
  points.sort((x, y) => x - y);
  const active: MergeSample[] = [];
  let next = 0;
  const chosen = new Map<number, MergeSample>();
  const acc = new ClusterAcc();
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (a === b) continue;
    while (next < cluster.length && cluster[next].start <= a) active.push(cluster[next++]);
    for (let k = active.length - 1; k >= 0; k--) if (active[k].end <= a) active.splice(k, 1);
    if (!active.length) continue;
    chosen.clear();
    for (const s of active) {
      const cur = chosen.get(s.originId);
      if (!cur || (STAGE_SPECIFICITY[s.category] ?? 2) < (STAGE_SPECIFICITY[cur.category] ?? 2)) chosen.set(s.originId, s);
    }
    let best = Infinity;
    for (const s of chosen.values()) if (s.prio < best) best = s.prio;
    const minutes = (b - a) / MINUTE;
    for (const s of active) {
      const bucket = hours ? hours.slot(a, s.off) : day;
      // Samples an origin itself overrode (its "asleep" under its own stages) count nowhere.
      if (chosen.get(s.originId) !== s) acc.add(s, bucket, 0, 0, false, a, b);
      else {
        const counted = best !== Infinity && s.prio === best;
        acc.add(s, bucket, minutes, counted ? minutes : 0, counted, a, b);
      }
    }
  }
  acc.emit(sink);
}

export interface WorkoutLike {
  id: number;
  originId: number;
  prio: number;
  start: number;
  end: number;
}

/** Two sessions are one workout when their overlap covers at least this part of the shorter one. */
export const WORKOUT_OVERLAP = 0.5;

/**
 * Sessions: the same activity seen by two sources (their times overlap) is one workout; the
 * highest-priority copy is kept. Returns, for each dropped workout, the id of the one kept.
 */
export function dedupeWorkouts<W extends WorkoutLike>(workouts: W[]): { kept: W[]; duplicates: Map<number, number>; ignored: W[] } {
  const ranked = workouts.filter((w) => w.prio !== Infinity).sort((x, y) => x.prio - y.prio || x.start - y.start || x.id - y.id);
  const kept: W[] = [];
  const duplicates = new Map<number, number>();
  for (const w of ranked) {
    const dupOf = kept.find((k) => {
      const overlap = Math.min(k.end, w.end) - Math.max(k.start, w.start);
      const shorter = Math.max(1, Math.min(k.end - k.start, w.end - w.start));
      return overlap > 0 && overlap / shorter >= WORKOUT_OVERLAP;
    });
    if (dupOf) duplicates.set(w.id, dupOf.id);
    else kept.push(w);
  }
  kept.sort((x, y) => x.start - y.start);
  return { kept, duplicates, ignored: workouts.filter((w) => w.prio === Infinity) };
}

/** Stage minutes of a bucket, as the query and the dashboard show them. */
export interface StageMinutes {
  awake: number;
  light: number;
  deep: number;
  rem: number;
  unspecified: number;
}

export function emptyStages(): StageMinutes {
  return { awake: 0, light: 0, deep: 0, rem: 0, unspecified: 0 };
}

export function addStage(stages: StageMinutes, stage: string, minutes: number): void {
  const key = stage === 'asleep_unspecified' ? 'unspecified' : (stage as SleepStage);
  if (key === 'awake' || key === 'light' || key === 'deep' || key === 'rem' || key === 'unspecified') stages[key] += minutes;
}
