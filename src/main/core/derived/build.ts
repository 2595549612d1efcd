// Reading samples for the merge, and writing the derived tables. The one door to derived_*.
// Rebuilds go slice by slice (SLICE_DAYS local days): each day depends on its own samples
// alone (which source supplies a day is decided per day), so memory stays bounded whatever
// the history's length.
import type Database from 'better-sqlite3';
import { getMetric, type MetricDef } from '../../../shared/catalog';
import type { CategoryPreference } from '../../../shared/contract';
import { listFor, PAIRED_METRICS, rankOrigins, type OriginInfo, type PriorityList, type Ranking } from '../merge/priority';
import { resolveSamples, shares, type Bucket, type MergeSample, type OriginBucket, type PieceSink, type SlotMode } from '../merge/resolve';
import { resolveWorkouts, type ResolvedWorkout, type WorkoutLike } from '../merge/workouts';
import { DAY, HOUR, ZoneClock } from '../time/zones';
import { ORIGIN_KINDS_VERSION } from '../samples';
import { QUALITY_RULES_VERSION, scoreOrigin } from './quality';

/** How far outside a rebuilt day range samples are read: the widest UTC offset plus long samples and nights. */
const MARGIN_MS = 14 * HOUR + 2 * DAY;
/** Days merged at a time in a rebuild (bounded memory; each slice is one transaction). */
export const SLICE_DAYS = 90;

export interface DayRange {
  from: number;
  to: number;
}

export function loadOrigins(sql: Database.Database): Map<number, OriginInfo> {
  const rows = sql.prepare('SELECT id, source, origin_key AS originKey, name, device_kind AS deviceKind FROM origins').all() as OriginInfo[];
  return new Map(rows.map((r) => [r.id, r]));
}

export function typeIdsByMetric(sql: Database.Database): Map<string, number[]> {
  const rows = sql.prepare('SELECT id, metric FROM sample_types WHERE metric IS NOT NULL').all() as { id: number; metric: string }[];
  const map = new Map<string, number[]>();
  for (const r of rows) map.set(r.metric, [...(map.get(r.metric) ?? []), r.id]);
  return map;
}

/** A ZoneClock over the zones table, with `home` as zone 0. */
export function loadZoneClock(sql: Database.Database, home: string | null): ZoneClock {
  const rows = sql.prepare('SELECT id, name FROM zones').all() as { id: number; name: string }[];
  return new ZoneClock(rows.map((r) => [r.id, r.name] as [number, string]), home);
}

/**
 * What a metric's derived rows depend on besides the samples: its priority list, the home zone,
 * and the origins' device kinds (their rank inside a list entry), by their version in meta; and
 * the quality rules' version, so scores stored under older rules are rebuilt once.
 */
export function rulesHash(metric: string, prefs: CategoryPreference[], home: string, kindsVersion: string): string {
  return JSON.stringify({ list: listFor(metric, prefs), home, kinds: kindsVersion, quality: QUALITY_RULES_VERSION });
}

/** How often stored origins' kinds changed (core/samples bumps it). */
export function originKindsVersion(sql: Database.Database): string {
  return (sql.prepare('SELECT value FROM meta WHERE key = ?').get(ORIGIN_KINDS_VERSION) as { value: string } | undefined)?.value ?? '0';
}

/**
 * Samples of some types with start in [lo, hi), as the merge wants them. Reading is most of a
 * rebuild's cost and grows with every column: origin and zone travel packed in one number, and
 * the category is read for sleep only.
 */
export function readSamples(sql: Database.Database, typeIds: number[], lo: number, hi: number, withCategory = true): MergeSample[] {
  if (!typeIds.length) return [];
  const stmt = sql
    .prepare(
      `SELECT id, origin_id * 65536 + zone_id, start_ms, end_ms, day, value${withCategory ? ', category' : ''} FROM samples
        WHERE type_id IN (${typeIds.map(() => '?').join(',')}) AND start_ms >= ? AND start_ms < ?`,
    )
    .raw(true);
  const out: MergeSample[] = [];
  for (const r of stmt.iterate(...typeIds, lo, hi) as IterableIterator<[number, number, number, number, number | null, number, string?]>) {
    const packed = r[1];
    const zone = packed % 65536;
    out.push({ id: r[0], originId: (packed - zone) / 65536, zone, start: r[2], end: r[3], day: r[4], value: r[5], category: r[6] ?? '' });
  }
  return out;
}

