// The import's SQLite side, run in its own worker thread over its own WAL connection. Each
// batch is one transaction that also records the job's counts and where a resumed run would
// start, so a crash or kill -9 at any moment leaves a valid database and a job that can finish.
// Deduplication is the samples' natural-key UNIQUE index (every key column NOT NULL).
//
// It is the bulk side of core/samples, the one sample-writer module: origins, types and zones
// resolve through its SampleDims (one origin-key normalisation for every source), sample rows
// go in through its INSERT (sampleInsertSql, many rows per statement), and the totals Apple
// keeps per local date (ActivitySummary) go through its SampleWriter, whose day-revision rule
// lets a newer export's day replace the older row.
import type Database from 'better-sqlite3';
import type { ImportSummary } from '../../../shared/contract';
import type { Db } from '../db/open';
import { HOME_ZONE, SAMPLE_INSERT_ARITY, SampleDims, sampleInsertSql, SampleWriter, type SampleRecord, type WriteCounts } from '../samples';
import type { HomeZoneEvidence, InferredHomeZone } from '../time/inferHomeZone';
import { HOME_ZONE_ID, ZONE_SRC } from '../time/zones';
import { parseAppleDateString } from './apple-health/dates';
import { MAX_ROW_ERRORS, type BatchMsg, type DimOrigin, type DimType, type EndMsg, type MetaMsg, type RecordsMsg, type RoutePoints, type RoutesMsg } from './protocol';

export const SOURCE = 'apple_health';
/** Rows per multi-row INSERT. */
const MULTI = 32;
const MULTI_SETS = 64;
/** Values per sample row as filled below, in SAMPLE_INSERT_COLUMNS order. */
const ROW_ARGS = 11;

export interface StoredSummary extends ImportSummary {
  me?: Record<string, string> | null;
  state?: { resumeOffset: number; pid: number; path?: string; evidence?: HomeZoneEvidence };
  /** With no home zone set when it ran: the zone the export points to (the main thread assumes it). */
  assumedHomeZone?: InferredHomeZone | null;
}

export function emptySummary(): StoredSummary {
  return {
    samples: { inserted: 0, duplicates: 0 },
    workouts: { inserted: 0, duplicates: 0 },
    routes: { inserted: 0, duplicates: 0, points: 0, missing: 0 },
    rejected: { total: 0, reasons: {} },
    byType: {},
    notes: {},
    exportDate: null,
    exportVersion: null,
    locale: null,
    stoppedAt: null,
    warnings: [],
  };
}

export function readSummary(json: string | null | undefined): StoredSummary {
  const base = emptySummary();
  try {
    const parsed = JSON.parse(json ?? '{}') as Partial<StoredSummary>;
    return { ...base, ...parsed, rejected: { ...base.rejected, ...parsed.rejected }, routes: { ...base.routes, ...parsed.routes } };
  } catch {
    return base;
  }
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Disk full, read-only file system, or a database that cannot grow: said plainly. */
export function describeWriteError(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL') return 'The disk is full (or the database reached its size limit). What was imported so far is kept; free some space and import the same file again to finish.';
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') return 'VitalSync cannot write to its database (read-only or missing). Nothing more was imported.';
  if (code === 'SQLITE_BUSY') return 'The database stayed locked by another program. Import again in a moment; nothing is duplicated.';
  return `Writing to the database failed (${code || (err as Error).message}). What was imported so far is kept; import again to finish.`;
}

/** Why an import of which no record could be read failed, and what to do about it (`kind`: the importer). */
/** What a completed import says when its file held nothing to import and nothing was refused. */
export function nothingInFile(kind = 'apple_health'): string {
  if (kind === 'apple_health') return 'This export holds no health records: nothing was imported. Export again from the Health app and import the new export.zip.';
  return 'This file holds no rows of data (only its header, or nothing at all): nothing was imported. If it should hold data, export it again from the app it came from.';
}

export function nothingReadable(rejected: StoredSummary['rejected'], kind = 'apple_health'): string {
  const reasons = Object.entries(rejected.reasons)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([reason, n]) => `${n} × ${reason}`)
    .join('; ');
  const what = `Nothing was imported: all ${rejected.total} records in this ${kind === 'csv' ? 'file' : 'export'} were rejected (${reasons}). `;
  if (kind === 'csv') return `${what}Check the mapping against the file (the date column and how its dates are written, the value columns, their units and decimal mark) and import again.`;
  if (kind !== 'apple_health') return `${what}The file may be damaged, or not the export VitalSync took it for. Export it again from the app it came from and import the new file; if the same happens, report it with the reasons above.`;
  return (
    what +
    'The file may be damaged, or written in a form VitalSync cannot read yet. Export again from the Health app ' +
    '(your picture or initials → Export All Health Data) and import the new export.zip; if the same happens, report it with the reasons above.'
  );
}

