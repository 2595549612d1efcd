// Reads for the dashboard and `vitalsync query`: series from the derived tables (hours are
// merged live from the samples), "Why this number?" and the workout list.
import type Database from 'better-sqlite3';
import { getMetric, type MetricDef } from '../../../shared/catalog';
import type { BucketUnitName, Explain, LegendEntry, QualityReason, Series, SeriesBucket, WorkoutItem } from '../../../shared/contract/metrics';
import { formatSourceKey } from '../../../shared/sourceKey';
import { listFor, rankOrigins, type OriginInfo } from '../merge/priority';
import { emptyStages, shares, type MergeSample, type PieceReason, type StageMinutes } from '../merge/resolve';
import { bucketEndDay, bucketStartDay, formatHour } from '../merge/time';
import { resolveWorkouts, type ResolvedWorkout } from '../merge/workouts';
import { formatDay, parseDay, resolveHomeZone, type ZoneClock } from '../time/zones';
import { invalidInput } from '../errors';
import type { Preferences } from '../preferences';
import { computeBuckets, loadOrigins, loadWorkouts, loadZoneClock, readWindow, round, typeIdsByMetric, type DailyExtra, type SourceJson, type WorkoutRow } from './build';
import { stalenessReason } from './quality';

/** Hours are merged live from samples, so their range is kept small. */
export const MAX_HOUR_RANGE_DAYS = 62;

export interface QueryCtx {
  sql: Database.Database;
  prefs: Preferences;
  now: number;
  /** The home zone setting (null = not set). */
  homeZone: string | null;
}

function zoneClock(ctx: QueryCtx): ZoneClock {
  return loadZoneClock(ctx.sql, resolveHomeZone(ctx.homeZone));
}

function metricDef(metric: string): MetricDef {
  const def = getMetric(metric);
  if (!def) throw invalidInput(`"${metric}" is not a metric VitalSync knows.`);
  return def;
}

export function dayRange(from: string, to: string): { from: number; to: number } {
  const a = parseDay(from);
  const b = parseDay(to);
  if (a === null) throw invalidInput(`"${from}" is not a date; use YYYY-MM-DD.`);
  if (b === null) throw invalidInput(`"${to}" is not a date; use YYYY-MM-DD.`);
  if (a > b) throw invalidInput(`The range starts (${from}) after it ends (${to}); swap the dates.`);
  return { from: a, to: b };
}

interface DailyRow {
  day: number;
  value: number;
  sources: SourceJson[];
  excluded: number;
  stages: StageMinutes | null;
  extra: DailyExtra | null;
}

interface SourceDayRow {
  day: number;
  originId: number;
  value: number;
  quality: number;
  reasons: QualityReason[];
}

function originLabel(o: OriginInfo | undefined, id: number) {
  return o ? { source: o.source, origin: o.name } : { source: 'unknown', origin: `origin ${id}` };
}

/** Averages and worst messages of quality reasons over several days. */
function summariseReasons(rows: SourceDayRow[]): QualityReason[] {
  const byCode = new Map<string, { worst: QualityReason; total: number; days: number }>();
  for (const r of rows)
    for (const reason of r.reasons) {
      const cur = byCode.get(reason.code);
      if (!cur) byCode.set(reason.code, { worst: reason, total: reason.penalty, days: 1 });
      else {
        cur.total += reason.penalty;
        cur.days++;
        if (reason.penalty > cur.worst.penalty) cur.worst = reason;
      }
    }
  return [...byCode.values()].map(({ worst, total, days }) => ({
    code: worst.code,
    penalty: round(total / Math.max(1, rows.length), 1),
    message: rows.length > 1 ? `${worst.message} (on ${days} of ${rows.length} days; worst shown)` : worst.message,
  }));
}

