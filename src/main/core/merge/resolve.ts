// The merge engine (the rules as a user reads them: docs/merging.md). Pure functions
// from one metric's samples, ranked origins and a zone clock to buckets (local days or local
// hours) with provenance. No database here, so every rule can be tested by hand.
//
// The rules, in the order they apply:
// 1. Impossible values (outside the catalog's plausible range) never count; quality flags them.
// 2. One origin never counts twice: where its own samples overlap, the latest written (highest
//    id, so the later import or sync) counts; with equal ids (only in hand-built input) the larger.
// 3. Which source supplies a day is decided per local day: the highest-priority listed origin
//    with usable data that day. With fill-gaps off only its list entry supplies that day; with
//    fill-gaps on the others fill what it leaves empty.
// 4. A daily total (samples.day set) is never sliced into hours: when it wins a day it supplies
//    the whole day, and it fills whole days only. A daily total of 0 for a cumulative metric
//    is missing data (a device that recorded nothing), not a measurement.
// 5. Days and hours follow each sample's zone (ZoneClock), never the computer's.
import type { MetricDef } from '../../../shared/catalog';
import { daySlots, hourSlots, HOUR, MINUTE, type Slotting, type ZoneClock } from '../time/zones';
import type { Ranking } from './priority';

export interface MergeSample {
  id: number;
  originId: number;
  /** UTC epoch ms. */
  start: number;
  end: number;
  /** zones.id (0 = the home zone). */
  zone: number;
  /** Daily grain: the local epoch day this value is the source's total for; null for intervals. */
  day: number | null;
  value: number;
  category: string;
}

export type SlotMode = 'day' | 'hour';

/** Why a piece of a sample did not count (null when it did). */
export type PieceReason = 'overlap' | 'not-listed' | 'fill-gaps-off' | 'impossible' | 'daily-total' | 'zero-total' | 'unpaired' | 'duplicate';

/**
 * What happened to one sample inside one bucket: `raw` is the part of its value in the bucket
 * (minutes for sleep), `used` how much of that counted, `reason` why it did not (null = it
 * counted), [from, to) the part of the sample inside the bucket.
 */
export type PieceSink = (s: MergeSample, bucket: number, raw: number, used: number, reason: PieceReason | null, from: number, to: number) => void;

export interface StageMinutes {
  awake: number;
  light: number;
  deep: number;
  rem: number;
  unspecified: number;
  /** Time in bed: every minute some counted record covers (asleep, awake or only "in bed"). */
  inBed: number;
}

export function emptyStages(): StageMinutes {
  return { awake: 0, light: 0, deep: 0, rem: 0, unspecified: 0, inBed: 0 };
}

export interface SleepSession {
  start: number;
  end: number;
  asleep: number;
  inBed: number;
  /** Not the day's main sleep (the session with the most sleep). */
  nap: boolean;
}

export interface OriginBucket {
  originId: number;
  /** What this origin alone says for the bucket (its own total, average or asleep minutes). */
  value: number;
  /** Samples of this origin touching the bucket. */
  samples: number;
  /** Of those, how many supplied part of the merged value. */
  usedSamples: number;
  /** How much of the merged value it supplied (value units; minutes for sleep). */
  used: number;
  /** Local hours of the day (bit i = hour i) in which it has data; day mode only. */
  hours: number;
  impossible: number;
  duplicates: number;
  stages?: StageMinutes;
}

export interface Bucket {
  key: number;
  value: number;
  /** Samples (or readings) that touched the bucket but supplied nothing. */
  excluded: number;
  origins: Map<number, OriginBucket>;
  stages?: StageMinutes;
  /** Discrete metrics: the lowest and highest reading of the source that supplied the bucket. */
  min?: number;
  max?: number;
  sessions?: SleepSession[];
}

export interface MergeContext {
  clock: ZoneClock;
  ranking: Ranking;
  mode: SlotMode;
  onPiece?: PieceSink;
  /** Paired metrics (blood pressure): readings whose partner (same origin, same instant) exists. */
  paired?: (s: MergeSample) => boolean;
}

/** Outside the catalog's plausible range: quality flags it and the merge leaves it out. */
export function isImpossible(def: MetricDef, s: { start: number; end: number; value: number; day?: number | null }): boolean {
  if (def.kind === 'sleep-stage') {
    if (s.day !== null && s.day !== undefined) return !(s.value >= 0 && s.value <= 1_440);
    return s.end < s.start || (s.end - s.start) / MINUTE > 1_440;
  }
  if (!def.plausible) return !Number.isFinite(s.value);
  const [lo, hi] = def.plausible;
  if (def.kind === 'cumulative') return !(s.value >= 0 && s.value <= hi);
  return !(s.value >= lo && s.value <= hi);
}