export class ImportWriter {
  private readonly sql: Database.Database;
  readonly summary: StoredSummary;
  private readonly batchTag: string;
  /** The importer of this job (import_jobs.kind). */
  private readonly kind: string;
  private readonly dimIds: SampleDims;
  /** Record-at-a-time writer for daily totals (shares dimIds). */
  private readonly dayWriter: SampleWriter;
  private typeMap: number[] = [0];
  private typeName: string[] = [''];
  private typeInfo: DimType[] = [];
  private originMap: number[] = [0];
  private originInfo: DimOrigin[] = [];
  private deviceMap: number[] = [0];
  private catMap: string[] = [''];
  /** Local zone -> zones.id and zone_src; local 0 is the home zone. */
  private zoneMap: number[] = [HOME_ZONE_ID];
  private zoneSrc: number[] = [ZONE_SRC.home];
  fromMs: number | null = null;
  toMs: number | null = null;
  insertedTotal = 0;
  records = 0;

  private readonly st: Record<string, Database.Statement>;

  constructor(
    db: Db,
    private readonly jobId: number,
  ) {
    this.sql = db.$client;
    // The writer only ever inserts ids it just resolved from the dimension tables, so the
    // per-row foreign-key lookups are pure cost here.
    this.sql.pragma('foreign_keys = OFF');
    this.sql.pragma('cache_size = -16384');
    // Fewer, larger checkpoints while importing (each one syncs the database file).
    this.sql.pragma('wal_autocheckpoint = 16384');
    const row = this.sql.prepare('SELECT summary_json AS s, kind FROM import_jobs WHERE id = ?').get(jobId) as { s: string; kind: string } | undefined;
    if (!row) throw new Error(`import job ${jobId} does not exist`);
    this.kind = row.kind;
    this.summary = readSummary(row.s);
    this.batchTag = `import:${jobId}`;
    const s = this.sql;
    if (SAMPLE_INSERT_ARITY !== ROW_ARGS) throw new Error('the samples columns changed: update the import writer to fill them');
    this.dayWriter = new SampleWriter(s, SOURCE);
    this.dimIds = this.dayWriter.dims;
    this.st = {
      deviceIns: s.prepare('INSERT INTO devices (name, manufacturer, model, hardware, software) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      deviceSel: s.prepare('SELECT id FROM devices WHERE name = ? AND manufacturer = ? AND model = ? AND hardware = ? AND software = ?'),
      sample: s.prepare(sampleInsertSql(1)),
      sampleMulti: s.prepare(sampleInsertSql(MULTI)),
      details: s.prepare('INSERT OR IGNORE INTO sample_details (sample_id, json) VALUES (?, ?)'),
      maxId: s.prepare('SELECT max(id) AS m FROM samples'),
      sampleId: s.prepare('SELECT id FROM samples WHERE type_id = ? AND origin_id = ? AND start_ms = ? AND end_ms = ? AND value = ? AND category = ?'),
      setIns: s.prepare('INSERT INTO detail_sets (json) VALUES (?) ON CONFLICT DO NOTHING'),
      setSel: s.prepare('SELECT id FROM detail_sets WHERE json = ?'),
      sampleSet: s.prepare('INSERT OR IGNORE INTO sample_detail_sets (sample_id, set_id) VALUES (?, ?)'),
      sampleSetMulti: s.prepare(`INSERT OR IGNORE INTO sample_detail_sets (sample_id, set_id) VALUES ${new Array(MULTI_SETS).fill('(?, ?)').join(', ')}`),
      workout: s.prepare(
        `INSERT INTO workouts (origin_id, device_id, activity_type, start_ms, end_ms, zone_id, zone_src, duration_s, distance_km, energy_kcal, avg_heart_rate, max_heart_rate, details_json, batch)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      workoutSel: s.prepare('SELECT id FROM workouts WHERE origin_id = ? AND activity_type = ? AND start_ms = ? AND end_ms = ?'),
      point: s.prepare('INSERT OR IGNORE INTO route_points (workout_id, seq, time_ms, lat, lon, elevation_m, speed_mps) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      job: s.prepare('UPDATE import_jobs SET summary_json = ?, bytes_read = max(bytes_read, ?) WHERE id = ?'),
      finish: s.prepare('UPDATE import_jobs SET summary_json = ?, status = ?, error = ?, finished_at = ?, bytes_read = max(bytes_read, ?) WHERE id = ?'),
    };
  }

  private touch(start: number, end: number): void {
    if (this.fromMs === null || start < this.fromMs) this.fromMs = start;
    if (this.toMs === null || end > this.toMs) this.toMs = end;
  }

  private bytes = 0;

  private saveJob(): void {
    this.st.job.run(JSON.stringify(this.summary), this.bytes, this.jobId);
  }

  private dims(d: BatchMsg['dims']): void {
    const ids = this.dimIds;
    for (const t of d.types) {
      this.typeMap[t.local] = ids.type(SOURCE, t.rawType, t.metric, t.unit);
      this.typeName[t.local] = t.rawType;
      this.typeInfo[t.local] = t;
    }
    for (const o of d.origins) {
      this.originMap[o.local] = ids.origin(SOURCE, o.name, o.kind);
      this.originInfo[o.local] = o;
    }
    for (const z of d.zones) {
      this.zoneMap[z.local] = ids.zone(z.name);
      this.zoneSrc[z.local] = ZONE_SRC.record;
    }
    for (const dev of d.devices) {
      const f = dev.fields;
      this.st.deviceIns.run(f.name, f.manufacturer, f.model, f.hardware, f.software);
      this.deviceMap[dev.local] = (this.st.deviceSel.get(f.name, f.manufacturer, f.model, f.hardware, f.software) as { id: number }).id;
    }
    for (const c of d.categories) this.catMap[c.local] = c.value;
  }

  private readonly sets = new Map<string, number>();
  private readonly multiArgs: unknown[] = new Array(MULTI * ROW_ARGS);
  private maxId = 0;

  private readonly setArgs: number[] = [];

  /** Shared-metadata links go in multi-row statements too (one per sample otherwise). */
  private queueSet(sampleId: number, setId: number): void {
    const a = this.setArgs;
    a.push(sampleId, setId);
    if (a.length === MULTI_SETS * 2) {
      this.st.sampleSetMulti.run(a);
      a.length = 0;
    }
  }

  private flushSets(): void {
    const a = this.setArgs;
    for (let i = 0; i < a.length; i += 2) this.st.sampleSet.run(a[i], a[i + 1]);
    a.length = 0;
  }

  private sameType(types: Int32Array, from: number, local: number): boolean {
    for (let j = from + 1; j < from + MULTI; j++) if (types[j] !== local) return false;
    return true;
  }

  private detailSet(json: string): number {
    let id = this.sets.get(json);
    if (id === undefined) {
      this.st.setIns.run(json);
      id = (this.st.setSel.get(json) as { id: number }).id;
      this.sets.set(json, id);
    }
    return id;
  }

  private typeCount(name: string) {
    return (this.summary.byType[name] ??= { read: 0, inserted: 0, duplicates: 0 });
  }

  /**
   * Stores one batch in one transaction. Write transactions begin IMMEDIATE: a deferred one
   * that read first (max id) cannot take the write lock once another connection (the main
   * thread's derived rebuild) has committed since, and fails at once with "database is locked"
   * instead of waiting out busy_timeout.
   */
  batch(b: BatchMsg): void {
    const run = this.sql.transaction(() => {
      // Another process may have added samples since our last transaction.
      this.maxId = (this.st.maxId.get() as { m: number | null }).m ?? 0;
      this.dims(b.dims);
      const { sample, details } = this.st;
      const tag = this.batchTag;
      let di = 0;
      const nextDetail = () => (di < b.detailRows.length ? b.detailRows[di] : -1);
      let detailRow = nextDetail();
      const insertedByType = new Map<number, number>();
      const dupByType = new Map<number, number>();
      let inserted = 0;
      const multi = this.st.sampleMulti;
      const args: unknown[] = this.multiArgs;
      for (let i = 0; i < b.n; ) {
        const local = b.type[i];
        // A run of MULTI rows of one type without details goes in one statement (fewer
        // round trips into SQLite); its `changes` still counts inserted vs duplicates per type.
        if (i + MULTI <= b.n && b.type[i + MULTI - 1] === local && this.sameType(b.type, i, local)) {
          const before = this.maxId;
          let k = 0;
          let lo = Infinity;
          let hi = -Infinity;
          for (let j = i; j < i + MULTI; j++) {
            args[k++] = this.typeMap[local];
            args[k++] = this.originMap[b.origin[j]];
            args[k++] = this.deviceMap[b.device[j]] ?? 0;
            args[k++] = b.start[j];
            args[k++] = b.end[j];
            args[k++] = this.zoneMap[b.zone[j]];
            args[k++] = this.zoneSrc[b.zone[j]];
            args[k++] = null;
            args[k++] = b.value[j];
            args[k++] = this.catMap[b.cat[j]] ?? '';
            args[k++] = tag;
            if (b.start[j] < lo) lo = b.start[j];
            if (b.end[j] > hi) hi = b.end[j];
          }
          const res = multi.run(args);
          const added = res.changes;
          if (added) this.maxId = Number(res.lastInsertRowid);
          inserted += added;
          // Details of the rows this statement inserted. With no duplicate the new ids are
          // consecutive; otherwise find each row by its natural key and keep it if it is new.
          while (detailRow >= 0 && detailRow < i + MULTI) {
            if (added) {
              let id: number | undefined;
              if (added === MULTI) id = this.maxId - MULTI + 1 + (detailRow - i);
              else {
                const j = detailRow;
                const row = this.st.sampleId.get(this.typeMap[local], this.originMap[b.origin[j]], b.start[j], b.end[j], b.value[j], this.catMap[b.cat[j]] ?? '') as { id: number } | undefined;
                id = row && row.id > before ? row.id : undefined;
              }
              if (id !== undefined) {
                if (b.detailShared[di]) this.queueSet(id, this.detailSet(b.detailJson[di]));
                else details.run(id, b.detailJson[di]);
              }
            }
            di++;
            detailRow = nextDetail();
          }
          if (added) {
            insertedByType.set(local, (insertedByType.get(local) ?? 0) + added);
            this.touch(lo, hi);
          }
          if (added < MULTI) dupByType.set(local, (dupByType.get(local) ?? 0) + MULTI - added);
          i += MULTI;
          continue;
        }
        const z = b.zone[i];
        const res = sample.run(this.typeMap[local], this.originMap[b.origin[i]], this.deviceMap[b.device[i]] ?? 0, b.start[i], b.end[i], this.zoneMap[z], this.zoneSrc[z], null, b.value[i], this.catMap[b.cat[i]] ?? '', tag);
        if (res.changes) {
          this.maxId = Number(res.lastInsertRowid);
          inserted++;
          insertedByType.set(local, (insertedByType.get(local) ?? 0) + 1);
          this.touch(b.start[i], b.end[i]);
          if (detailRow === i) {
            if (b.detailShared[di]) this.queueSet(Number(res.lastInsertRowid), this.detailSet(b.detailJson[di]));
            else details.run(res.lastInsertRowid, b.detailJson[di]);
          }
        } else dupByType.set(local, (dupByType.get(local) ?? 0) + 1);
        if (detailRow === i) {
          di++;
          detailRow = nextDetail();
        }
        i++;
      }
      this.flushSets();
      // Days' totals (ActivitySummary): through SampleWriter, one record per day versioned by the
      // export's date, so a newer export replaces a day and an older one re-imported later
      // changes nothing.
      const exportVersion = this.summary.exportDate ? parseAppleDateString(this.summary.exportDate) : NaN;
      const byDay = new Map<number, (typeof b.daily)[number][]>();
      for (const d of b.daily) {
        const list = byDay.get(d.day);
        if (list) list.push(d);
        else byDay.set(d.day, [d]);
      }
      for (const [day, rows] of byDay) {
        const records = rows.map((d) => {
          const t = this.typeInfo[d.type];
          const o = this.originInfo[d.origin];
          return {
            rawType: t.rawType,
            metric: t.metric,
            unit: t.unit,
            origin: { name: o.name, deviceKind: o.kind },
            startMs: d.startMs,
            endMs: d.endMs,
            zone: HOME_ZONE,
            day: d.day,
            value: d.value,
            ref: `ActivitySummary:${day}`,
            refVersion: Number.isFinite(exportVersion) ? exportVersion : 0,
          };
        });
        const c = this.dayWriter.write(records, [], tag);
        inserted += c.inserted;
        // Per type: a day re-imported unchanged is all duplicates; a new or revised day counts
        // its fields as added (the writer reports the record as a whole).
        const counts = c.duplicates === rows.length ? dupByType : insertedByType;
        for (const d of rows) counts.set(d.type, (counts.get(d.type) ?? 0) + 1);
        if (c.replaced) addCounts(this.summary.notes, { 'ActivitySummary values replaced by a newer export': c.replaced });
        if (c.fromMs !== null && c.toMs !== null) this.touch(c.fromMs, c.toMs);
      }
      this.summary.samples.inserted += inserted;
      this.summary.samples.duplicates += b.n + b.daily.length - inserted;
      this.insertedTotal += inserted;
      for (const [local, n] of insertedByType) this.typeCount(this.typeName[local]).inserted += n;
      for (const [local, n] of dupByType) this.typeCount(this.typeName[local]).duplicates += n;
      for (const [name, n] of Object.entries(b.read)) this.typeCount(name).read += n;
      for (const w of b.workouts) {
        const originId = this.originMap[w.originLocal];
        const res = this.st.workout.run(
          originId,
          this.deviceMap[w.deviceLocal] ?? 0,
          w.activityType,
          w.startMs,
          w.endMs,
          this.zoneMap[w.zone],
          this.zoneSrc[w.zone],
          w.durationS,
          w.distanceKm,
          w.energyKcal,
          w.avgHeartRate,
          w.maxHeartRate,
          w.detailsJson,
          tag,
        );
        const t = this.typeCount('Workout');
        t.read++;
        if (res.changes) {
          this.summary.workouts.inserted++;
          t.inserted++;
          this.insertedTotal++;
          this.touch(w.startMs, w.endMs);
          if (w.points) this.points(Number(res.lastInsertRowid), w.points);
        } else {
          this.summary.workouts.duplicates++;
          t.duplicates++;
        }
      }
      this.count(b.rejected, b.notes);
      this.summary.state = {
        ...(this.summary.state ?? { pid: process.pid, resumeOffset: 0 }),
        resumeOffset: b.resumeOffset,
        ...(b.evidence ? { evidence: b.evidence } : {}),
      };
      this.bytes = Math.max(this.bytes, b.inputBytes);
      this.records += b.n + b.daily.length + b.workouts.length;
      this.saveJob();
    });
    run.immediate();
  }

  /** SampleWriters of the file importers' sources (one per source, sharing nothing but the connection). */
  private readonly recordWriters = new Map<string, SampleWriter>();

  /**
   * Stores a file importer's records in one transaction, through core/samples' SampleWriter (the
   * one sample writer: dedup, day grain, records by ref). Samples are written per type so the job
   * can say what each type added; a provider-style record (`ref`) is written whole, in one call.
   */
  storeRecords(m: RecordsMsg): void {
    const run = this.sql.transaction(() => {
      // A record names its own source only in a VitalSync export (many sources in one file).
      const writerOf = (source: string) => {
        let w = this.recordWriters.get(source);
        if (!w) this.recordWriters.set(source, (w = new SampleWriter(this.sql, source)));
        return w;
      };
      const groups = new Map<string, SampleRecord[]>();
      for (const r of m.samples) {
        const key = `${r.source ?? m.source}\u0000${r.ref === undefined ? `type:${r.rawType}` : `ref:${r.ref}`}`;
        const g = groups.get(key);
        if (g) g.push(r);
        else groups.set(key, [r]);
      }
      const tally = (c: WriteCounts, type: string | null) => {
        this.summary.samples.inserted += c.inserted;
        this.summary.samples.duplicates += c.duplicates;
        this.insertedTotal += c.inserted;
        if (type) {
          const t = this.typeCount(type);
          t.inserted += c.inserted;
          t.duplicates += c.duplicates;
        }
        if (c.replaced) addCounts(this.summary.notes, { 'values replaced by a newer export of the same day or record': c.replaced });
        if (c.fromMs !== null && c.toMs !== null) this.touch(c.fromMs, c.toMs);
      };
      for (const group of groups.values()) {
        const types = new Set(group.map((r) => r.rawType));
        tally(writerOf(group[0].source ?? m.source).write(group, [], this.batchTag), group[0].ref === undefined || types.size === 1 ? group[0].rawType : null);
        // A stored type's `read` is the samples offered (added + already there), unless the
        // importer counts that type's reading itself.
        for (const r of group) if (m.read[r.rawType] === undefined) this.typeCount(r.rawType).read++;
      }
      const workoutSources = new Set(m.workouts.map((r) => r.source ?? m.source));
      for (const source of workoutSources) {
        const c = writerOf(source).write([], m.workouts.filter((r) => (r.source ?? m.source) === source), this.batchTag);
        this.summary.workouts.inserted += c.inserted;
        this.summary.workouts.duplicates += c.duplicates;
        this.insertedTotal += c.inserted;
        if (c.fromMs !== null && c.toMs !== null) this.touch(c.fromMs, c.toMs);
      }
      for (const [name, n] of Object.entries(m.read)) this.typeCount(name).read += n;
      this.count(m.rejected, m.notes);
      if (m.rowErrors.length) this.summary.rowErrors = [...(this.summary.rowErrors ?? []), ...m.rowErrors].slice(0, MAX_ROW_ERRORS);
      this.bytes = Math.max(this.bytes, m.inputBytes);
      this.records += m.samples.length + m.workouts.length;
      this.saveJob();
    });
    run.immediate();
  }

  private count(rejected: Record<string, number>, notes: Record<string, number>): void {
    const r = this.summary.rejected;
    addCounts(r.reasons, rejected);
    r.total = Object.values(r.reasons).reduce((a, v) => a + v, 0);
    addCounts(this.summary.notes, notes);
  }

  private points(workoutId: number, p: RoutePoints): number {
    let added = 0;
    for (let i = 0; i < p.time.length; i++) {
      const ele = Number.isFinite(p.ele[i]) ? p.ele[i] : null;
      const speed = Number.isFinite(p.speed[i]) && p.speed[i] >= 0 ? p.speed[i] : null;
      added += this.st.point.run(workoutId, i, p.time[i], p.lat[i], p.lon[i], ele, speed).changes;
    }
    const routes = this.summary.routes;
    if (added) routes.inserted++;
    else routes.duplicates++;
    routes.points += added;
    return added;
  }

  routes(m: RoutesMsg): void {
    this.sql.transaction(() => {
      for (const r of m.routes) {
        const originId = r.originId ?? this.originMap[r.workout.originLocal];
        const row = this.st.workoutSel.get(originId, r.workout.activityType, r.workout.startMs, r.workout.endMs) as { id: number } | undefined;
        if (!row) this.count({ 'route of a workout that was not stored': 1 }, {});
        else this.points(row.id, r.points);
      }
      this.saveJob();
    }).immediate();
  }

  meta(m: MetaMsg): void {
    const s = this.summary;
    s.exportDate = m.exportDate ?? s.exportDate;
    s.exportVersion = m.exportVersion ?? s.exportVersion;
    s.locale = m.locale ?? s.locale;
    if (m.me) s.me = m.me;
    this.saveJob();
  }

  /**
   * Records the outcome, and returns the status and error written: an export of which every
   * record was rejected did not complete, whatever the parser says.
   */
  end(m: EndMsg, clock: () => number, writerMs: { busy: number; idle: number }): { status: 'completed' | 'failed' | 'cancelled'; error: string | null } {
    this.count(m.rejected, m.notes);
    const s = this.summary;
    const seconds = (ms: number) => Math.round(ms) / 1000;
    s.timing = {
      opening: seconds(m.timing.opening),
      parsing: seconds(m.timing.parsing),
      waitingForInput: seconds(m.timing.waitingForInput),
      waitingForWriter: seconds(m.timing.waitingForWriter),
      routes: seconds(m.timing.routes),
      writing: seconds(writerMs.busy),
      writerIdle: seconds(writerMs.idle),
    };
    s.routes.missing += m.routesMissing;
    s.stoppedAt = m.stoppedAt;
    s.warnings = [...new Set([...s.warnings, ...m.warnings])].slice(0, 50);
    if (m.homeZone) s.assumedHomeZone = m.homeZone;
    if (m.writtenZone) s.writtenZone = m.writtenZone;
    let status = m.outcome;
    let error = m.error;
    const read = s.samples.inserted + s.samples.duplicates + s.workouts.inserted + s.workouts.duplicates;
    const nothing = status === 'completed' && read === 0 && s.rejected.total > 0;
    if (nothing) {
      status = 'failed';
      error = nothingReadable(s.rejected, this.kind);
    }
    // A file with nothing in it (a CSV with only its header) completes, and says so: "0 added" alone
    // reads like a re-import of data already there.
    if (status === 'completed' && read === 0 && s.rejected.total === 0 && s.routes.inserted + s.routes.duplicates === 0) s.warnings = [...s.warnings, nothingInFile(this.kind)];
    // Done with this file (a failed job is never resumed: importing it again starts over).
    if (status === 'completed' || nothing) s.state = undefined;
    this.st.finish.run(JSON.stringify(s), status, error, clock(), this.bytes, this.jobId);
    return { status, error };
  }

  /** After a write failed: mark the job failed (best effort; the database may be full). */
  fail(message: string, clock: () => number): void {
    // Ids cached for rows a rolled-back transaction created are gone with it.
    this.dimIds.clear();
    try {
      this.st.finish.run(JSON.stringify(this.summary), 'failed', message, clock(), this.bytes, this.jobId);
    } catch {
      /* the main thread marks it failed instead */
    }
  }
}