export function series(ctx: QueryCtx, metric: string, from: string, to: string, bucket: BucketUnitName): Series {
  const def = metricDef(metric);
  const range = dayRange(from, to);
  const origins = loadOrigins(ctx.sql);
  if (bucket === 'hour') return hourSeries(ctx, def, range, origins, from, to);
  const daily = (
    ctx.sql
      .prepare('SELECT day, value, sources_json AS s, excluded, stages_json AS st, extra_json AS x FROM derived_daily WHERE metric = ? AND day BETWEEN ? AND ? ORDER BY day')
      .all(metric, range.from, range.to) as { day: number; value: number; s: string; excluded: number; st: string | null; x: string | null }[]
  ).map<DailyRow>((r) => ({
    day: r.day,
    value: r.value,
    sources: JSON.parse(r.s) as SourceJson[],
    excluded: r.excluded,
    stages: r.st ? { ...emptyStages(), ...(JSON.parse(r.st) as Partial<StageMinutes>) } : null,
    extra: r.x ? (JSON.parse(r.x) as DailyExtra) : null,
  }));
  const perSource = (
    ctx.sql
      .prepare('SELECT day, origin_id AS originId, value, quality, reasons_json AS r FROM derived_source_daily WHERE metric = ? AND day BETWEEN ? AND ?')
      .all(metric, range.from, range.to) as { day: number; originId: number; value: number; quality: number; r: string }[]
  ).map<SourceDayRow>((r) => ({ day: r.day, originId: r.originId, value: r.value, quality: r.quality, reasons: JSON.parse(r.r) as QualityReason[] }));
  const quality = new Map<string, number>();
  for (const r of perSource) quality.set(`${r.day}|${r.originId}`, r.quality);

  const groups = new Map<number, DailyRow[]>();
  for (const r of daily) {
    const start = bucketStartDay(r.day, bucket);
    const g = groups.get(start);
    if (g) g.push(r);
    else groups.set(start, [r]);
  }
  const buckets: SeriesBucket[] = [];
  for (const [start, rows] of groups) buckets.push(aggregate(def, bucket, start, rows, origins, quality));
  return { metric: def.id, unit: def.unit, bucket, from, to, buckets, legend: legend(ctx, def, range.to, daily, perSource, origins) };
}

/** One week/month/day bucket from its days: sums for amounts, averages per day for readings and nights. */
function aggregate(def: MetricDef, bucket: BucketUnitName, start: number, rows: DailyRow[], origins: Map<number, OriginInfo>, quality: Map<string, number>): SeriesBucket {
  const additive = def.kind === 'cumulative' || def.kind === 'session';
  let value: number;
  if (additive) value = rows.reduce((a, r) => a + r.value, 0);
  else if (def.daily === 'last') value = rows[rows.length - 1].value;
  else value = rows.reduce((a, r) => a + r.value, 0) / rows.length;
  const weights = new Map<number, number>();
  // A "last reading" bucket's value is its last day's: so are its sources (a month whose weight is
  // Withings' last reading is not half Apple Health's because Health had the first week).
  const lastOnly = !additive && def.kind !== 'sleep-stage' && def.daily === 'last';
  for (const r of lastOnly ? rows.slice(-1) : rows) {
    const dayWeight = additive || def.kind === 'sleep-stage' ? 1 : lastOnly ? 1 : 1 / rows.length;
    for (const s of r.sources) {
      const w = additive || def.kind === 'sleep-stage' ? Math.abs(s.v) * dayWeight : s.s * dayWeight;
      weights.set(s.o, (weights.get(s.o) ?? 0) + w);
    }
  }
  let total = [...weights.values()].reduce((a, b) => a + b, 0);
  if (total <= 0) {
    // Every supplied amount was zero: share by days supplied.
    weights.clear();
    for (const r of rows) for (const s of r.sources) weights.set(s.o, (weights.get(s.o) ?? 0) + s.s);
    total = [...weights.values()].reduce((a, b) => a + b, 0);
  }
  const sources = [...weights].map(([originId, w]) => {
    const qs = rows.map((r) => quality.get(`${r.day}|${originId}`)).filter((q): q is number => q !== undefined);
    return {
      originId,
      ...originLabel(origins.get(originId), originId),
      share: round(total > 0 ? w / total : 1 / weights.size, 6),
      quality: qs.length ? Math.round(qs.reduce((a, b) => a + b, 0) / qs.length) : null,
    };
  });
  fixShares(sources);
  const out: SeriesBucket = { start: formatDay(start), value: round(value, 3), sources, excluded: rows.reduce((a, r) => a + r.excluded, 0) };
  const mins = rows.map((r) => r.extra?.min).filter((v): v is number => v !== undefined);
  const maxs = rows.map((r) => r.extra?.max).filter((v): v is number => v !== undefined);
  if (mins.length) out.min = Math.min(...mins);
  if (maxs.length) out.max = Math.max(...maxs);
  if (bucket === 'day' && rows[0].extra?.sessions)
    out.sessions = rows[0].extra.sessions.map((x) => ({ ...x, start: new Date(x.start).toISOString(), end: new Date(x.end).toISOString() }));
  if (def.kind === 'sleep-stage') {
    const st = emptyStages();
    for (const r of rows) if (r.stages) for (const k of Object.keys(st) as (keyof StageMinutes)[]) st[k] += r.stages[k] / rows.length;
    for (const k of Object.keys(st) as (keyof StageMinutes)[]) st[k] = round(st[k], 2);
    out.stages = st;
  }
  return out;
}