function originBucket(b: Bucket, originId: number): OriginBucket {
  let o = b.origins.get(originId);
  if (!o) {
    o = { originId, value: 0, samples: 0, usedSamples: 0, used: 0, hours: 0, impossible: 0, duplicates: 0 };
    b.origins.set(originId, o);
  }
  return o;
}

function bucketOf(buckets: Map<number, Bucket>, key: number): Bucket {
  let b = buckets.get(key);
  if (!b) {
    b = { key, value: 0, excluded: 0, origins: new Map() };
    buckets.set(key, b);
  }
  return b;
}

/**
 * Per local day, the highest-priority listed origin with usable data, and so who may supply
 * the day (rule 3). Used by every kind of metric, workouts included.
 */
export class DayChoice {
  private readonly best = new Map<number, { prio: number; entry: number; originId: number }>();

  constructor(private readonly ranking: Ranking) {}

  prio(originId: number): number {
    return this.ranking.prio.get(originId) ?? Infinity;
  }

  offer(day: number, originId: number): void {
    const p = this.prio(originId);
    if (p === Infinity) return;
    const cur = this.best.get(day);
    if (!cur || p < cur.prio) this.best.set(day, { prio: p, entry: this.ranking.entry.get(originId)!, originId });
  }

  winner(day: number): number | null {
    return this.best.get(day)?.originId ?? null;
  }

  /** Why this origin may not supply this day, or null when it may. */
  refusal(day: number, originId: number): PieceReason | null {
    if (this.prio(originId) === Infinity) return 'not-listed';
    const w = this.best.get(day);
    if (!w) return 'overlap';
    if (!this.ranking.fillGaps && this.ranking.entry.get(originId) !== w.entry) return 'fill-gaps-off';
    return null;
  }
}

function markHours(clock: ZoneClock, o: OriginBucket, zone: number, from: number, to: number): void {
  if (o.hours === 0xffffff) return;
  for (let t = from; t < to; t = clock.nextHour(zone, t)) o.hours |= 1 << (((clock.hour(zone, t) % 24) + 24) % 24);
  if (to === from) o.hours |= 1 << (((clock.hour(zone, from) % 24) + 24) % 24);
}

/** Merges one metric's samples (any order) into buckets. Workouts have their own path (workouts.ts). */
export function resolveSamples(def: MetricDef, samples: MergeSample[], ctx: MergeContext): Map<number, Bucket> {
  // Any order in, one order out (ties by id, so equal input always merges alike).
  const sorted = [...samples].sort((a, b) => a.start - b.start || a.id - b.id);
  if (def.kind === 'discrete') return resolveDiscrete(def, sorted, ctx);
  if (def.kind === 'sleep-stage') return resolveSleep(def, sorted, ctx);
  return resolveCumulative(def, sorted, ctx);
}

// ---------------------------------------------------------------------------------------------
// Cumulative amounts (steps, energy, distance, nutrition)

const effectiveEnd = (s: MergeSample) => (s.end > s.start ? s.end : s.start + 1);

/** The days an interval sample touches, in its own zone. */
function daysOf(clock: ZoneClock, s: MergeSample): [number, number] {
  return [clock.day(s.zone, s.start), clock.day(s.zone, Math.max(s.start, effectiveEnd(s) - 1))];
}

/** Within one origin: which sample counts where two overlap (rule 2). */
const preferWithinOrigin = (a: MergeSample, b: MergeSample) => (a.id !== b.id ? a.id > b.id : a.value >= b.value);

