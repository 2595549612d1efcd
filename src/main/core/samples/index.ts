// The one door every source writes samples and workouts through (DESIGN.md "Data model"):
// Apple Health imports (in bulk, from the import's writer thread), provider syncs and file
// imports. It owns the rules every source must share:
// - one origin-key normalisation (shared/sourceKey normalizeOriginName), so the key a person
//   picks in preferences always matches the stored origin;
// - zones by id (time/zones: 0 = the home zone);
// - grain: a total for a named local date (`day`) replaces the earlier row of its (type,
//   origin, day) instead of counting beside it, unless that row belongs to another provider
//   record (a night and a nap on one date each keep theirs);
// - idempotence: the natural-key UNIQUE indexes, INSERT … ON CONFLICT DO NOTHING;
// - revision by provider record: samples that carry a `ref` (a Withings measure group, a night)
//   are kept per record in sample_refs, and a record written again replaces its earlier version.
// Samples are never updated in place: a replaced row is deleted and the new one inserted, so
// core/derived finds new data by id and removed data by the span the delete trigger notes
// (migration 0009; SQLite may hand a deleted top id out again).
import type Database from 'better-sqlite3';
import { normalizeOriginName } from '../../../shared/sourceKey';
import type { HomeZoneEvidence } from '../time/inferHomeZone';
import { HOME_ZONE_ID, ZONE_SRC, zoneOffsetMin, type ZoneSrc } from '../time/zones';

/** Where a record was recorded: a zone name (IANA or `+09:00`) and where it came from; null name = the home zone. */
export interface ZoneRef {
  name: string | null;
  src: ZoneSrc;
}

export const HOME_ZONE: ZoneRef = { name: null, src: ZONE_SRC.home };

/** Device kinds that say nothing about the device: a later, better kind replaces them. */
const VAGUE_KINDS = new Set(['unknown', 'app']);
/** meta key counting changes of stored origins' kinds (core/derived rebuilds when it moves). */
export const ORIGIN_KINDS_VERSION = 'origins.kinds_version';

export interface OriginRef {
  /** The device or app inside the source, as the source names it. */
  name: string;
  /** watch, ring, phone, scale, app, manual, … (core/merge/priority orders by it). */
  deviceKind: string;
}

export interface SampleRecord {
  /**
   * The source it is stored under when not the importer's own: only a VitalSync export, which
   * holds many sources, sets it (imports/writer.ts picks that source's writer).
   */
  source?: string;
  /** The source's own type (a HealthKit identifier, a Withings meastype, "activity.steps"). */
  rawType: string;
  /** Canonical metric, or null for types stored but not charted. */
  metric: string | null;
  /** The unit `value` is in: the metric's canonical unit when mapped. */
  unit: string;
  origin: OriginRef;
  /** UTC epoch ms; equal for a point reading. */
  startMs: number;
  endMs: number;
  zone: ZoneRef;
  /**
   * Daily grain: the local date (epoch day) this value is the source's total for. Such a row is
   * never sliced into hours, and a newer row for the same (type, origin, day) replaces it.
   * Omitted for interval measurements.
   */
  day?: number | null;
  value: number;
  /** Category value (a sleep stage); '' or omitted for quantities. */
  category?: string;
  /**
   * The provider record this sample is part of, unique within the source (`meas:401` for a
   * Withings measure group, `sleep:9201` for a night). Write every sample of one record in the
   * same `write` call: written again, the record replaces its earlier version (its rows no
   * longer in it are deleted, unchanged rows kept, new rows inserted).
   */
  ref?: string;
  /** The record's version (Withings' `modified`); a version older than the stored one is ignored. */
  refVersion?: number;
}