/** Rounding must not make a bucket's shares sum to anything but 1. */
function fixShares(sources: { share: number }[]): void {
  if (!sources.length) return;
  const sum = sources.reduce((a, s) => a + s.share, 0);
  const biggest = sources.reduce((a, s) => (s.share > a.share ? s : a), sources[0]);
  biggest.share = round(biggest.share + (1 - sum), 6);
}

function legend(ctx: QueryCtx, def: MetricDef, until: number, daily: DailyRow[], perSource: SourceDayRow[], origins: Map<number, OriginInfo>): LegendEntry[] {
  // Each origin's newest day, walked back from the metric's newest (the key is metric, day, origin).
  const newest = ctx.sql.prepare('SELECT day FROM derived_source_daily WHERE metric = ? AND origin_id = ? ORDER BY day DESC LIMIT 1');
  const lastDay = (originId: number) => (newest.get(def.id, originId) as { day: number } | undefined)?.day ?? null;
  const supplied = new Map<number, number>();
  let total = 0;
  for (const r of daily)
    for (const s of r.sources) {
      const w = def.kind === 'discrete' ? s.s : Math.abs(s.v);
      supplied.set(s.o, (supplied.get(s.o) ?? 0) + w);
      total += w;
    }
  const byOrigin = new Map<number, SourceDayRow[]>();
  for (const r of perSource) {
    const list = byOrigin.get(r.originId);
    if (list) list.push(r);
    else byOrigin.set(r.originId, [r]);
  }
  const today = zoneClock(ctx).day(0, ctx.now);
  const entries: LegendEntry[] = [];
  for (const [originId, rows] of byOrigin) {
    const o = origins.get(originId);
    const reasons = summariseReasons(rows);
    const last = lastDay(originId);
    const stale = last !== null ? stalenessReason(last, until, today) : null;
    if (stale) reasons.push(stale);
    const avg = rows.reduce((a, r) => a + r.quality, 0) / rows.length;
    entries.push({
      originId,
      ...originLabel(o, originId),
      key: o ? formatSourceKey({ source: o.source as never, origin: o.name }) : String(originId),
      deviceKind: o?.deviceKind ?? 'unknown',
      quality: Math.max(0, Math.round(avg - (stale?.penalty ?? 0))),
      reasons,
      share: round(total > 0 ? (supplied.get(originId) ?? 0) / total : 0, 6),
      days: rows.length,
      lastDay: last !== null ? formatDay(last) : null,
    });
  }
  return entries.sort((a, b) => b.share - a.share || a.source.localeCompare(b.source));
}