function resolveCumulative(def: MetricDef, samples: MergeSample[], ctx: MergeContext): Map<number, Bucket> {
  const { clock, mode } = ctx;
  const slots: Slotting = mode === 'day' ? daySlots(clock) : hourSlots(clock);
  const buckets = new Map<number, Bucket>();
  const choice = new DayChoice(ctx.ranking);
  const impossible = new Set<MergeSample>();
  // Daily totals: per (day, origin) the one that counts (rule 2).
  const totals = new Map<string, MergeSample>();
  const intervals: MergeSample[] = [];
  for (const s of samples) {
    if (isImpossible(def, s)) impossible.add(s);
    if (s.day !== null) {
      if (impossible.has(s)) continue;
      const k = `${s.day}|${s.originId}`;
      const cur = totals.get(k);
      if (!cur || preferWithinOrigin(s, cur)) totals.set(k, s);
    } else intervals.push(s);
  }
  // Who has usable data on which day.
  for (const t of totals.values()) if (t.value > 0) choice.offer(t.day!, t.originId);
  for (const s of intervals) {
    if (impossible.has(s)) continue;
    const [d0, d1] = daysOf(clock, s);
    for (let d = d0; d <= d1; d++) choice.offer(d, s.originId);
  }
  const dayWonByTotal = (day: number) => {
    const w = choice.winner(day);
    if (w === null) return false;
    const t = totals.get(`${day}|${w}`);
    return t !== undefined && t.value > 0;
  };

  // Daily totals supply whole days; in hour mode they have no hours to go to.
  for (const s of samples) {
    if (s.day === null) continue;
    const counted = totals.get(`${s.day}|${s.originId}`) === s;
    let reason: PieceReason | null;
    if (impossible.has(s)) reason = 'impossible';
    else if (!counted) reason = 'duplicate';
    else if (s.value <= 0) reason = 'zero-total';
    else if (choice.winner(s.day) === s.originId) reason = null;
    else reason = choice.refusal(s.day, s.originId) ?? 'overlap';
    // A day's total has no hour to go to.
    if (mode === 'hour') continue;
    const b = bucketOf(buckets, s.day);
    const o = originBucket(b, s.originId);
    o.samples++;
    if (impossible.has(s)) o.impossible++;
    else if (!counted) o.duplicates++;
    else o.value += s.value;
    if (reason === null) {
      o.used += s.value;
      o.usedSamples++;
      b.value += s.value;
    } else b.excluded++;
    o.hours = 0xffffff;
    ctx.onPiece?.(s, s.day, s.value, reason === null ? s.value : 0, reason, s.start, s.end);
  }

  // Interval samples: a sweep over each cluster of overlapping samples.
  const acc = new PieceAcc();
  const refusal = (s: MergeSample, a: number): PieceReason | null => {
    if (impossible.has(s)) return 'impossible';
    const day = mode === 'day' ? slots.slot(a, s.zone) : clock.day(s.zone, a);
    const r = choice.refusal(day, s.originId);
    if (r) return r;
    return dayWonByTotal(day) ? 'daily-total' : null;
  };
  const emit: AccSink = (s, key, raw, own, used, reason, from, to, dup) => {
    const b = bucketOf(buckets, key);
    const o = originBucket(b, s.originId);
    o.samples++;
    if (impossible.has(s)) o.impossible++;
    if (dup) o.duplicates++;
    o.value += own;
    if (reason === null) {
      o.usedSamples++;
      o.used += used;
      b.value += used;
    } else b.excluded++;
    if (mode === 'day' && raw !== 0) markHours(clock, o, s.zone, from, to);
    ctx.onPiece?.(s, key, raw, used, reason, from, to);
  };
  forEachCluster(intervals, (cluster) => sweepCluster(cluster, slots, refusal, choice, acc, emit));
  acc.emit(emit);
  return buckets;
}

function forEachCluster(samples: MergeSample[], fn: (cluster: MergeSample[]) => void): void {
  let cluster: MergeSample[] = [];
  let clusterEnd = -Infinity;
  for (const s of samples) {
    if (cluster.length && s.start >= clusterEnd) {
      fn(cluster);
      cluster = [];
      clusterEnd = -Infinity;
    }
    cluster.push(s);
    const e = effectiveEnd(s);
    if (e > clusterEnd) clusterEnd = e;
  }
  if (cluster.length) fn(cluster);
}

type AccSink = (s: MergeSample, key: number, raw: number, own: number, used: number, reason: PieceReason | null, from: number, to: number, dup: boolean) => void;

/** Per (sample, bucket) totals, reported once each (a sample touches a bucket once, however cut). */
class PieceAcc {
  private readonly acc = new Map<MergeSample, Map<number, { raw: number; own: number; used: number; reason: PieceReason | null; from: number; to: number; dup: boolean }>>();

  add(s: MergeSample, key: number, raw: number, own: number, used: number, reason: PieceReason | null, a: number, b: number): void {
    let per = this.acc.get(s);
    if (!per) this.acc.set(s, (per = new Map()));
    const cur = per.get(key);
    if (!cur) per.set(key, { raw, own, used, reason, from: a, to: b, dup: false });
    else {
      cur.raw += raw;
      cur.own += own;
      cur.used += used;
      // A sample counts in a bucket when any piece of it counted there.
      if (reason === null) cur.reason = null;
      if (a < cur.from) cur.from = a;
      if (b > cur.to) cur.to = b;
    }
  }

  markDuplicate(s: MergeSample): void {
    const per = this.acc.get(s);
    if (per) for (const v of per.values()) v.dup = true;
  }

