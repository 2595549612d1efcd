// Writes provider records into the same tables as file imports (origins, sample_types,
// samples, workouts). The natural keys make every re-sync idempotent: INSERT … ON CONFLICT DO
// NOTHING, counted as duplicates. API volumes are small, so plain prepared statements suffice.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';

export interface SampleRecord {
  /** The provider's own type (a Withings meastype, "activity.steps"). */
  rawType: string;
  /** Canonical metric, or null for types stored but not charted. */
  metric: string | null;
  unit: string;
  origin: { name: string; deviceKind: string };
  startMs: number;
  endMs: number;
  utcOffsetMin: number;
  value: number;
  category?: string;
  /**
   * A running total the provider revises (a day's steps): a newer value for the same span
   * replaces the older one instead of sitting beside it and counting twice.
   */
  revisable?: boolean;
}

export interface WorkoutRecord {
  origin: { name: string; deviceKind: string };
  activityType: string;
  startMs: number;
  endMs: number;
  utcOffsetMin: number;
  durationS: number;
  distanceKm: number | null;
  energyKcal: number | null;
  avgHeartRate: number | null;
  maxHeartRate: number | null;
  details: Record<string, unknown>;
}

export interface WriteCounts {
  inserted: number;
  duplicates: number;
  replaced: number;
  /** Earliest start and latest end of what changed, for data:changed. */
  fromMs: number | null;
  toMs: number | null;
}

export const emptyCounts = (): WriteCounts => ({ inserted: 0, duplicates: 0, replaced: 0, fromMs: null, toMs: null });

export function addCounts(a: WriteCounts, b: WriteCounts): WriteCounts {
  return {
    inserted: a.inserted + b.inserted,
    duplicates: a.duplicates + b.duplicates,
    replaced: a.replaced + b.replaced,
    fromMs: a.fromMs === null ? b.fromMs : b.fromMs === null ? a.fromMs : Math.min(a.fromMs, b.fromMs),
    toMs: a.toMs === null ? b.toMs : b.toMs === null ? a.toMs : Math.max(a.toMs, b.toMs),
  };
}

/** Apostrophes unified so "Jane’s Watch" and "Jane's Watch" are one origin. */
export const originKey = (name: string) => name.replace(/[\u2018\u2019\u02bc`´]/g, "'").trim();

export class SampleWriter {
  private readonly originIds = new Map<string, number>();
  private readonly typeIds = new Map<string, number>();
  private readonly st: Record<'originIns' | 'originSel' | 'typeIns' | 'typeSel' | 'sampleIns' | 'sampleDelSpan' | 'workoutIns', Statement>;

  constructor(
    private readonly db: Db,
    private readonly source: string,
  ) {
    const sql = db.$client;
    this.st = {
      originIns: sql.prepare('INSERT INTO origins (source, origin_key, name, device_kind) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      originSel: sql.prepare('SELECT id FROM origins WHERE source = ? AND origin_key = ?'),
      typeIns: sql.prepare('INSERT INTO sample_types (source, raw_type, metric, unit) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      typeSel: sql.prepare('SELECT id FROM sample_types WHERE source = ? AND raw_type = ? AND unit = ?'),
      sampleIns: sql.prepare(
        `INSERT INTO samples (type_id, origin_id, device_id, start_ms, end_ms, utc_offset_min, value, category, batch)
         VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      sampleDelSpan: sql.prepare('DELETE FROM samples WHERE type_id = ? AND origin_id = ? AND start_ms = ? AND end_ms = ? AND category = ? AND value <> ?'),
      workoutIns: sql.prepare(
        `INSERT INTO workouts (origin_id, device_id, activity_type, start_ms, end_ms, utc_offset_min, duration_s, distance_km, energy_kcal,
           avg_heart_rate, max_heart_rate, details_json, batch)
         VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
    };
  }

  private origin(o: { name: string; deviceKind: string }): number {
    const key = originKey(o.name);
    let id = this.originIds.get(key);
    if (id === undefined) {
      this.st.originIns.run(this.source, key, o.name, o.deviceKind);
      id = (this.st.originSel.get(this.source, key) as { id: number }).id;
      this.originIds.set(key, id);
    }
    return id;
  }

  private type(rawType: string, metric: string | null, unit: string): number {
    const k = `${rawType}\u0000${unit}`;
    let id = this.typeIds.get(k);
    if (id === undefined) {
      this.st.typeIns.run(this.source, rawType, metric, unit);
      id = (this.st.typeSel.get(this.source, rawType, unit) as { id: number }).id;
      this.typeIds.set(k, id);
    }
    return id;
  }

  /** Writes records; call inside a transaction with the cursor that follows them. */
  write(samples: readonly SampleRecord[], workouts: readonly WorkoutRecord[], batch: string): WriteCounts {
    const c = emptyCounts();
    const touch = (start: number, end: number) => {
      c.fromMs = c.fromMs === null ? start : Math.min(c.fromMs, start);
      c.toMs = c.toMs === null ? end : Math.max(c.toMs, end);
    };
    for (const s of samples) {
      if (!Number.isFinite(s.value) || !Number.isFinite(s.startMs) || !Number.isFinite(s.endMs)) continue;
      const typeId = this.type(s.rawType, s.metric, s.unit);
      const originId = this.origin(s.origin);
      const category = s.category ?? '';
      if (s.revisable) {
        const removed = this.st.sampleDelSpan.run(typeId, originId, s.startMs, s.endMs, category, s.value).changes;
        c.replaced += removed;
      }
      const changes = this.st.sampleIns.run(typeId, originId, s.startMs, s.endMs, s.utcOffsetMin, s.value, category, batch).changes;
      if (changes) {
        c.inserted++;
        touch(s.startMs, s.endMs);
      } else c.duplicates++;
    }
    for (const w of workouts) {
      const originId = this.origin(w.origin);
      const changes = this.st.workoutIns.run(
        originId,
        w.activityType,
        w.startMs,
        w.endMs,
        w.utcOffsetMin,
        w.durationS,
        w.distanceKm,
        w.energyKcal,
        w.avgHeartRate,
        w.maxHeartRate,
        JSON.stringify(w.details),
        batch,
      ).changes;
      if (changes) {
        c.inserted++;
        touch(w.startMs, w.endMs);
      } else c.duplicates++;
    }
    return c;
  }
}

/** Deletes everything one source brought in (Disconnect → delete data). */
export function deleteSourceData(db: Db, source: string): { samples: number; workouts: number } {
  const sql = db.$client;
  return sql.transaction(() => {
    const samples = sql.prepare('DELETE FROM samples WHERE origin_id IN (SELECT id FROM origins WHERE source = ?)').run(source).changes;
    const workouts = sql.prepare('DELETE FROM workouts WHERE origin_id IN (SELECT id FROM origins WHERE source = ?)').run(source).changes;
    return { samples, workouts };
  })();
}