export interface WorkoutRow extends WorkoutLike {
  distanceKm: number | null;
  energyKcal: number | null;
  avgHeartRate: number | null;
}

export function loadWorkouts(sql: Database.Database, lo: number, hi: number): WorkoutRow[] {
  return sql
    .prepare(
      `SELECT id, origin_id AS originId, activity_type AS activityType, start_ms AS start, end_ms AS "end", zone_id AS zone,
              duration_s AS durationS, distance_km AS distanceKm, energy_kcal AS energyKcal, avg_heart_rate AS avgHeartRate
         FROM workouts WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms`,
    )
    .all(lo, hi) as WorkoutRow[];
}

/** Workouts merged into day buckets from resolveWorkouts: counted sessions supply their minutes. */
export function workoutBuckets(resolved: ResolvedWorkout<WorkoutRow>[]): Map<number, Bucket> {
  const buckets = new Map<number, Bucket>();
  for (const r of resolved) {
    let b = buckets.get(r.day);
    if (!b) buckets.set(r.day, (b = { key: r.day, value: 0, excluded: 0, origins: new Map() }));
    let o = b.origins.get(r.w.originId);
    if (!o) b.origins.set(r.w.originId, (o = { originId: r.w.originId, value: 0, samples: 0, usedSamples: 0, used: 0, hours: 0, impossible: 0, duplicates: 0 }));
    const minutes = r.w.durationS / 60;
    o.samples++;
    if (r.status === 'impossible') {
      o.impossible++;
      b.excluded++;
      continue;
    }
    o.value += minutes;
    if (r.status === 'counted') {
      o.used += minutes;
      o.usedSamples++;
      b.value += minutes;
    } else b.excluded++;
  }
  return buckets;
}

export interface ComputeInput {
  sql: Database.Database;
  def: MetricDef;
  typeIds: Map<string, number[]>;
  origins: Map<number, OriginInfo>;
  list: PriorityList;
  clock: ZoneClock;
  /** Local days wanted (buckets outside are dropped); null = every sample. */
  range: DayRange | null;
  mode: SlotMode;
  onPiece?: PieceSink;
  onWorkouts?: (resolved: ResolvedWorkout<WorkoutRow>[]) => void;
}

export interface ComputeOutput {
  buckets: Map<number, Bucket>;
  ranking: Ranking;
  samples: number;
}