  emit(sink: AccSink): void {
    for (const [s, per] of this.acc) for (const [key, v] of per) sink(s, key, v.raw, v.own, v.used, v.reason, v.from, v.to, v.dup);
    this.acc.clear();
  }
}

/**
 * One cluster of overlapping interval samples, cut at every start, end and slot boundary: in
 * each piece the best allowed sample (highest-priority origin, then rule 2) counts; each
 * origin's own value counts its own best sample only.
 */
function sweepCluster(
  cluster: MergeSample[],
  slots: Slotting,
  refusal: (s: MergeSample, at: number) => PieceReason | null,
  choice: DayChoice,
  acc: PieceAcc,
  emit: AccSink,
): void {
  if (cluster.length === 1) {
    // The common case: one sample alone, cut only at slot boundaries; each piece is in its own
    // bucket, so it goes straight out (no accumulation, no garbage).
    const s = cluster[0];
    const end = effectiveEnd(s);
    for (let a = s.start; a < end; ) {
      const b = Math.min(end, slots.next(a, s.zone));
      const amount = (s.value * (b - a)) / (end - s.start);
      const reason = refusal(s, a);
      emit(s, slots.slot(a, s.zone), amount, reason === 'impossible' ? 0 : amount, reason === null ? amount : 0, reason, a, b, false);
      a = b;
    }
    return;
  }
  const points: number[] = [];
  for (const s of cluster) {
    const end = effectiveEnd(s);
    points.push(s.start, end);
    for (let t = slots.next(s.start, s.zone); t < end; t = slots.next(t, s.zone)) points.push(t);
  }
  points.sort((x, y) => x - y);
  const active: MergeSample[] = [];
  const ownBest = new Map<number, MergeSample>();
  let next = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (a === b) continue;
    while (next < cluster.length && cluster[next].start <= a) active.push(cluster[next++]);
    for (let k = active.length - 1; k >= 0; k--) if (effectiveEnd(active[k]) <= a) active.splice(k, 1);
    if (!active.length) continue;
    let best: MergeSample | null = null;
    let bestPrio = Infinity;
    ownBest.clear();
    const reasons = active.map((s) => refusal(s, a));
    for (let k = 0; k < active.length; k++) {
      const s = active[k];
      if (reasons[k] !== 'impossible') {
        const cur = ownBest.get(s.originId);
        if (!cur || preferWithinOrigin(s, cur)) ownBest.set(s.originId, s);
      }
      if (reasons[k] !== null) continue;
      const p = choice.prio(s.originId);
      if (!best || p < bestPrio || (p === bestPrio && preferWithinOrigin(s, best))) {
        best = s;
        bestPrio = p;
      }
    }
    for (let k = 0; k < active.length; k++) {
      const s = active[k];
      const amount = (s.value * (b - a)) / (effectiveEnd(s) - s.start);
      const mine = ownBest.get(s.originId) === s;
      const reason = s === best ? null : (reasons[k] ?? (mine ? 'overlap' : 'duplicate'));
      acc.add(s, slots.slot(a, s.zone), amount, mine ? amount : 0, s === best ? amount : 0, reason, a, b);
    }
  }
  // Quality: samples of one origin that overlap each other (cluster is in start order: one
  // pass per origin, remembering the sample that reaches furthest).
  const reach = new Map<number, MergeSample>();
  for (const s of cluster) {
    const far = reach.get(s.originId);
    if (far && s.start < effectiveEnd(far)) {
      acc.markDuplicate(s);
      acc.markDuplicate(far);
    }
    if (!far || effectiveEnd(s) > effectiveEnd(far)) reach.set(s.originId, s);
  }
}

// ---------------------------------------------------------------------------------------------
// Discrete readings (heart rate, weight, SpO2, blood pressure)

/**
 * Time weighting: a reading holds until the next one, and at most this long (past that the
 * value is unknown, not the last one seen). So 24 hourly readings at 60 bpm and one hour of
 * readings every 10 s at 160 bpm average about 64.2 (23 h at 60, 1 h at 160), not 153.75.
 */
export const READING_REACH_MS = 60 * MINUTE;

/**
 * Time-weighted mean of readings sorted by time: reading i holds from times[i] until the next
 * reading, READING_REACH_MS, or ends[i] (its own end when it has one, and the end of its own day
 * or hour slot in its own zone), whichever comes first.
 */
