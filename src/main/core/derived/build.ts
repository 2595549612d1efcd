// Reading samples for the merge, and writing the derived tables. The one door to derived_*.
import type Database from 'better-sqlite3';
import { getMetric, type MetricDef } from '../../../shared/catalog';
import type { CategoryPreference } from '../../../shared/contract';
import { dedupeWorkouts, type MergeSample, type PieceSink } from '../merge/engine';
import { listFor, rankOrigins, type OriginInfo, type PriorityList, type Ranking } from '../merge/priority';
import { isImpossible, resolveSamples, shares, type Bucket, type OriginBucket, type SlotMode } from '../merge/resolve';
import { DAY, HOUR, localDay } from '../merge/time';
import { scoreOrigin } from './quality';

/** How far outside a rebuilt day range samples are read: the widest UTC offset plus long samples and nights. */
const MARGIN_MS = 14 * HOUR + 2 * DAY;

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

/** [id?, origin_id·4096 + offset + 2048, start_ms, end_ms, value, category?]: see ReadColumns. */
type Row = (number | string)[];

/** Which optional columns a read includes: ids for explanations, category for sleep. */
export interface ReadColumns {
  ids: boolean;
  category: boolean;
}

/**
 * Samples of some types with start in [lo, hi), in start order (a k-way merge of index scans).
 * Reading is most of a rebuild's cost and it grows with every column, so the sample id and
 * the category are read only when needed.
 */
export function streamSamples(sql: Database.Database, typeIds: number[], lo: number, hi: number, opts: ReadColumns): Iterable<Row> {
  // origin and offset travel packed in one number (offsets lie within ±2048 minutes): each
  // column read costs about as much as the merge does with it.
  const cols = `${opts.ids ? 'id, ' : ''}origin_id * 4096 + utc_offset_min + 2048, start_ms, end_ms, value${opts.category ? ', category' : ''}`;
  const text = `SELECT ${cols} FROM samples WHERE type_id = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms`;
  const startAt = opts.ids ? 2 : 1;
  // One statement per type: a better-sqlite3 statement runs one iteration at a time.
  const its = typeIds.map((t) => sql.prepare(text).raw(true).iterate(t, lo, hi) as IterableIterator<Row>);
  if (its.length === 1) return its[0];
  return (function* () {
    const heads: (Row | null)[] = its.map((it) => it.next().value ?? null);
    for (;;) {
      let k = -1;
      for (let i = 0; i < heads.length; i++) if (heads[i] && (k < 0 || (heads[i]![startAt] as number) < (heads[k]![startAt] as number))) k = i;
      if (k < 0) return;
      yield heads[k]!;
      heads[k] = its[k].next().value ?? null;
    }
  })();
}

/**
 * Samples as the engine wants them: ranked, and impossible values kept out of the merge.
 * `count.n` counts what was read. One generator over the rows (nesting generators costs a
 * measurable part of a rebuild).
 */
export function* mergeSamples(def: MetricDef, rows: Iterable<Row>, ranking: Ranking, cols: ReadColumns, count: { n: number }): Generator<MergeSample> {
  const i = cols.ids ? 1 : 0;
  const prio = ranking.prio;
  for (const r of rows) {
    count.n++;
    const packed = r[i] as number;
    const originId = Math.floor(packed / 4096);
    const s: MergeSample = {
      id: cols.ids ? (r[0] as number) : 0,
      originId,
      start: r[i + 1] as number,
      end: r[i + 2] as number,
      off: (packed % 4096) - 2048,
      value: r[i + 3] as number,
      category: cols.category ? (r[i + 4] as string) : '',
      prio: prio.get(originId) ?? Infinity,
    };
    if (s.prio !== Infinity && isImpossible(def, s)) s.prio = Infinity;
    yield s;
  }
}

/**
 * Daily averages of point readings straight from SQLite: one grouped pass in C instead of a
 * JS object per reading (heart rate is half of a typical export). Same results as
 * resolveSamples' discrete path, which explanations still use.
 */
