// Turns ranked samples of one metric into buckets (local days or local hours): the merged
// value with its provenance, and each origin's own value and the facts quality scoring needs.
import type { MetricDef } from '../../../shared/catalog';
import { addStage, ASLEEP_STAGES, emptyStages, sweepCumulative, sweepSleep, type MergeSample, type PieceSink, type StageMinutes } from './engine';
import { DAYS, HOURS, localDay, MINUTE } from './time';

export type SlotMode = 'day' | 'hour';

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
  /** Samples (or readings) that touched the bucket but supplied nothing: overlaps and ignored sources. */
  excluded: number;
  origins: Map<number, OriginBucket>;
  stages?: StageMinutes;
}

/** Outside the catalog's plausible range: quality flags it and the merge leaves it out. */
export function isImpossible(def: MetricDef, s: { start: number; end: number; value: number }): boolean {
  if (def.kind === 'sleep-stage') return s.end < s.start || (s.end - s.start) / MINUTE > 1_440;
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

function bucketOf(buckets: Map<number, Bucket>, key: number, sleep: boolean): Bucket {
  let b = buckets.get(key);
  if (!b) {
    b = { key, value: 0, excluded: 0, origins: new Map(), ...(sleep ? { stages: emptyStages() } : {}) };
    buckets.set(key, b);
  }
  return b;
}

function markHours(o: OriginBucket, from: number, to: number, off: number): void {
  if (o.hours === 0xffffff) return;
  for (let t = from; t < to; t = HOURS.next(t, off)) o.hours |= 1 << (((HOURS.slot(t, off) % 24) + 24) % 24);
}

export interface ResolveOptions {
  mode: SlotMode;
  /** Sees every piece, for "Why this number?". */
  onPiece?: PieceSink;
}

/**
 * Merges one metric's samples (sorted by start, `prio` already set from the preferences, and
 * Infinity for impossible values) into buckets. Sessions (workouts) have their own path.
 */
export function resolveSamples(def: MetricDef, samples: Iterable<MergeSample>, opts: ResolveOptions): Map<number, Bucket> {
  if (def.kind === 'discrete') return resolveDiscrete(def, samples, opts);
  const buckets = new Map<number, Bucket>();
  const sleep = def.kind === 'sleep-stage';
  const dupIds = new Set<MergeSample>();
  const sink: PieceSink = (s, key, raw, used, counted, from, to) => {
    opts.onPiece?.(s, key, raw, used, counted, from, to);
    const b = bucketOf(buckets, key, sleep);
    const o = originBucket(b, s.originId);
    o.samples++;
    if (counted) o.usedSamples++;
    else b.excluded++;
    if (s.prio === Infinity && isImpossible(def, s)) o.impossible++;
    if (dupIds.size && dupIds.has(s)) o.duplicates++;
    if (sleep) {
      o.stages ??= emptyStages();
      addStage(o.stages, s.category, raw);
      if (ASLEEP_STAGES.has(s.category)) o.value += raw;
      if (counted) {
        addStage(b.stages!, s.category, used);
        if (ASLEEP_STAGES.has(s.category)) b.value += used;
        o.used += used;
      }
    } else {
      o.value += raw;
      if (counted) {
        b.value += used;
        o.used += used;
      }
    }
    if (opts.mode === 'day' && raw !== 0) markHours(o, from, to, s.off);
  };
  if (sleep) {
    sweepSleep(samples, opts.mode === 'day' ? localDay : HOURS.slot, sink, opts.mode === 'hour' ? HOURS : undefined);
  } else {
    sweepCumulative(samples, opts.mode === 'day' ? DAYS : HOURS, sink, (s) => dupIds.add(s));
  }
  return buckets;
}

function resolveDiscrete(def: MetricDef, samples: Iterable<MergeSample>, opts: ResolveOptions): Map<number, Bucket> {
  const slots = opts.mode === 'day' ? DAYS : HOURS;
  interface Acc {
    sum: number;
    n: number;
    min: number;
    max: number;
    last: number;
    lastT: number;
    prio: number;
    /** Start of the previous reading: samples arrive in start order, so duplicates are adjacent. */
    prevStart: number;
  }
  const accs = new Map<number, Map<number, Acc>>();
  const buckets = new Map<number, Bucket>();
  const all: { s: MergeSample; key: number }[] = [];
  for (const s of samples) {
    const key = slots.slot(s.start, s.off);
    const b = bucketOf(buckets, key, false);
    const o = originBucket(b, s.originId);
    o.samples++;
    if (opts.mode === 'day') o.hours |= 1 << (((HOURS.slot(s.start, s.off) % 24) + 24) % 24);
    let perOrigin = accs.get(key);
    if (!perOrigin) accs.set(key, (perOrigin = new Map()));
    let a = perOrigin.get(s.originId);
    if (!a) perOrigin.set(s.originId, (a = { sum: 0, n: 0, min: Infinity, max: -Infinity, last: NaN, lastT: -Infinity, prio: Infinity, prevStart: NaN }));
    if (opts.onPiece) all.push({ s, key });
    if (isImpossible(def, s)) {
      o.impossible++;
      continue;
    }
    if (s.prio < a.prio) a.prio = s.prio;
    if (a.prevStart === s.start) o.duplicates++;
    a.prevStart = s.start;
    a.sum += s.value;
    a.n++;
    if (s.value < a.min) a.min = s.value;
    if (s.value > a.max) a.max = s.value;
    if (s.start >= a.lastT) {
      a.last = s.value;
      a.lastT = s.start;
    }
  }
  const aggregate = (a: Acc) =>
    def.daily === 'last' ? a.last : def.daily === 'min' ? a.min : def.daily === 'max' ? a.max : a.sum / a.n;
  const winners = new Map<number, number>();
  for (const [key, perOrigin] of accs) {
    const b = buckets.get(key)!;
    let winner: number | null = null;
    let best = Infinity;
    for (const [originId, a] of perOrigin) {
      const o = b.origins.get(originId)!;
      if (a.n) o.value = aggregate(a);
      if (a.n && a.prio < best) {
        best = a.prio;
        winner = originId;
      }
    }
    for (const [originId, o] of b.origins) {
      if (originId === winner) {
        const a = perOrigin.get(originId)!;
        b.value = aggregate(a);
        o.used = 1;
        o.usedSamples = a.n;
        b.excluded += o.samples - a.n;
      } else {
        b.excluded += o.samples;
      }
    }
    if (winner === null) buckets.delete(key);
    else winners.set(key, winner);
  }
  if (opts.onPiece) {
    for (const { s, key } of all) {
      const won = winners.get(key) === s.originId && !isImpossible(def, s);
      opts.onPiece(s, key, s.value, won ? s.value : 0, won, s.start, s.end);
    }
  }
  return buckets;
}

/** Each origin's share of a bucket's merged value; the shares sum to 1. */
export function shares(b: Bucket): { originId: number; share: number; value: number; samples: number }[] {
  const used = [...b.origins.values()].filter((o) => o.usedSamples > 0);
  let total = used.reduce((a, o) => a + Math.abs(o.used), 0);
  const weight = (o: OriginBucket) => (total > 0 ? Math.abs(o.used) : o.usedSamples);
  if (total <= 0) total = used.reduce((a, o) => a + o.usedSamples, 0);
  return used.map((o) => ({ originId: o.originId, share: total > 0 ? weight(o) / total : 1 / used.length, value: o.used, samples: o.usedSamples }));
}