function hourSeries(ctx: QueryCtx, def: MetricDef, range: { from: number; to: number }, origins: Map<number, OriginInfo>, from: string, to: string): Series {
  if (def.kind === 'session') throw invalidInput('Workouts are counted per day; ask for days, weeks or months.');
  if (range.to - range.from + 1 > MAX_HOUR_RANGE_DAYS) throw invalidInput(`Hourly buckets cover at most ${MAX_HOUR_RANGE_DAYS} days; narrow the range or use days.`);
  const list = listFor(def.id, ctx.prefs.getAll());
  const { buckets } = computeBuckets({ sql: ctx.sql, def, typeIds: typeIdsByMetric(ctx.sql), origins, list, clock: zoneClock(ctx), range, mode: 'hour' });
  const out: SeriesBucket[] = [];
  const asDaily: DailyRow[] = [];
  for (const b of [...buckets.values()].sort((x, y) => x.key - y.key)) {
    if (b.key < range.from * 24 || b.key >= (range.to + 1) * 24) continue;
    const sh = shares(b);
    if (!sh.length) continue;
    const sources = sh.map((x) => ({ originId: x.originId, ...originLabel(origins.get(x.originId), x.originId), share: round(x.share, 6), quality: null }));
    fixShares(sources);
    out.push({ start: formatHour(b.key), value: round(b.value, 3), sources, excluded: b.excluded, ...(b.stages ? { stages: b.stages } : {}) });
    asDaily.push({ day: Math.floor(b.key / 24), value: b.value, excluded: b.excluded, stages: null, extra: null, sources: sh.map((x) => ({ o: x.originId, s: x.share, v: x.value, n: x.samples })) });
  }
  // The legend's quality is the days' (quality is scored per day).
  const perSource = (
    ctx.sql
      .prepare('SELECT day, origin_id AS originId, value, quality, reasons_json AS r FROM derived_source_daily WHERE metric = ? AND day BETWEEN ? AND ?')
      .all(def.id, range.from, range.to) as { day: number; originId: number; value: number; quality: number; r: string }[]
  ).map<SourceDayRow>((r) => ({ day: r.day, originId: r.originId, value: r.value, quality: r.quality, reasons: JSON.parse(r.r) as QualityReason[] }));
  return { metric: def.id, unit: def.unit, bucket: 'hour', from, to, buckets: out, legend: legend(ctx, def, range.to, asDaily, perSource, origins) };
}

function parseBucketStart(text: string, bucket: BucketUnitName): { days: { from: number; to: number }; hour: number | null; label: string } {
  if (bucket === 'hour') {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):00$/.exec(text);
    const day = m ? parseDay(m[1]) : null;
    if (!m || day === null || Number(m[2]) > 23) throw invalidInput(`"${text}" is not an hour; use YYYY-MM-DDTHH:00.`);
    return { days: { from: day, to: day }, hour: day * 24 + Number(m[2]), label: text };
  }
  const day = parseDay(text.slice(0, 10));
  if (day === null) throw invalidInput(`"${text}" is not a date; use YYYY-MM-DD.`);
  const start = bucketStartDay(day, bucket);
  return { days: { from: start, to: bucketEndDay(start, bucket) - 1 }, hour: null, label: formatDay(start) };
}

type Status = Explain['samples'][number]['status'];