export interface WorkoutRecord {
  /** As SampleRecord.source. */
  source?: string;
  origin: OriginRef;
  activityType: string;
  startMs: number;
  endMs: number;
  zone: ZoneRef;
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
  /** Older rows a revision replaced. */
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

/** The column list of samples as every writer inserts it (one place, so no writer forgets a column). */
export const SAMPLE_INSERT_COLUMNS = '(type_id, origin_id, device_id, start_ms, end_ms, zone_id, zone_src, day, value, category, batch)';
export const SAMPLE_INSERT_ARITY = 11;
/** Rows per multi-row INSERT of plain interval samples (SQLite allows 32,766 parameters). */
const MULTI_ROWS = 32;

/** `INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING` for `rows` rows, in SAMPLE_INSERT_COLUMNS order. */
export function sampleInsertSql(rows: number): string {
  const one = `(${new Array(SAMPLE_INSERT_ARITY).fill('?').join(', ')})`;
  return `INSERT INTO samples ${SAMPLE_INSERT_COLUMNS} VALUES ${new Array(rows).fill(one).join(', ')} ON CONFLICT DO NOTHING`;
}

/**
 * Ids of the dimension rows (origins, sample types, zones), created on first use and cached.
 * Every writer resolves them here, so every source normalises origin names the same way.
 */
export class SampleDims {
  private readonly origins = new Map<string, number>();
  private readonly types = new Map<string, number>();
  private readonly zones = new Map<string, number>();
  private readonly st: Record<'originIns' | 'originSel' | 'originKind' | 'kindsVersion' | 'typeIns' | 'typeSel' | 'zoneIns' | 'zoneSel', Database.Statement>;