export function timeWeightedMean(times: number[], values: number[], ends: number[]): number {
  const n = times.length;
  if (n === 1) return values[0];
  let sum = 0;
  let weight = 0;
  for (let i = 0; i < n; i++) {
    const to = Math.min(ends[i], times[i] + READING_REACH_MS, i < n - 1 ? times[i + 1] : Infinity);
    const w = Math.max(0, to - times[i]);
    sum += w * values[i];
    weight += w;
  }
  // Readings all at one instant: a plain mean.
  if (weight <= 0) return values.reduce((a, v) => a + v, 0) / n;
  return sum / weight;
}

interface Readings {
  times: number[];
  values: number[];
  /** Where each reading's slot ends (its hold stops there). */
  ends: number[];
  /** Daily-grain values for the day (the source's own daily figure); they win over readings. */
  daily: number[];
}

function aggregateReadings(def: MetricDef, r: Readings): { value: number; min: number; max: number } {
  const vals = r.daily.length ? r.daily : r.values;
  let min = Infinity;
  let max = -Infinity;
  for (const v of vals) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let value: number;
  if (def.daily === 'last') value = vals[vals.length - 1];
  else if (def.daily === 'min') value = min;
  else if (def.daily === 'max') value = max;
  else if (r.daily.length) value = r.daily.reduce((a, v) => a + v, 0) / r.daily.length;
  else value = timeWeightedMean(r.times, r.values, r.ends);
  return { value, min, max };
}

/**
 * Readings of one origin at one instant (stored twice, perhaps with other zones): only the
 * latest written possible one counts (rule 2 after rule 1). `samples` is sorted by start, then id.
 */
function sameInstantDuplicates(def: MetricDef, samples: MergeSample[]): Set<MergeSample> {
  const dups = new Set<MergeSample>();
  for (let i = 0; i < samples.length; ) {
    let j = i + 1;
    while (j < samples.length && samples[j].start === samples[i].start) j++;
    if (j - i > 1) {
      const latest = new Map<number, MergeSample>();
      for (let k = i; k < j; k++) {
        const s = samples[k];
        if (s.day !== null || isImpossible(def, s)) continue;
        const cur = latest.get(s.originId);
        if (cur) dups.add(s.id > cur.id ? cur : s);
        if (!cur || s.id > cur.id) latest.set(s.originId, s);
      }
    }
    i = j;
  }
  return dups;
}

function resolveDiscrete(def: MetricDef, samples: MergeSample[], ctx: MergeContext): Map<number, Bucket> {
  const { clock, mode } = ctx;
  const buckets = new Map<number, Bucket>();
  const choice = new DayChoice(ctx.ranking);
  // bucket key -> origin -> its readings.
  const per = new Map<number, Map<number, Readings>>();
  const pieces: { s: MergeSample; key: number; day: number; reason: PieceReason | 'candidate' }[] = [];
  const tracing = ctx.onPiece !== undefined;
  const dups = sameInstantDuplicates(def, samples);
  const timeWeighted = def.daily === 'avg';
  // The end of a reading's slot, remembered for the next reading in the same zone and slot.
  let lastZone = -1;
  let lastKey = NaN;
  let lastEnd = 0;
  const slotEnd = (zone: number, key: number, t: number): number => {
    if (zone === lastZone && key === lastKey) return lastEnd;
    let end: number;
    if (mode === 'day') end = clock.nextDay(zone, t);
    else {
      // An hour lived twice (clocks going back) is one slot: go on to where the slot changes.
      end = clock.nextHour(zone, t);
      while (clock.hour(zone, end) === key) end = clock.nextHour(zone, end);
    }
    [lastZone, lastKey, lastEnd] = [zone, key, end];
    return end;
  };
  for (const s of samples) {
    // One offset lookup gives the local day and hour.
    const local = s.start + clock.offset(s.zone, s.start) * MINUTE;
    const hour = Math.floor(local / HOUR);
    const day = s.day ?? Math.floor(hour / 24);
    let key: number;
    if (mode === 'day') key = day;
    else if (s.day !== null) continue; // a daily figure has no hour
    else key = hour;
    const b = bucketOf(buckets, key);
    const o = originBucket(b, s.originId);
    o.samples++;
    if (mode === 'day') {
      if (s.day !== null) o.hours = 0xffffff;
      else o.hours |= 1 << (((hour % 24) + 24) % 24);
    }
    let reason: PieceReason | null = null;
    if (isImpossible(def, s)) {
      o.impossible++;
      reason = 'impossible';
    } else if (dups.has(s)) {
      o.duplicates++;
      reason = 'duplicate';
    } else if (ctx.paired && !ctx.paired(s)) reason = 'unpaired';
    if (reason) {
      if (tracing) pieces.push({ s, key, day, reason });
      continue;
    }
    let byOrigin = per.get(key);
    if (!byOrigin) per.set(key, (byOrigin = new Map()));
    let r = byOrigin.get(s.originId);
    if (!r) byOrigin.set(s.originId, (r = { times: [], values: [], ends: [], daily: [] }));
    if (s.day !== null) r.daily.push(s.value);
    else {
      r.times.push(s.start);
      r.values.push(s.value);
      // A reading over an interval (a workout's heart-rate stream point) holds to its own end.
      if (timeWeighted) r.ends.push(s.end > s.start ? Math.min(s.end, slotEnd(s.zone, key, s.start)) : slotEnd(s.zone, key, s.start));
    }
    if (tracing) pieces.push({ s, key, day, reason: 'candidate' });
    choice.offer(day, s.originId);
  }
  const dayOfKey = (key: number) => (mode === 'day' ? key : Math.floor(key / 24));
  const winners = new Map<number, number>();
  for (const [key, byOrigin] of per) {
    const b = buckets.get(key)!;
    let winner: number | null = null;
    let winnerAgg: ReturnType<typeof aggregateReadings> | null = null;
    let best = Infinity;
    for (const [originId, r] of byOrigin) {
      const agg = aggregateReadings(def, r);
      b.origins.get(originId)!.value = agg.value;
      if (choice.refusal(dayOfKey(key), originId) !== null) continue;
      const p = choice.prio(originId);
      if (p < best) {
        best = p;
        winner = originId;
        winnerAgg = agg;
      }
    }
    if (winner === null || !winnerAgg) continue;
    const r = byOrigin.get(winner)!;
    b.value = winnerAgg.value;
    b.min = winnerAgg.min;
    b.max = winnerAgg.max;
    const o = b.origins.get(winner)!;
    o.used = winnerAgg.value;
    o.usedSamples = r.daily.length || r.times.length;
    for (const x of b.origins.values()) b.excluded += x.originId === winner ? x.samples - x.usedSamples : x.samples;
    winners.set(key, winner);
  }
  for (const key of buckets.keys()) if (!winners.has(key)) buckets.delete(key);
  if (ctx.onPiece) {
    for (const p of pieces) {
      let reason: PieceReason | null;
      if (p.reason !== 'candidate') reason = p.reason;
      else if (winners.get(p.key) === p.s.originId) reason = null;
      else reason = choice.refusal(dayOfKey(p.key), p.s.originId) ?? 'overlap';
      ctx.onPiece(p.s, p.key, p.s.value, reason === null ? p.s.value : 0, reason, p.s.start, p.s.end);
    }
  }
  return buckets;
}