/** "Why this number?": the bucket's value, who supplied it, what was left out and why. */
export function explain(ctx: QueryCtx, metric: string, bucketStart: string, bucket: BucketUnitName): Explain {
  const def = metricDef(metric);
  const { days, hour, label } = parseBucketStart(bucketStart, bucket);
  const origins = loadOrigins(ctx.sql);
  const prefs = ctx.prefs.getAll();
  const list = listFor(def.id, prefs);
  const pref = prefs.find((p) => p.category === def.category)!;
  const clock = zoneClock(ctx);
  const inBucket = (key: number) => (hour !== null ? key === hour : key >= days.from && key <= days.to);
  interface Trace {
    s: { id: number; originId: number; start: number; end: number; zone: number; value: number; category: string };
    raw: number;
    counted: number;
    reason: PieceReason | 'duplicate-workout' | null;
  }
  const traces = new Map<number, Trace>();
  const trace = (s: MergeSample, key: number, raw: number, used: number, reason: PieceReason | null) => {
    if (!inBucket(key)) return;
    let t = traces.get(s.id);
    if (!t) traces.set(s.id, (t = { s, raw: 0, counted: 0, reason }));
    t.raw += raw;
    t.counted += used;
    if (reason === null) t.reason = null;
  };
  const workoutTrace = (resolved: ResolvedWorkout<WorkoutRow>[]) => {
    for (const r of resolved) {
      if (!inBucket(r.day)) continue;
      const minutes = r.w.durationS / 60;
      const counted = r.status === 'counted';
      traces.set(r.w.id, {
        s: { id: r.w.id, originId: r.w.originId, start: r.w.start, end: r.w.end, zone: r.w.zone, value: minutes, category: r.w.activityType },
        raw: minutes,
        counted: counted ? minutes : 0,
        reason: r.status === 'counted' ? null : r.status === 'duplicate' ? 'duplicate-workout' : r.status,
      });
    }
  };
  const { buckets } = computeBuckets({
    sql: ctx.sql,
    def,
    typeIds: typeIdsByMetric(ctx.sql),
    origins,
    list,
    clock,
    range: days,
    mode: hour !== null ? 'hour' : 'day',
    onPiece: trace,
    onWorkouts: workoutTrace,
  });
  const selected = [...buckets.values()].filter((b) => inBucket(b.key));
  // Per origin over the bucket's days (or its hour).
  const perOrigin = new Map<number, { supplied: number; own: number; samples: number; usedSamples: number }>();
  for (const b of selected)
    for (const o of b.origins.values()) {
      const cur = perOrigin.get(o.originId) ?? { supplied: 0, own: 0, samples: 0, usedSamples: 0 };
      cur.supplied += def.kind === 'discrete' ? (o.usedSamples ? b.value : 0) : o.used;
      cur.own += o.value;
      cur.samples += o.samples;
      cur.usedSamples += o.usedSamples;
      perOrigin.set(o.originId, cur);
    }
  const seriesBucket =
    hour !== null
      ? series(ctx, def.id, formatDay(days.from), formatDay(days.to), 'hour').buckets.find((b) => b.start === label)
      : series(ctx, def.id, formatDay(days.from), formatDay(days.to), bucket === 'hour' ? 'day' : bucket).buckets.find((b) => b.start === label);
  const qualityRows = ctx.sql
    .prepare('SELECT origin_id AS originId, day, value, quality, reasons_json AS r FROM derived_source_daily WHERE metric = ? AND day BETWEEN ? AND ?')
    .all(def.id, days.from, days.to) as { originId: number; day: number; value: number; quality: number; r: string }[];
  const sources: Explain['sources'] = [...perOrigin].map(([originId, agg]) => {
    const o = origins.get(originId);
    const rows = qualityRows.filter((r) => r.originId === originId).map((r) => ({ ...r, reasons: JSON.parse(r.r) as QualityReason[] }));
    const share = seriesBucket?.sources.find((s) => s.originId === originId)?.share ?? 0;
    return {
      originId,
      ...originLabel(o, originId),
      key: o ? formatSourceKey({ source: o.source as never, origin: o.name }) : String(originId),
      share,
      quality: rows.length ? Math.round(rows.reduce((a, r) => a + r.quality, 0) / rows.length) : null,
      supplied: round(def.kind === 'discrete' ? (agg.usedSamples ? (seriesBucket?.value ?? 0) : 0) : agg.supplied, 3),
      own: round(def.kind === 'discrete' ? agg.own / Math.max(1, selected.length) : agg.own, 3),
      samples: agg.samples,
      usedSamples: agg.usedSamples,
      reasons: summariseReasons(rows.map((r) => ({ day: r.day, originId, value: r.value, quality: r.quality, reasons: r.reasons }))),
    };
  });
  sources.sort((a, b) => b.share - a.share || b.samples - a.samples);
  const list2 = [...traces.values()].sort((a, b) => a.s.start - b.s.start || a.s.id - b.s.id);
  const samples = list2.slice(0, 500).map((t) => {
    const o = origins.get(t.s.originId);
    let status: Status;
    if (t.reason !== null) status = t.reason;
    else if (t.raw <= 0 || t.counted >= t.raw * 0.999) status = 'used';
    else status = 'partial';
    return {
      id: t.s.id,
      ...originLabel(o, t.s.originId),
      start: new Date(t.s.start).toISOString(),
      end: new Date(t.s.end).toISOString(),
      offsetMin: clock.offset(t.s.zone, t.s.start),
      value: t.s.value,
      category: t.s.category,
      counted: round(def.kind === 'discrete' ? (status === 'used' ? t.s.value : 0) : t.counted, 4),
      status,
    };
  });
  return {
    metric: def.id,
    unit: def.unit,
    category: def.category,
    bucket,
    start: label,
    value: seriesBucket ? seriesBucket.value : null,
    ...(seriesBucket?.stages ? { stages: seriesBucket.stages } : {}),
    excluded: seriesBucket?.excluded ?? selected.reduce((a, b) => a + b.excluded, 0),
    sources,
    samples,
    samplesTotal: list2.length,
    priority: { sources: list.sources, fillGaps: list.fillGaps, override: Boolean(pref.overrides[def.id]) },
  };
}