function discreteAverageBuckets(sql: Database.Database, def: MetricDef, typeIds: number[], lo: number, hi: number, ranking: Ranking): { buckets: Map<number, Bucket>; samples: number } {
  const [min, max] = def.plausible ?? [-Infinity, Infinity];
  const ok = 'value BETWEEN @min AND @max';
  // Grouped by local hour (one sort), then folded into days here: hours with data are the coverage.
  const hourRows = sql
    .prepare(
      `SELECT (start_ms + utc_offset_min * 60000) / 3600000 AS hour, origin_id AS o, count(*) AS n,
              sum(CASE WHEN ${ok} THEN value END) AS total, count(CASE WHEN ${ok} THEN 1 END) AS valid, count(DISTINCT start_ms) AS distinctStarts
         FROM samples WHERE type_id IN (${typeIds.map(() => '?').join(',')}) AND start_ms >= @lo AND start_ms < @hi
        GROUP BY hour, origin_id`,
    )
    .all(...typeIds, { lo, hi, min: Number.isFinite(min) ? min : -1e308, max: Number.isFinite(max) ? max : 1e308 }) as {
    hour: number;
    o: number;
    n: number;
    total: number | null;
    valid: number;
    distinctStarts: number;
  }[];
  const perDay = new Map<string, { day: number; o: number; n: number; total: number; valid: number; hours: number; dups: number }>();
  for (const h of hourRows) {
    const day = Math.floor(h.hour / 24);
    const k = `${day}|${h.o}`;
    let r = perDay.get(k);
    if (!r) perDay.set(k, (r = { day, o: h.o, n: 0, total: 0, valid: 0, hours: 0, dups: 0 }));
    r.n += h.n;
    r.total += h.total ?? 0;
    r.valid += h.valid;
    r.hours |= 1 << (((h.hour % 24) + 24) % 24);
    r.dups += h.n - h.distinctStarts;
  }
  const rows = [...perDay.values()];
  const buckets = new Map<number, Bucket>();
  const winner = new Map<number, { o: number; prio: number }>();
  let samples = 0;
  for (const r of rows) {
    samples += r.n;
    let b = buckets.get(r.day);
    if (!b) buckets.set(r.day, (b = { key: r.day, value: 0, excluded: 0, origins: new Map() }));
    b.origins.set(r.o, { originId: r.o, value: r.valid ? r.total / r.valid : 0, samples: r.n, usedSamples: 0, used: 0, hours: r.hours, impossible: r.n - r.valid, duplicates: r.dups });
    const prio = ranking.prio.get(r.o) ?? Infinity;
    const cur = winner.get(r.day);
    if (r.valid && prio !== Infinity && (!cur || prio < cur.prio)) winner.set(r.day, { o: r.o, prio });
  }
  for (const [day, b] of buckets) {
    const w = winner.get(day);
    if (!w) {
      buckets.delete(day);
      continue;
    }
    for (const o of b.origins.values()) {
      if (o.originId === w.o) {
        b.value = o.value;
        o.used = 1;
        o.usedSamples = o.samples - o.impossible;
        b.excluded += o.impossible;
      } else b.excluded += o.samples;
    }
  }
  return { buckets, samples };
}

export interface WorkoutRow {
  id: number;
  originId: number;
  activityType: string;
  start: number;
  end: number;
  off: number;
  durationS: number;
  distanceKm: number | null;
  energyKcal: number | null;
  avgHeartRate: number | null;
}

export function loadWorkouts(sql: Database.Database, lo: number, hi: number): WorkoutRow[] {
  return sql
    .prepare(
      `SELECT id, origin_id AS originId, activity_type AS activityType, start_ms AS start, end_ms AS "end", utc_offset_min AS off,
              duration_s AS durationS, distance_km AS distanceKm, energy_kcal AS energyKcal, avg_heart_rate AS avgHeartRate
         FROM workouts WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms`,
    )
    .all(lo, hi) as WorkoutRow[];
}

/** Workouts merged into day buckets: kept sessions supply their minutes, copies are excluded. */
export function resolveWorkoutBuckets(rows: WorkoutRow[], ranking: Ranking, onPiece?: (w: WorkoutRow, day: number, used: boolean, dupOf: number | null) => void): Map<number, Bucket> {
  const ranked = rows.map((w) => ({ ...w, prio: ranking.prio.get(w.originId) ?? Infinity }));
  const { duplicates } = dedupeWorkouts(ranked);
  const buckets = new Map<number, Bucket>();
  for (const w of ranked) {
    const day = localDay(w.start, w.off);
    let b = buckets.get(day);
    if (!b) buckets.set(day, (b = { key: day, value: 0, excluded: 0, origins: new Map() }));
    let o = b.origins.get(w.originId);
    if (!o) b.origins.set(w.originId, (o = { originId: w.originId, value: 0, samples: 0, usedSamples: 0, used: 0, hours: 0, impossible: 0, duplicates: 0 }));
    const minutes = w.durationS / 60;
    o.samples++;
    if (minutes < 0 || minutes > 1_440) {
      o.impossible++;
      b.excluded++;
      onPiece?.(w, day, false, null);
      continue;
    }
    o.value += minutes;
    const used = w.prio !== Infinity && !duplicates.has(w.id);
    if (used) {
      o.used += minutes;
      o.usedSamples++;
      b.value += minutes;
    } else b.excluded++;
    onPiece?.(w, day, used, duplicates.get(w.id) ?? null);
  }
  return buckets;
}

