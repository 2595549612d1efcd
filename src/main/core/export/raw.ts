// Raw samples and workouts for an export, read from their own read-only connection in one read
// transaction (a consistent snapshot while imports and syncs keep writing), one row at a time.
import type Database from 'better-sqlite3';
import { getMetric } from '../../../shared/catalog';
import { DAY, HOUR, type ZoneClock } from '../time/zones';

/** One stored fact, as the raw export writes it. */
export interface RawRow {
  metric: string;
  source: string;
  origin: string;
  deviceKind: string;
  /** The device as the source described it (Apple's HKDevice name, maker, model), '' if none. */
  device: string;
  /** The source's own type and the unit `value` is stored in. */
  rawType: string;
  unit: string;
  startMs: number;
  endMs: number;
  /** Daily grain: the local date (epoch day) this value is the source's total for. */
  day: number | null;
  /** The zone it was recorded in; null = the home zone (moves with the setting). */
  zone: string | null;
  zoneSrc: number;
  /** Minutes east of UTC at the start, in that zone (for local times in the file). */
  offsetMin: number;
  value: number;
  category: string;
  /** Workouts only. */
  workout?: { durationS: number; distanceKm: number | null; energyKcal: number | null; avgHeartRate: number | null; maxHeartRate: number | null };
}

export interface RawQuery {
  metrics: string[];
  /** Local epoch days, inclusive; null = no bound. */
  from: number | null;
  to: number | null;
}

// Samples longer than this that start before the range are not looked for (a sleep record or a
// day's total is far shorter); the local-day test below decides the rest exactly.
const LOOKBACK_MS = 2 * DAY;

/**
 * Every sample (and, for `workouts`, every workout) of the metrics that touches a local day of
 * the range, by the zone it was recorded in: metric by metric, each source type in time order.
 */
export function* rawRows(sql: Database.Database, clock: ZoneClock, q: RawQuery): Generator<RawRow> {
  // Zones are a few hundred rows at most: their names are joined here, not per sample.
  const zoneNames = new Map((sql.prepare('SELECT id, name FROM zones').all() as { id: number; name: string }[]).map((r) => [r.id, r.name]));
  const lo = q.from === null ? -8.64e15 : q.from * DAY - 15 * HOUR;
  const hi = q.to === null ? 8.64e15 : (q.to + 1) * DAY + 15 * HOUR;
  const touches = (zoneId: number, day: number | null, start: number, end: number) => {
    if (q.from === null && q.to === null) return true;
    const first = day ?? clock.day(zoneId, start);
    const last = day ?? clock.day(zoneId, Math.max(start, end - 1));
    return (q.to === null || first <= q.to) && (q.from === null || last >= q.from);
  };
  const zoneOf = (zoneId: number) => (zoneId === 0 ? null : (zoneNames.get(zoneId) ?? null));
  for (const metric of q.metrics) {
    if (metric === 'workouts') {
      const rows = sql
        .prepare(
          `SELECT w.start_ms AS s, w.end_ms AS e, w.zone_id AS z, w.zone_src AS zs, w.activity_type AS a, w.duration_s AS d, w.distance_km AS km,
             w.energy_kcal AS kcal, w.avg_heart_rate AS hr, w.max_heart_rate AS hrMax, o.source, o.name AS origin, o.device_kind AS kind
           FROM workouts w JOIN origins o ON o.id = w.origin_id WHERE w.start_ms >= ? AND w.start_ms < ? ORDER BY w.start_ms`,
        )
        .iterate(lo - LOOKBACK_MS, hi) as IterableIterator<{
        s: number;
        e: number;
        z: number;
        zs: number;
        a: string;
        d: number;
        km: number | null;
        kcal: number | null;
        hr: number | null;
        hrMax: number | null;
        source: string;
        origin: string;
        kind: string;
      }>;
      for (const r of rows) {
        if (r.e < lo || !touches(r.z, null, r.s, r.e)) continue;
        yield {
          metric,
          source: r.source,
          origin: r.origin,
          deviceKind: r.kind,
          device: '',
          rawType: r.a,
          unit: 'min',
          startMs: r.s,
          endMs: r.e,
          day: null,
          zone: zoneOf(r.z),
          zoneSrc: r.zs,
          offsetMin: clock.offset(r.z, r.s),
          value: r.d / 60,
          category: r.a,
          workout: { durationS: r.d, distanceKm: r.km, energyKcal: r.kcal, avgHeartRate: r.hr, maxHeartRate: r.hrMax },
        };
      }
      continue;
    }
    if (!getMetric(metric)) continue;
    const types = sql
      .prepare(
        `SELECT t.id, t.raw_type AS rawType, t.unit, t.source FROM sample_types t WHERE t.metric = ? ORDER BY t.source, t.raw_type, t.unit`,
      )
      .all(metric) as { id: number; rawType: string; unit: string; source: string }[];
    for (const t of types) {
      // (type_id, start_ms) leads samples_type_start_key: one index range per source type.
      const rows = sql
        .prepare(
          `SELECT s.start_ms AS s, s.end_ms AS e, s.day, s.value AS v, s.category AS c, s.zone_id AS z, s.zone_src AS zs,
             o.name AS origin, o.device_kind AS kind, s.device_id AS dev
           FROM samples s JOIN origins o ON o.id = s.origin_id
           WHERE s.type_id = ? AND s.start_ms >= ? AND s.start_ms < ? ORDER BY s.start_ms`,
        )
        .iterate(t.id, lo - LOOKBACK_MS, hi) as IterableIterator<{
        s: number;
        e: number;
        day: number | null;
        v: number;
        c: string;
        z: number;
        zs: number;
        origin: string;
        kind: string;
        dev: number;
      }>;
      for (const r of rows) {
        if (r.e < lo || !touches(r.z, r.day, r.s, r.e)) continue;
        yield {
          metric,
          source: t.source,
          origin: r.origin,
          deviceKind: r.kind,
          device: r.dev ? deviceName(sql, r.dev) : '',
          rawType: t.rawType,
          unit: t.unit,
          startMs: r.s,
          endMs: r.e,
          day: r.day,
          zone: zoneOf(r.z),
          zoneSrc: r.zs,
          offsetMin: clock.offset(r.z, r.s),
          value: r.v,
          category: r.c,
        };
      }
    }
  }
}

const deviceNames = new WeakMap<Database.Database, Map<number, string>>();

/** "Apple Watch (Apple Watch6,1)": a device's name with its maker and model, cached per connection. */
function deviceName(sql: Database.Database, id: number): string {
  let cache = deviceNames.get(sql);
  if (!cache) deviceNames.set(sql, (cache = new Map()));
  let name = cache.get(id);
  if (name === undefined) {
    const d = sql.prepare('SELECT name, manufacturer, model FROM devices WHERE id = ?').get(id) as { name: string; manufacturer: string; model: string } | undefined;
    const extra = d ? [d.manufacturer, d.model].filter(Boolean).join(' ') : '';
    name = d ? (extra && extra !== d.name ? `${d.name} (${extra})` : d.name) : '';
    cache.set(id, name);
  }
  return name;
}