/**
 * Workouts in a range: each session once (the counted copy, with the copies other sources
 * recorded), and the ones left out with the reason. The same resolveWorkouts as the chart, so
 * the counted minutes here are the chart's.
 */
export function listWorkouts(ctx: QueryCtx, from: string, to: string): WorkoutItem[] {
  const range = dayRange(from, to);
  const origins = loadOrigins(ctx.sql);
  const list = listFor('workouts', ctx.prefs.getAll());
  const ranking = rankOrigins(origins.values(), list);
  // The window the chart reads, so a session and its copies are judged alike in both.
  const rows = loadWorkouts(ctx.sql, ...readWindow(range));
  const resolved = resolveWorkouts(rows, ranking, zoneClock(ctx));
  const copies = new Map<number, WorkoutRow[]>();
  for (const r of resolved) if (r.dupOf !== null) copies.set(r.dupOf, [...(copies.get(r.dupOf) ?? []), r.w]);
  return resolved
    .filter((r) => r.status !== 'duplicate' && r.day >= range.from && r.day <= range.to)
    .map((r) => ({
      id: r.w.id,
      ...originLabel(origins.get(r.w.originId), r.w.originId),
      activityType: r.w.activityType,
      start: new Date(r.w.start).toISOString(),
      end: new Date(r.w.end).toISOString(),
      day: formatDay(r.day),
      durationMin: round(r.w.durationS / 60, 2),
      distanceKm: r.w.distanceKm,
      energyKcal: r.w.energyKcal,
      avgHeartRate: r.w.avgHeartRate,
      duplicates: (copies.get(r.w.id) ?? []).map((c) => ({ id: c.id, ...originLabel(origins.get(c.originId), c.originId) })),
      counted: r.status === 'counted',
      excludedBecause: r.status === 'counted' || r.status === 'duplicate' ? null : r.status,
    }));
}

export function overview(sql: Database.Database): { metric: string; days: number; firstDay: string | null; lastDay: string | null }[] {
  const rows = sql.prepare('SELECT metric, count(*) AS n, min(day) AS a, max(day) AS b FROM derived_daily GROUP BY metric').all() as {
    metric: string;
    n: number;
    a: number;
    b: number;
  }[];
  return rows.filter((r) => getMetric(r.metric)).map((r) => ({ metric: r.metric, days: r.n, firstDay: formatDay(r.a), lastDay: formatDay(r.b) }));
}