/** The instants whose samples (by start) can touch a range of local days, in any zone. */
export function readWindow(range: DayRange | null): [number, number] {
  return range ? [range.from * DAY - MARGIN_MS, (range.to + 1) * DAY + MARGIN_MS] : [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
}

/** Merges one metric over a range of local days (or all of them). */
export function computeBuckets(input: ComputeInput): ComputeOutput {
  const { sql, def, origins, list, range, mode, clock } = input;
  const [lo, hi] = readWindow(range);
  const ranking = rankOrigins(origins.values(), list);
  let buckets: Map<number, Bucket>;
  let samples: number;
  if (def.kind === 'session') {
    const rows = loadWorkouts(sql, lo, hi);
    const resolved = resolveWorkouts(rows, ranking, clock);
    input.onWorkouts?.(resolved);
    buckets = workoutBuckets(resolved);
    samples = rows.length;
  } else {
    const rows = readSamples(sql, input.typeIds.get(def.id) ?? [], lo, hi, def.kind === 'sleep-stage');
    samples = rows.length;
    const partner = PAIRED_METRICS[def.id];
    let paired: ((s: MergeSample) => boolean) | undefined;
    if (partner) {
      const keys = new Set(readSamples(sql, input.typeIds.get(partner) ?? [], lo, hi, false).map((s) => `${s.originId}|${s.start}`));
      paired = (s) => keys.has(`${s.originId}|${s.start}`);
    }
    buckets = resolveSamples(def, rows, { clock, ranking, mode, onPiece: input.onPiece, paired });
  }
  if (range) {
    const [a, b] = mode === 'day' ? [range.from, range.to] : [range.from * 24, (range.to + 1) * 24 - 1];
    for (const k of buckets.keys()) if (k < a || k > b) buckets.delete(k);
  }
  return { buckets, ranking, samples };
}

export interface BuildStats {
  days: number;
  samples: number;
}

export interface BuildCtx {
  origins: Map<number, OriginInfo>;
  typeIds: Map<string, number[]>;
  clock: ZoneClock;
  now: number;
}

/** The local days a metric's data spans (two index probes per type), or null when it has none. */
export function metricDaySpan(sql: Database.Database, def: MetricDef, typeIds: number[]): DayRange | null {
  let lo = Infinity;
  let hi = -Infinity;
  if (def.kind === 'session') {
    const r = sql.prepare('SELECT min(start_ms) AS lo, max(start_ms) AS hi FROM workouts').get() as { lo: number | null; hi: number | null };
    if (r.lo !== null) [lo, hi] = [r.lo, r.hi!];
  } else
    for (const t of typeIds) {
      const a = sql.prepare('SELECT min(start_ms) AS v FROM samples WHERE type_id = ?').get(t) as { v: number | null };
      const b = sql.prepare('SELECT max(start_ms) AS v FROM samples WHERE type_id = ?').get(t) as { v: number | null };
      if (a.v !== null && a.v < lo) lo = a.v;
      if (b.v !== null && b.v > hi) hi = b.v;
    }
  if (lo === Infinity) return null;
  // Offsets reach ±14 h and samples (nights) run past their start.
  return { from: Math.floor((lo - 14 * HOUR) / DAY) - 1, to: Math.floor((hi + 14 * HOUR) / DAY) + 2 };
}

/** Writes one slice of a metric's derived rows (one transaction). */
export function buildSlice(sql: Database.Database, metric: string, list: PriorityList, ctx: Omit<BuildCtx, 'now'>, range: DayRange): BuildStats {
  const def = getMetric(metric)!;
  const out = computeBuckets({ sql, def, typeIds: ctx.typeIds, origins: ctx.origins, list, clock: ctx.clock, range, mode: 'day' });
  writeBuckets(sql, metric, def, out.buckets, range);
  return { days: out.buckets.size, samples: out.samples };
}

/** Ends a full rebuild: drops rows outside the data's span and records the rules used. */
export function finishBuild(sql: Database.Database, metric: string, rules: string, span: DayRange | null, now: number): void {
  for (const table of ['derived_daily', 'derived_source_daily']) {
    if (span) sql.prepare(`DELETE FROM ${table} WHERE metric = ? AND (day < ? OR day > ?)`).run(metric, span.from, span.to);
    else sql.prepare(`DELETE FROM ${table} WHERE metric = ?`).run(metric);
  }
  sql
    .prepare('INSERT INTO derived_state (metric, prefs_hash, built_at) VALUES (?, ?, ?) ON CONFLICT(metric) DO UPDATE SET prefs_hash = excluded.prefs_hash, built_at = excluded.built_at')
    .run(metric, rules, now);
}

/** The slices of a day range. */
export function slicesOf(range: DayRange): DayRange[] {
  const out: DayRange[] = [];
  for (let d = range.from; d <= range.to; d += SLICE_DAYS) out.push({ from: d, to: Math.min(range.to, d + SLICE_DAYS - 1) });
  return out;
}

/**
 * Rebuilds one metric's derived rows for a day range, or entirely (null) when the range is null
 * or the rows were built under other rules (preferences, home zone).
 */
export function buildMetric(sql: Database.Database, metric: string, prefs: CategoryPreference[], home: string, ctx: BuildCtx, range: DayRange | null): BuildStats {
  const def = getMetric(metric)!;
  const list = listFor(metric, prefs);
  const rules = rulesHash(metric, prefs, home, originKindsVersion(sql));
  if (range && builtRules(sql, metric) !== rules) range = null;
  const stats: BuildStats = { days: 0, samples: 0 };
  const span = range ?? metricDaySpan(sql, def, ctx.typeIds.get(metric) ?? []);
  if (span)
    for (const slice of slicesOf(span)) {
      const s = buildSlice(sql, metric, list, ctx, slice);
      stats.days += s.days;
      stats.samples += s.samples;
    }
  if (!range) finishBuild(sql, metric, rules, span, ctx.now);
  return stats;
}

/** The rules fingerprint a metric's rows were built with, or null if never built. */
export function builtRules(sql: Database.Database, metric: string): string | null {
  const state = sql.prepare('SELECT prefs_hash AS h FROM derived_state WHERE metric = ?').get(metric) as { h: string } | undefined;
  return state ? state.h : null;
}

/** Every built metric's rules fingerprint, by metric: one read where all metrics are checked. */
export function builtRulesAll(sql: Database.Database): Map<string, string> {
  const rows = sql.prepare('SELECT metric, prefs_hash AS h FROM derived_state').all() as { metric: string; h: string }[];
  return new Map(rows.map((r) => [r.metric, r.h]));
}

function writeBuckets(sql: Database.Database, metric: string, def: MetricDef, buckets: Map<number, Bucket>, range: DayRange | null): void {
  const insDaily = sql.prepare('INSERT INTO derived_daily (metric, day, value, sources_json, excluded, stages_json, extra_json) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insSource = sql.prepare(
    'INSERT INTO derived_source_daily (metric, day, origin_id, value, samples, quality, reasons_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const tx = sql.transaction(() => {
    if (range) {
      sql.prepare('DELETE FROM derived_daily WHERE metric = ? AND day BETWEEN ? AND ?').run(metric, range.from, range.to);
      sql.prepare('DELETE FROM derived_source_daily WHERE metric = ? AND day BETWEEN ? AND ?').run(metric, range.from, range.to);
    } else {
      sql.prepare('DELETE FROM derived_daily WHERE metric = ?').run(metric);
      sql.prepare('DELETE FROM derived_source_daily WHERE metric = ?').run(metric);
    }
    for (const b of buckets.values()) {
      const sh = shares(b);
      if (sh.length) {
        const json: SourceJson[] = sh.map((x) => ({ o: x.originId, s: round(x.share, 6), v: round(x.value, 4), n: x.samples }));
        insDaily.run(metric, b.key, round(b.value, 4), JSON.stringify(json), b.excluded, b.stages ? JSON.stringify(roundStages(b.stages)) : null, extraJson(b));
      }
      for (const o of b.origins.values()) {
        const q = scoreOrigin(def, o, b);
        insSource.run(metric, b.key, o.originId, round(ownValue(o), 4), o.samples, q.score, JSON.stringify(q.reasons));
      }
    }
  });
  tx();
}

function ownValue(o: OriginBucket): number {
  return Number.isFinite(o.value) ? o.value : 0;
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function roundStages<T extends object>(s: T): T {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(s) as [string, number][]) out[k] = round(v, 3);
  return out as T;
}


export interface SourceJson {
  o: number;
  s: number;
  v: number;
  n: number;
}

/** What derived_daily.extra_json holds. */
export interface DailyExtra {
  min?: number;
  max?: number;
  sessions?: { start: number; end: number; asleep: number; inBed: number; nap: boolean }[];
}

function extraJson(b: Bucket): string | null {
  const e: DailyExtra = {};
  if (b.min !== undefined && Number.isFinite(b.min)) e.min = round(b.min, 4);
  if (b.max !== undefined && Number.isFinite(b.max)) e.max = round(b.max, 4);
  if (b.sessions?.length) e.sessions = b.sessions.map((x) => ({ ...x, asleep: round(x.asleep, 3), inBed: round(x.inBed, 3) }));
  return Object.keys(e).length ? JSON.stringify(e) : null;
}