// ---------------------------------------------------------------------------------------------
// Sleep

/** Sleep records this far apart or more (nothing recorded in between) are separate sessions. */
export const SLEEP_SESSION_GAP_MS = 2 * HOUR;
/** Categories that say the person was asleep. */
export const ASLEEP_STAGES = new Set<string>(['light', 'deep', 'rem', 'asleep_unspecified']);
/** Inside one origin, a more specific statement beats a vaguer one: stages, then "asleep", then "in bed". */
const SPECIFICITY: Record<string, number> = { deep: 0, rem: 0, light: 0, awake: 0, asleep_unspecified: 1, in_bed: 2 };

function addStage(st: StageMinutes, category: string, minutes: number): void {
  if (category === 'asleep_unspecified') st.unspecified += minutes;
  else if (category === 'awake' || category === 'light' || category === 'deep' || category === 'rem') st[category] += minutes;
  st.inBed += minutes;
}

const asleepOf = (st: StageMinutes) => st.light + st.deep + st.rem + st.unspecified;

/**
 * Sleep: records (of every origin) form sessions separated by SLEEP_SESSION_GAP_MS with nothing
 * recorded; a session counts on the local day it ends. Per day, rule 3 picks who may supply;
 * in each moment of a session the highest-priority allowed origin that states a sleep stage
 * counts (an origin's "asleep" under its own stages counts nowhere; "in bed" counts only where
 * nobody states a stage), so each minute is counted once. Daily-grain stage totals (a night with
 * durations only) supply their day whole when they win it.
 */