  constructor(sql: Database.Database) {
    this.st = {
      originIns: sql.prepare('INSERT INTO origins (source, origin_key, name, device_kind) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      originSel: sql.prepare('SELECT id, device_kind AS kind FROM origins WHERE source = ? AND origin_key = ?'),
      originKind: sql.prepare('UPDATE origins SET device_kind = ? WHERE id = ?'),
      kindsVersion: sql.prepare(
        `INSERT INTO meta (key, value) VALUES ('${ORIGIN_KINDS_VERSION}', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`,
      ),
      typeIns: sql.prepare('INSERT INTO sample_types (source, raw_type, metric, unit) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      typeSel: sql.prepare('SELECT id FROM sample_types WHERE source = ? AND raw_type = ? AND unit = ?'),
      zoneIns: sql.prepare('INSERT INTO zones (name) VALUES (?) ON CONFLICT DO NOTHING'),
      zoneSel: sql.prepare('SELECT id FROM zones WHERE name = ?'),
    };
  }

  /** Ids by source and name exactly as given: most records repeat a handful of names, so normalising each is wasted. */
  private readonly byRawName = new Map<string, Map<string, number>>();

  /** origins.id of a device or app inside a source; spellings that normalise alike are one origin. */
  origin(source: string, name: string, deviceKind: string): number {
    let names = this.byRawName.get(source);
    if (!names) this.byRawName.set(source, (names = new Map()));
    const known = names.get(name);
    if (known !== undefined) return known;
    const id = this.originByKey(source, name, deviceKind);
    names.set(name, id);
    return id;
  }

  private originByKey(source: string, name: string, deviceKind: string): number {
    const key = normalizeOriginName(name);
    const k = `${source}\u0000${key}`;
    let id = this.origins.get(k);
    if (id === undefined) {
      this.st.originIns.run(source, key, name, deviceKind);
      const row = this.st.originSel.get(source, key) as { id: number; kind: string };
      id = row.id;
      // An origin first stored as a vague kind (an app, or a device nobody could name) that now
      // says what it is (a Garmin watch behind "Connect") takes the better kind: it changes the
      // origin's rank inside its list entry, so merged values built before are stale.
      if (VAGUE_KINDS.has(row.kind) && !VAGUE_KINDS.has(deviceKind) && deviceKind !== row.kind) {
        this.st.originKind.run(deviceKind, id);
        this.st.kindsVersion.run();
      }
      this.origins.set(k, id);
    }
    return id;
  }

  /** sample_types.id of a source's own type in a unit. */
  type(source: string, rawType: string, metric: string | null, unit: string): number {
    // By source, then type and unit, without building a key string per sample.
    let bySource = this.typesBySource.get(source);
    if (!bySource) this.typesBySource.set(source, (bySource = new Map()));
    let byUnit = bySource.get(rawType);
    if (!byUnit) bySource.set(rawType, (byUnit = new Map()));
    const known = byUnit.get(unit);
    if (known !== undefined) return known;
    const id = this.typeId(source, rawType, metric, unit);
    byUnit.set(unit, id);
    return id;
  }

  private readonly typesBySource = new Map<string, Map<string, Map<string, number>>>();

  private typeId(source: string, rawType: string, metric: string | null, unit: string): number {
    const k = `${source}\u0000${rawType}\u0000${unit}`;
    let id = this.types.get(k);
    if (id === undefined) {
      this.st.typeIns.run(source, rawType, metric, unit);
      id = (this.st.typeSel.get(source, rawType, unit) as { id: number }).id;
      this.types.set(k, id);
    }
    return id;
  }

  /** zones.id of a zone name; null (the home zone) is HOME_ZONE_ID. */
  zone(name: string | null): number {
    if (name === null) return HOME_ZONE_ID;
    let id = this.zones.get(name);
    if (id === undefined) {
      this.st.zoneIns.run(name);
      id = (this.st.zoneSel.get(name) as { id: number }).id;
      this.zones.set(name, id);
    }
    return id;
  }

  /** Forgets cached ids (after a transaction that created some was rolled back). */
  clear(): void {
    this.byRawName.clear();
    this.typesBySource.clear();
    this.origins.clear();
    this.types.clear();
    this.zones.clear();
  }
}

/**
 * Writes records of one source. Call `write` inside the caller's transaction (a sync commits
 * each page with its cursor; an import each batch with its job state).
 */
export class SampleWriter {
  readonly dims: SampleDims;
  private readonly st: Record<'sampleIns' | 'sampleMulti' | 'sampleFind' | 'sampleDel' | 'daySame' | 'dayDel' | 'refRows' | 'refIns' | 'refVersion' | 'workoutIns', Database.Statement>;

  constructor(
    private readonly sql: Database.Database,
    private readonly source: string,
  ) {
    this.dims = new SampleDims(sql);
    this.st = {
      sampleIns: sql.prepare(sampleInsertSql(1)),
      sampleMulti: sql.prepare(sampleInsertSql(MULTI_ROWS)),
      // The natural key (samples_type_start_key), to find the row an insert collided with.
      sampleFind: sql.prepare('SELECT id FROM samples WHERE type_id = ? AND start_ms = ? AND origin_id = ? AND end_ms = ? AND value = ? AND category = ?'),
      sampleDel: sql.prepare('DELETE FROM samples WHERE id = ?'),
      // A day's total is the same fact whatever instants it was stored with (its midnights
      // depend on the zone used when it was written): one of no record, with the same value.
      daySame: sql.prepare(
        `SELECT id FROM samples WHERE type_id = ? AND origin_id = ? AND day = ? AND value = ? AND category = ?
           AND NOT EXISTS (SELECT 1 FROM sample_refs r WHERE r.sample_id = samples.id) LIMIT 1`,
      ),
      // A day's total replaces any other row of the same (type, origin, day).
      dayDel: sql.prepare(
        `DELETE FROM samples WHERE type_id = ? AND origin_id = ? AND day = ? AND NOT (start_ms = ? AND end_ms = ? AND value = ? AND category = ?)
           AND NOT EXISTS (SELECT 1 FROM sample_refs r WHERE r.sample_id = samples.id) RETURNING start_ms AS s, end_ms AS e`,
      ),
      refRows: sql.prepare(
        `SELECT s.id, s.type_id AS typeId, s.origin_id AS originId, s.start_ms AS startMs, s.end_ms AS endMs, s.value, s.category, s.day, r.version
         FROM sample_refs r JOIN samples s ON s.id = r.sample_id WHERE r.source = ? AND r.ref = ?`,
      ),
      refIns: sql.prepare('INSERT INTO sample_refs (sample_id, source, ref, version) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      refVersion: sql.prepare('UPDATE sample_refs SET version = ? WHERE source = ? AND ref = ?'),
      workoutIns: sql.prepare(
        `INSERT INTO workouts (origin_id, device_id, activity_type, start_ms, end_ms, zone_id, zone_src, duration_s, distance_km, energy_kcal,
           avg_heart_rate, max_heart_rate, details_json, batch)
         VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
    };
  }

  /** What the records written said about where the person lives (zones they were recorded in). */
  private readonly evidence = { recordZones: {} as Record<string, number>, offsets: [] as { ms: number; offsetMin: number }[], months: new Set<number>() };

  private observeZone(zone: ZoneRef, ms: number): void {
    if (!zone.name || (zone.src !== ZONE_SRC.provider && zone.src !== ZONE_SRC.offset)) return;
    const e = this.evidence;
    if (zone.src === ZONE_SRC.provider) e.recordZones[zone.name] = (e.recordZones[zone.name] ?? 0) + 1;
    const month = Math.floor(ms / (30 * 86_400_000));
    if (e.months.has(month) || e.offsets.length >= 1200) return;
    const offsetMin = zoneOffsetMin(zone.name, ms);
    if (offsetMin === null) return;
    e.months.add(month);
    e.offsets.push({ ms, offsetMin });
  }

  /**
   * Home-zone evidence from what this writer stored: the provider's zones and offsets (one per
   * month), or null when its records named none. For core/time/inferHomeZone.
   */
  homeZoneEvidence(): HomeZoneEvidence | null {
    const e = this.evidence;
    return e.offsets.length ? { recordZones: { ...e.recordZones }, offsets: [...e.offsets], locale: null } : null;
  }

  write(samples: readonly SampleRecord[], workouts: readonly WorkoutRecord[], batch: string): WriteCounts {
    const c = emptyCounts();
    for (const s of samples) this.observeZone(s.zone, s.startMs);
    for (const w of workouts) this.observeZone(w.zone, w.startMs);
    const records = new Map<string, SampleRecord[]>();
    const plain: SampleRecord[] = [];
    for (const s of samples) {
      if (!Number.isFinite(s.value) || !Number.isFinite(s.startMs) || !Number.isFinite(s.endMs)) continue;
      if (s.ref === undefined) {
        // Interval samples outside any record: many rows per statement (a big CSV has millions).
        if (s.day === undefined || s.day === null) plain.push(s);
        else this.insert(this.row(s), s.zone, batch, c);
        continue;
      }
      const group = records.get(s.ref);
      if (group) group.push(s);
      else records.set(s.ref, [s]);
    }
    this.insertPlain(plain, batch, c);
    for (const [ref, group] of records) this.writeRecord(ref, group, batch, c);
    const { dims } = this;
    for (const w of workouts) {
      const originId = dims.origin(this.source, w.origin.name, w.origin.deviceKind);
      const changes = this.st.workoutIns.run(
        originId,
        w.activityType,
        w.startMs,
        w.endMs,
        dims.zone(w.zone.name),
        w.zone.src,
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
        touch(c, w.startMs, w.endMs);
      } else c.duplicates++;
    }
    return c;
  }

  private readonly multiArgs: unknown[] = new Array(MULTI_ROWS * SAMPLE_INSERT_ARITY);

  /**
   * Interval samples of no record and no day, MULTI_ROWS per INSERT; the rest one by one. The
   * natural keys still decide what is new; the changed span covers every row offered (a row
   * already there widens it harmlessly: core/derived recomputes those days to the same values).
   */
  private insertPlain(rows: readonly SampleRecord[], batch: string, c: WriteCounts): void {
    const args = this.multiArgs;
    let i = 0;
    for (; i + MULTI_ROWS <= rows.length; i += MULTI_ROWS) {
      let k = 0;
      for (let j = i; j < i + MULTI_ROWS; j++) {
        const s = rows[j];
        const r = this.row(s);
        args[k++] = r.typeId;
        args[k++] = r.originId;
        args[k++] = 0;
        args[k++] = r.startMs;
        args[k++] = r.endMs;
        args[k++] = this.dims.zone(s.zone.name);
        args[k++] = s.zone.src;
        args[k++] = null;
        args[k++] = r.value;
        args[k++] = r.category;
        args[k++] = batch;
      }
      const added = this.st.sampleMulti.run(args).changes;
      c.inserted += added;
      c.duplicates += MULTI_ROWS - added;
      if (added) for (let j = i; j < i + MULTI_ROWS; j++) touch(c, rows[j].startMs, rows[j].endMs);
    }
    for (; i < rows.length; i++) this.insert(this.row(rows[i]), rows[i].zone, batch, c);
  }

  /**
   * Drops this source's samples of the types `owns` accepts that belong to no provider record.
   * Call it when a stream whose every sample carries a `ref` has just been read in full from
   * the provider: such rows were written before refs existed, and no current record holds
   * them (an earlier version of an edited record, a record the provider no longer has).
   */
  dropUnreferenced(owns: (rawType: string) => boolean): WriteCounts {
    const c = emptyCounts();
    const types = (this.sql.prepare('SELECT id, raw_type AS raw FROM sample_types WHERE source = ?').all(this.source) as { id: number; raw: string }[]).filter((t) => owns(t.raw));
    const del = this.sql.prepare(
      `DELETE FROM samples WHERE type_id = ? AND origin_id IN (SELECT id FROM origins WHERE source = ?)
         AND NOT EXISTS (SELECT 1 FROM sample_refs r WHERE r.sample_id = samples.id) RETURNING start_ms AS s, end_ms AS e`,
    );
    for (const t of types) {
      for (const r of del.all(t.id, this.source) as { s: number; e: number }[]) {
        c.replaced++;
        touch(c, r.s, r.e);
      }
    }
    return c;
  }

  private row(s: SampleRecord): Row {
    const { dims } = this;
    return {
      typeId: dims.type(this.source, s.rawType, s.metric, s.unit),
      originId: dims.origin(this.source, s.origin.name, s.origin.deviceKind),
      startMs: s.startMs,
      endMs: s.endMs,
      value: s.value,
      category: s.category ?? '',
      day: s.day ?? null,
    };
  }

  /**
   * Inserts one row; its id when it was new. A day's total first replaces the other rows of its
   * (type, origin, day) that belong to no provider record: a revision of a plain day, or a row
   * stored before records existed. Rows of other records stay (a night and a nap on one date).
   */
  private insert(r: Row, zone: ZoneRef, batch: string, c: WriteCounts): number | null {
    if (r.day !== null) {
      if (this.st.daySame.get(r.typeId, r.originId, r.day, r.value, r.category)) {
        c.duplicates++;
        return null;
      }
      const removed = this.st.dayDel.all(r.typeId, r.originId, r.day, r.startMs, r.endMs, r.value, r.category) as { s: number; e: number }[];
      c.replaced += removed.length;
      for (const x of removed) touch(c, x.s, x.e);
    }
    const info = this.st.sampleIns.run(r.typeId, r.originId, 0, r.startMs, r.endMs, this.dims.zone(zone.name), zone.src, r.day, r.value, r.category, batch);
    if (!info.changes) {
      c.duplicates++;
      return null;
    }
    c.inserted++;
    touch(c, r.startMs, r.endMs);
    return Number(info.lastInsertRowid);
  }

  /** One provider record's samples: its earlier version (if any) replaced by this one. */
  private writeRecord(ref: string, group: SampleRecord[], batch: string, c: WriteCounts): void {
    const version = Math.max(0, ...group.map((s) => s.refVersion ?? 0));
    const stored = this.st.refRows.all(this.source, ref) as (Row & { id: number; version: number })[];
    const storedVersion = Math.max(0, ...stored.map((r) => r.version));
    if (stored.length && storedVersion > version) {
      // A late copy of an older version: the newer one stays.
      c.duplicates += group.length;
      return;
    }
    const rows = group.map((s) => ({ s, r: this.row(s) }));
    const wanted = new Set(rows.map(({ r }) => rowKey(r)));
    const kept = new Map<string, number>();
    for (const old of stored) {
      const k = rowKey(old);
      if (wanted.has(k) && !kept.has(k)) {
        kept.set(k, old.id);
        continue;
      }
      this.st.sampleDel.run(old.id);
      c.replaced++;
      touch(c, old.startMs, old.endMs);
    }
    for (const { s, r } of rows) {
      const k = rowKey(r);
      if (kept.has(k)) {
        c.duplicates++;
        continue;
      }
      let id = this.insert(r, s.zone, batch, c);
      // Already stored outside any record (written before refs existed): it joins this one.
      id ??=
        (
          (r.day !== null
            ? this.st.daySame.get(r.typeId, r.originId, r.day, r.value, r.category)
            : this.st.sampleFind.get(r.typeId, r.startMs, r.originId, r.endMs, r.value, r.category)) as { id: number } | undefined
        )?.id ?? null;
      if (id === null) continue;
      this.st.refIns.run(id, this.source, ref, version);
      kept.set(k, id);
    }
    if (stored.length && version > storedVersion) this.st.refVersion.run(version, this.source, ref);
  }
}

/** A sample row's identity: what the natural keys compare. */
interface Row {
  typeId: number;
  originId: number;
  startMs: number;
  endMs: number;
  value: number;
  category: string;
  day: number | null;
}

// A day's total is identified by its day, not by the instants it was stored with.
const rowKey = (r: Row) => (r.day !== null ? `${r.typeId}|${r.originId}|day ${r.day}|${r.value}|${r.category}` : `${r.typeId}|${r.originId}|${r.startMs}|${r.endMs}|${r.value}|${r.category}`);

function touch(c: WriteCounts, start: number, end: number): void {
  c.fromMs = c.fromMs === null ? start : Math.min(c.fromMs, start);
  c.toMs = c.toMs === null ? end : Math.max(c.toMs, end);
}

/**
 * Deletes everything one source brought in (Disconnect → delete data). The deletion is noted
 * as a tombstone the vault carries to the person's other computers (core/vault), unless it is
 * itself one taken in from the vault (`tombstone: false`), so it is never sent back.
 */
export function deleteSourceData(sql: Database.Database, source: string, opts: { tombstone?: boolean; at?: number } = {}): { samples: number; workouts: number } {
  return sql.transaction(() => {
    const samples = sql.prepare('DELETE FROM samples WHERE origin_id IN (SELECT id FROM origins WHERE source = ?)').run(source).changes;
    const workouts = sql.prepare('DELETE FROM workouts WHERE origin_id IN (SELECT id FROM origins WHERE source = ?)').run(source).changes;
    const at = opts.at ?? Date.now();
    if (opts.tombstone !== false) sql.prepare("INSERT INTO vault_tombstones (kind, source, at) VALUES ('source', ?, ?)").run(source, at);
    noteSourceDeletion(sql, source, at);
    return { samples, workouts };
  })();
}

/** Remembers the latest deletion of a source's data (source_deletions: older rows arriving later are not stored again). */
export function noteSourceDeletion(sql: Database.Database, source: string, at: number): void {
  sql.prepare('INSERT INTO source_deletions (source, at) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET at = max(at, excluded.at)').run(source, at);
}