/** Which origins have data for a metric (from the derived rows) plus the ones just seen. */
function originsWithData(sql: Database.Database, metric: string, seen: Iterable<number>): Set<number> {
  const ids = new Set(seen);
  for (const r of sql.prepare('SELECT DISTINCT origin_id AS id FROM derived_source_daily WHERE metric = ?').all(metric) as { id: number }[]) ids.add(r.id);
  return ids;
}

export interface ComputeInput {
  sql: Database.Database;
  def: MetricDef;
  typeIds: number[];
  origins: Map<number, OriginInfo>;
  list: PriorityList;
  /** Null = every sample. */
  range: DayRange | null;
  mode: SlotMode;
  /** Known fill-gaps-off entry; computed from the data when undefined. */
  onlyEntry?: number | null;
  onPiece?: PieceSink;
  onWorkout?: (w: WorkoutRow, day: number, used: boolean, dupOf: number | null) => void;
}

export interface ComputeOutput {
  buckets: Map<number, Bucket>;
  ranking: Ranking;
  samples: number;
}

/**
 * Merges one metric over a range of local days (or all of them). With fill-gaps off the entry
 * allowed to supply is the highest one that has data at all, so the ranking is settled first.
 */
export function computeBuckets(input: ComputeInput): ComputeOutput {
  const { sql, def, typeIds, origins, list, range, mode } = input;
  const lo = range ? range.from * DAY - MARGIN_MS : -Number.MAX_SAFE_INTEGER;
  const hi = range ? (range.to + 1) * DAY + MARGIN_MS : Number.MAX_SAFE_INTEGER;
  const run = (ranking: Ranking, withPieces: boolean) => {
    let samples: number;
    let buckets: Map<number, Bucket>;
    if (def.kind === 'session') {
      const rows = loadWorkouts(sql, lo, hi);
      samples = rows.length;
      buckets = resolveWorkoutBuckets(rows, ranking, withPieces ? input.onWorkout : undefined);
    } else if (def.kind === 'discrete' && def.daily === 'avg' && mode === 'day' && !(withPieces && input.onPiece)) {
      ({ buckets, samples } = discreteAverageBuckets(sql, def, typeIds, lo, hi, ranking));
    } else {
      const cols = { ids: Boolean(withPieces && input.onPiece), category: def.kind === 'sleep-stage' };
      const count = { n: 0 };
      buckets = resolveSamples(def, mergeSamples(def, streamSamples(sql, typeIds, lo, hi, cols), ranking, cols, count), { mode, onPiece: withPieces ? input.onPiece : undefined });
      samples = count.n;
    }
    if (range && mode === 'day') for (const k of buckets.keys()) if (k < range.from || k > range.to) buckets.delete(k);
    return { buckets, samples };
  };
  const all = [...origins.values()];
  const openRanking = rankOrigins(all, { ...list, fillGaps: true });
  if (list.fillGaps) return { ...run(openRanking, true), ranking: openRanking };
  if (input.onlyEntry !== undefined) {
    const ranking = rankOrigins(all, list);
    ranking.onlyEntry = input.onlyEntry;
    for (const o of all) if (ranking.entry.get(o.id) !== input.onlyEntry) ranking.prio.set(o.id, Infinity);
    return { ...run(ranking, true), ranking };
  }
  // Fill-gaps off: find the highest entry with data, then merge with only that entry.
  const first = run(openRanking, false);
  const seen = new Set<number>();
  for (const b of first.buckets.values()) for (const id of b.origins.keys()) seen.add(id);
  const present = [...originsWithData(sql, def.id, seen)].map((id) => origins.get(id)).filter((o): o is OriginInfo => !!o);
  const ranking = rankOrigins(present, list);
  for (const o of all) if (!ranking.prio.has(o.id)) ranking.prio.set(o.id, Infinity);
  return { ...run(ranking, true), ranking };
}

export interface SourceJson {
  o: number;
  s: number;
  v: number;
  n: number;
}

export interface BuildStats {
  days: number;
  samples: number;
}