function resolveSleep(def: MetricDef, samples: MergeSample[], ctx: MergeContext): Map<number, Bucket> {
  const { clock, mode } = ctx;
  const buckets = new Map<number, Bucket>();
  const choice = new DayChoice(ctx.ranking);
  const sessions: { samples: MergeSample[]; day: number; start: number; end: number }[] = [];
  const totals: MergeSample[] = [];
  let cur: MergeSample[] = [];
  let curEnd = -Infinity;
  const close = () => {
    if (!cur.length) return;
    let last = cur[0];
    for (const s of cur) if (s.end > last.end) last = s;
    sessions.push({ samples: cur, day: clock.day(last.zone, Math.max(last.start, last.end - 1)), start: cur[0].start, end: last.end });
    cur = [];
    curEnd = -Infinity;
  };
  const impossible = new Set<MergeSample>();
  for (const s of samples) {
    if (isImpossible(def, s)) impossible.add(s);
    if (s.day !== null) {
      totals.push(s);
      continue;
    }
    if (impossible.has(s) || !(s.category in SPECIFICITY)) continue;
    if (cur.length && s.start >= curEnd + SLEEP_SESSION_GAP_MS) close();
    cur.push(s);
    if (s.end > curEnd) curEnd = s.end;
  }
  close();
  // Daily-grain totals: per (day, origin) its stage minutes (one row per stage: the day key keeps one).
  const totalSets = new Map<string, { day: number; originId: number; stages: StageMinutes; samples: MergeSample[]; inBedTotal: number }>();
  for (const t of totals) {
    if (impossible.has(t)) continue;
    const k = `${t.day}|${t.originId}`;
    let set = totalSets.get(k);
    if (!set) totalSets.set(k, (set = { day: t.day!, originId: t.originId, stages: emptyStages(), samples: [], inBedTotal: 0 }));
    if (t.category === 'in_bed') set.inBedTotal += t.value;
    else addStage(set.stages, t.category, t.value);
    set.samples.push(t);
  }
  // Time in bed: the source's own figure when it gives one, and never less than the stages it adds up to.
  for (const set of totalSets.values()) set.stages.inBed = Math.max(set.stages.inBed, set.inBedTotal);
  for (const set of totalSets.values()) if (set.stages.inBed > 0) choice.offer(set.day, set.originId);
  for (const sess of sessions) for (const s of sess.samples) choice.offer(sess.day, s.originId);
  const dayWonByTotal = (day: number) => {
    const w = choice.winner(day);
    return w !== null && totalSets.has(`${day}|${w}`);
  };

  // Impossible records: flagged on the day they end.
  for (const s of impossible) {
    if (mode === 'hour') continue;
    const day = s.day ?? clock.day(s.zone, s.end);
    const b = bucketOf(buckets, day);
    const o = originBucket(b, s.originId);
    o.samples++;
    o.impossible++;
    b.excluded++;
    ctx.onPiece?.(s, day, 0, 0, 'impossible', s.start, s.end);
  }

  // Days supplied whole by stage totals.
  for (const set of totalSets.values()) {
    const won = choice.winner(set.day) === set.originId;
    const reason: PieceReason | null = won ? null : (choice.refusal(set.day, set.originId) ?? 'overlap');
    if (mode === 'hour') continue; // stage totals have no hours

    const b = bucketOf(buckets, set.day);
    const o = originBucket(b, set.originId);
    o.samples += set.samples.length;
    o.stages = { ...set.stages };
    o.value = asleepOf(set.stages);
    o.hours = 0xffffff;
    if (won) {
      b.stages = { ...set.stages };
      b.value = asleepOf(set.stages);
      o.used = b.value;
      o.usedSamples = set.samples.length;
      // One session per sleep the totals describe (a night and a nap each span their own time).
      const bySpan = new Map<string, SleepSession>();
      for (const t of set.samples) {
        const k = `${t.start}|${t.end}`;
        let sess = bySpan.get(k);
        if (!sess) bySpan.set(k, (sess = { start: t.start, end: t.end, asleep: 0, inBed: 0, nap: false }));
        if (ASLEEP_STAGES.has(t.category)) sess.asleep += t.value;
        if (t.category !== 'in_bed') sess.inBed += t.value;
      }
      b.sessions = [...bySpan.values()].sort((x, y) => x.start - y.start);
    } else b.excluded += set.samples.length;
    for (const t of set.samples) ctx.onPiece?.(t, set.day, t.value, won ? t.value : 0, reason, t.start, t.end);
  }

  const hours = hourSlots(clock);
  for (const sess of sessions) {
    const acc = new PieceAcc();
    const stagesOf = new Map<MergeSample, string>();
    const totalWins = dayWonByTotal(sess.day);
    let asleep = 0;
    let inBed = 0;
    const points: number[] = [];
    for (const s of sess.samples) {
      points.push(s.start, s.end);
      if (mode === 'hour') for (let t = hours.next(s.start, s.zone); t < s.end; t = hours.next(t, s.zone)) points.push(t);
    }
    points.sort((x, y) => x - y);
    const active: MergeSample[] = [];
    const mine = new Map<number, MergeSample>();
    let next = 0;
    for (let i = 0; i < points.length - 1; i++) {
      const a = points[i];
      const b = points[i + 1];
      if (a === b) continue;
      while (next < sess.samples.length && sess.samples[next].start <= a) active.push(sess.samples[next++]);
      for (let k = active.length - 1; k >= 0; k--) if (active[k].end <= a) active.splice(k, 1);
      if (!active.length) continue;
      // Each origin's own statement here: its most specific, then its latest written.
      mine.clear();
      for (const s of active) {
        const m = mine.get(s.originId);
        const sp = SPECIFICITY[s.category];
        const mp = m ? SPECIFICITY[m.category] : Infinity;
        if (!m || sp < mp || (sp === mp && s.id > m.id)) mine.set(s.originId, s);
      }
      // The counted statement: the best allowed origin stating a stage, else the best stating "in bed".
      let best: MergeSample | null = null;
      let bestRank = Infinity;
      for (const s of mine.values()) {
        if (totalWins || choice.refusal(sess.day, s.originId) !== null) continue;
        const rank = (s.category === 'in_bed' ? 1 : 0) * 1e15 + choice.prio(s.originId);
        if (rank < bestRank) {
          best = s;
          bestRank = rank;
        }
      }
      const minutes = (b - a) / MINUTE;
      if (best) {
        inBed += minutes;
        if (ASLEEP_STAGES.has(best.category)) asleep += minutes;
      }
      for (const s of active) {
        const key = mode === 'hour' ? hours.slot(a, s.zone) : sess.day;
        const own = mine.get(s.originId) === s;
        let reason: PieceReason | null;
        if (s === best) reason = null;
        else if (!own) reason = 'duplicate';
        else if (totalWins) reason = 'daily-total';
        else reason = choice.refusal(sess.day, s.originId) ?? 'overlap';
        acc.add(s, key, own ? minutes : 0, own ? minutes : 0, s === best ? minutes : 0, reason, a, b);
        if (own) stagesOf.set(s, s.category);
      }
    }
    acc.emit((s, key, raw, own, used, reason, from, to) => {
      const b = bucketOf(buckets, key);
      b.stages ??= emptyStages();
      const o = originBucket(b, s.originId);
      o.stages ??= emptyStages();
      o.samples++;
      if (own > 0) {
        if (s.category === 'in_bed') o.stages.inBed += own;
        else addStage(o.stages, s.category, own);
        if (ASLEEP_STAGES.has(s.category)) o.value += own;
      }
      if (reason === null) {
        o.usedSamples++;
        if (s.category === 'in_bed') b.stages.inBed += used;
        else addStage(b.stages, s.category, used);
        if (ASLEEP_STAGES.has(s.category)) {
          b.value += used;
          o.used += used;
        }
      } else b.excluded++;
      if (mode === 'day' && raw !== 0) markHours(clock, o, s.zone, from, to);
      ctx.onPiece?.(s, key, raw, used, reason, from, to);
    });
    if (mode === 'day' && inBed > 0) {
      const b = bucketOf(buckets, sess.day);
      (b.sessions ??= []).push({ start: sess.start, end: sess.end, asleep, inBed, nap: false });
    }
  }
  // The day's main sleep is its longest; every other session that day is a nap.
  for (const b of buckets.values()) {
    if (!b.sessions || b.sessions.length < 2) continue;
    let main = b.sessions[0];
    for (const s of b.sessions) if (s.asleep > main.asleep || (s.asleep === main.asleep && s.inBed > main.inBed)) main = s;
    for (const s of b.sessions) s.nap = s !== main;
  }
  // Buckets where nothing counted are not shown (their origins still get per-source values).
  for (const b of buckets.values()) if (![...b.origins.values()].some((o) => o.usedSamples > 0)) b.stages = undefined;
  return buckets;
}

/** Each origin's share of a bucket's merged value; the shares sum to 1. */
export function shares(b: Bucket): { originId: number; share: number; value: number; samples: number }[] {
  let used = [...b.origins.values()].filter((o) => o.usedSamples > 0);
  let total = used.reduce((a, o) => a + Math.abs(o.used), 0);
  // Origins that counted but supplied no amount (a phone's "in bed" around a watch's night) have no share.
  if (total > 0) used = used.filter((o) => o.used !== 0);
  const weight = (o: OriginBucket) => (total > 0 ? Math.abs(o.used) : o.usedSamples);
  if (total <= 0) total = used.reduce((a, o) => a + o.usedSamples, 0);
  return used.map((o) => ({ originId: o.originId, share: total > 0 ? weight(o) / total : 1 / used.length, value: o.used, samples: o.usedSamples }));
}
