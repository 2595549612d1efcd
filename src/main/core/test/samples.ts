// Test helper: puts origins, sample types, samples and workouts straight into a tempCore
// database, the way an importer would, so merge tests do not depend on any importer.
import { normalizeOriginName } from '../../../shared/sourceKey';
import type { Core } from '../index';
import { fixedOffsetZone, parseDay, ZONE_SRC } from '../time/zones';

export interface TestSample {
  source: string;
  origin: string;
  deviceKind?: string;
  metric: string;
  /** ISO with an offset ("2026-03-02T08:00:00+01:00"). */
  start: string;
  end?: string;
  value?: number;
  category?: string;
  /**
   * The zone it was recorded in: an IANA name, or 'home' (zone 0: the home zone setting).
   * Default: the offset written in `start`, as a fixed-offset zone.
   */
  zone?: string;
  /** Daily grain: the local date (YYYY-MM-DD) this value is the source's total for. */
  day?: string;
  /** The source's own type; default `test:<metric>`. Daily totals of one metric need one each (the day key is per type). */
  rawType?: string;
}

export interface TestWorkout {
  source: string;
  origin: string;
  deviceKind?: string;
  activityType: string;
  start: string;
  end: string;
  distanceKm?: number;
  energyKcal?: number;
  zone?: string;
}

/** The offset in minutes written in an ISO timestamp ("Z" = 0). */
export function isoOffset(iso: string): number {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function originId(core: Core, source: string, name: string, deviceKind: string): number {
  const sql = core.db.$client;
  sql
    .prepare('INSERT INTO origins (source, origin_key, name, device_kind) VALUES (?, ?, ?, ?) ON CONFLICT(source, origin_key) DO NOTHING')
    .run(source, normalizeOriginName(name), name, deviceKind);
  return (sql.prepare('SELECT id FROM origins WHERE source = ? AND origin_key = ?').get(source, normalizeOriginName(name)) as { id: number }).id;
}

/** zones.id and zone_src of a test row's zone. */
function zoneOf(core: Core, zone: string | undefined, start: string): [number, number] {
  if (zone === 'home') return [0, ZONE_SRC.home];
  const name = zone ?? fixedOffsetZone(isoOffset(start));
  const sql = core.db.$client;
  sql.prepare('INSERT INTO zones (name) VALUES (?) ON CONFLICT DO NOTHING').run(name);
  return [(sql.prepare('SELECT id FROM zones WHERE name = ?').get(name) as { id: number }).id, zone ? ZONE_SRC.record : ZONE_SRC.offset];
}

function typeId(core: Core, source: string, metric: string, raw = `test:${metric}`): number {
  const sql = core.db.$client;
  sql.prepare("INSERT INTO sample_types (source, raw_type, metric, unit) VALUES (?, ?, ?, '') ON CONFLICT DO NOTHING").run(source, raw, metric);
  return (sql.prepare("SELECT id FROM sample_types WHERE source = ? AND raw_type = ? AND unit = ''").get(source, raw) as { id: number }).id;
}

/** Inserts samples and returns their ids, in order. */
export function insertSamples(core: Core, rows: TestSample[], batch = 'test:1'): number[] {
  const sql = core.db.$client;
  const ins = sql.prepare(
    'INSERT INTO samples (type_id, origin_id, device_id, start_ms, end_ms, zone_id, zone_src, day, value, category, batch) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return sql.transaction(() =>
    rows.map((r) => {
      const start = Date.parse(r.start);
      const end = Date.parse(r.end ?? r.start);
      const [zone, src] = zoneOf(core, r.zone, r.start);
      const day = r.day !== undefined ? parseDay(r.day) : null;
      const info = ins.run(typeId(core, r.source, r.metric, r.rawType), originId(core, r.source, r.origin, r.deviceKind ?? 'unknown'), start, end, zone, src, day, r.value ?? 0, r.category ?? '', batch);
      return Number(info.lastInsertRowid);
    }),
  )();
}

export function insertWorkouts(core: Core, rows: TestWorkout[], batch = 'test:1'): number[] {
  const sql = core.db.$client;
  const ins = sql.prepare(
    `INSERT INTO workouts (origin_id, activity_type, start_ms, end_ms, zone_id, zone_src, duration_s, distance_km, energy_kcal, batch)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return sql.transaction(() =>
    rows.map((w) => {
      const start = Date.parse(w.start);
      const end = Date.parse(w.end);
      const [zone, src] = zoneOf(core, w.zone, w.start);
      const info = ins.run(originId(core, w.source, w.origin, w.deviceKind ?? 'unknown'), w.activityType, start, end, zone, src, (end - start) / 1000, w.distanceKm ?? null, w.energyKcal ?? null, batch);
      return Number(info.lastInsertRowid);
    }),
  )();
}