/** Rebuilds one metric's derived rows for a day range (or entirely), in one transaction. */
export function buildMetric(
  sql: Database.Database,
  metric: string,
  prefs: CategoryPreference[],
  ctx: { origins: Map<number, OriginInfo>; typeIds: Map<string, number[]>; now: number },
  range: DayRange | null,
): BuildStats {
  const def = getMetric(metric)!;
  const typeIds = ctx.typeIds.get(metric) ?? [];
  const list = listFor(metric, prefs);
  const state = sql.prepare('SELECT prefs_hash AS h FROM derived_state WHERE metric = ?').get(metric) as { h: string } | undefined;
  const listHash = JSON.stringify(list);
  // A partial rebuild is only valid when the rest of the metric was built with the same rules.
  if (range && (!state || JSON.parse(state.h).list !== listHash)) range = null;
  let out: ComputeOutput;
  if (def.kind !== 'session' && !typeIds.length) {
    out = { buckets: new Map(), ranking: rankOrigins([], list), samples: 0 };
  } else {
    out = computeBuckets({ sql, def, typeIds, origins: ctx.origins, list, range, mode: 'day' });
  }
  if (range && !list.fillGaps && state && JSON.parse(state.h).onlyEntry !== out.ranking.onlyEntry) {
    // A new top source appeared: every day changes.
    out = computeBuckets({ sql, def, typeIds, origins: ctx.origins, list, range: null, mode: 'day' });
    range = null;
  }
  writeBuckets(sql, metric, def, out.buckets, range);
  const hash = JSON.stringify({ list: listHash, onlyEntry: out.ranking.onlyEntry });
  sql
    .prepare('INSERT INTO derived_state (metric, prefs_hash, built_at) VALUES (?, ?, ?) ON CONFLICT(metric) DO UPDATE SET prefs_hash = excluded.prefs_hash, built_at = excluded.built_at')
    .run(metric, hash, ctx.now);
  return { days: out.buckets.size, samples: out.samples };
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
  return { from: Math.floor((lo - 14 * HOUR) / DAY), to: Math.floor((hi + 14 * HOUR) / DAY) + 2 };
}

/**
 * One slice of a rebuild done in slices (fill-gaps on only: then each day depends on its own
 * samples alone). The caller finishes with finishSlices once every slice is written.
 */
export function buildSlice(sql: Database.Database, metric: string, list: PriorityList, ctx: { origins: Map<number, OriginInfo>; typeIds: Map<string, number[]> }, range: DayRange): BuildStats {
  const def = getMetric(metric)!;
  const out = computeBuckets({ sql, def, typeIds: ctx.typeIds.get(metric) ?? [], origins: ctx.origins, list, range, mode: 'day' });
  writeBuckets(sql, metric, def, out.buckets, range);
  return { days: out.buckets.size, samples: out.samples };
}

/** Ends a sliced full rebuild: drops rows outside the data's span and records the rules used. */
export function finishSlices(sql: Database.Database, metric: string, list: PriorityList, span: DayRange | null, now: number): void {
  if (span) sql.prepare('DELETE FROM derived_daily WHERE metric = ? AND (day < ? OR day > ?)').run(metric, span.from, span.to);
  else sql.prepare('DELETE FROM derived_daily WHERE metric = ?').run(metric);
  if (span) sql.prepare('DELETE FROM derived_source_daily WHERE metric = ? AND (day < ? OR day > ?)').run(metric, span.from, span.to);
  else sql.prepare('DELETE FROM derived_source_daily WHERE metric = ?').run(metric);
  sql
    .prepare('INSERT INTO derived_state (metric, prefs_hash, built_at) VALUES (?, ?, ?) ON CONFLICT(metric) DO UPDATE SET prefs_hash = excluded.prefs_hash, built_at = excluded.built_at')
    .run(metric, JSON.stringify({ list: JSON.stringify(list), onlyEntry: null }), now);
}

/** The preferences fingerprint a metric's rows were built with, or null if never built. */
export function builtListHash(sql: Database.Database, metric: string): string | null {
  const state = sql.prepare('SELECT prefs_hash AS h FROM derived_state WHERE metric = ?').get(metric) as { h: string } | undefined;
  return state ? (JSON.parse(state.h) as { list: string }).list : null;
}

function writeBuckets(sql: Database.Database, metric: string, def: MetricDef, buckets: Map<number, Bucket>, range: DayRange | null): void {
  const insDaily = sql.prepare('INSERT INTO derived_daily (metric, day, value, sources_json, excluded, stages_json) VALUES (?, ?, ?, ?, ?, ?)');
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
        insDaily.run(metric, b.key, round(b.value, 4), JSON.stringify(json), b.excluded, b.stages ? JSON.stringify(roundStages(b.stages)) : null);
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

