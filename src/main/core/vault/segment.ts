// Vault segments: what one computer tells the others, as plain objects before encryption.
// A data segment holds raw facts written here (samples, workouts with their routes) and
// tombstones for deletions; an intent segment holds last-writer-wins registers (intent.ts).
// Derived tables never travel: each computer rebuilds them.
//
// Samples are stored column by column (starts as deltas, dimensions as indexes into small
// tables) and the whole segment is gzip-compressed before it is encrypted: the vault is a
// fraction of the database's size. A segment holds at most SEGMENT_RECORDS records, so taking
// one in needs bounded memory whatever the vault's size.
import { gunzipSync, gzipSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { emptyCounts, addCounts, noteSourceDeletion, SampleWriter, type SampleRecord, type WorkoutRecord, type WriteCounts, type ZoneRef } from '../samples';
import type { ZoneSrc } from '../time/zones';
import { BatchTimes, vaultBatch } from './batchTime';
import type { IntentEntry } from './intent';

/** Records (samples, workouts, route points) per data segment: about 1–2 MB compressed at most. */
export const SEGMENT_RECORDS = 50_000;
/** Samples handed to the sample writer at once while taking a segment in. */
const INGEST_CHUNK = 5_000;
export const SEGMENT_VERSION = 1;

export interface Tombstone {
  kind: 'source';
  source: string;
  at: number;
}

interface Header {
  v: number;
  device: string;
  seq: number;
  createdAt: number;
}

export interface DataSegment extends Header {
  kind: 'data';
  tombstones: Tombstone[];
  /** [source, name, deviceKind] */
  origins: [string, string, string][];
  /** [source, rawType, metric, unit] */
  types: [string, string, string | null, string][];
  zones: (string | null)[];
  cats: string[];
  /** [source, ref, version] */
  refs: [string, string, number][];
  /**
   * When rows were first written on their own computer (epoch ms; vault/batchTime.ts), by index:
   * a deletion covers only rows written before it, wherever they travel.
   */
  times: number[];
  samples: {
    type: number[];
    origin: number[];
    /** Start ms as a delta from the previous sample's start (the first from 0). */
    start: number[];
    dur: number[];
    zone: number[];
    zoneSrc: number[];
    /** Epoch day of a daily total, -1 for an interval sample. */
    day: number[];
    value: number[];
    cat: number[];
    /** Index into refs, -1 for none. */
    ref: number[];
    /** Index into times. */
    time: number[];
  };
  workouts: {
    origin: number;
    activityType: string;
    startMs: number;
    endMs: number;
    zone: number;
    zoneSrc: number;
    durationS: number;
    distanceKm: number | null;
    energyKcal: number | null;
    avgHeartRate: number | null;
    maxHeartRate: number | null;
    details: string;
    /** Index into times. */
    time: number;
    /** [timeMs, lat, lon, elevationM, speedMps] per point, in order. */
    route: [number, number, number, number | null, number | null][];
  }[];
}

export interface IntentSegment extends Header {
  kind: 'intent';
  entries: IntentEntry[];
}

export type Segment = DataSegment | IntentSegment;

export function encodeSegment(s: Segment): Buffer {
  // Level 3: a third of level 6's time for a few percent more bytes (the vault is ~5% of the database).
  return gzipSync(Buffer.from(JSON.stringify(s)), { level: 3 });
}

/** The segment in `bytes` (decrypted); throws on anything that is not one this version reads. */
export function decodeSegment(bytes: Uint8Array): Segment {
  const s = JSON.parse(gunzipSync(bytes).toString('utf8')) as Segment;
  if (!s || typeof s !== 'object' || (s.kind !== 'data' && s.kind !== 'intent')) throw new Error('not a vault segment');
  if (s.v > SEGMENT_VERSION) throw new Error(`written by a newer VitalSync (segment format ${s.v}); update VitalSync on this computer`);
  return s;
}

/** Samples, workouts and route points (data), or registers (intent). */
export function recordCount(s: Segment): number {
  return s.kind === 'data' ? s.samples.type.length + s.workouts.reduce((n, w) => n + 1 + w.route.length, 0) : s.entries.length;
}

/** Where publishing has got to: rows above these ids are new. */
export interface PublishMarks {
  sample: number;
  workout: number;
  tombstone: number;
}

/** A sample row in PLAIN_COLUMNS order (better-sqlite3's raw mode: no object per row). */
type RawSample = [id: number, typeId: number, originId: number, startMs: number, endMs: number, zoneId: number, zoneSrc: number, day: number | null, value: number, category: string, batch: string];

interface RefOf {
  source: string;
  ref: string;
  version: number;
}

const PLAIN_COLUMNS = 's.id, s.type_id, s.origin_id, s.start_ms, s.end_ms, s.zone_id, s.zone_src, s.day, s.value, s.category, s.batch';

/** Builds one data segment, interning dimensions as rows are added. */
class DataBuilder {
  readonly seg: DataSegment;
  private readonly originIx = new Map<number, number>();
  private readonly typeIx = new Map<number, number>();
  private readonly zoneIx = new Map<number, number>();
  private readonly catIx = new Map<string, number>();
  private readonly refIx = new Map<string, number>();
  private readonly timeIx = new Map<number, number>();
  private lastStart = 0;

  constructor(
    private readonly dims: Dims,
    header: Header,
    tombstones: Tombstone[],
  ) {
    this.seg = {
      ...header,
      kind: 'data',
      tombstones,
      origins: [],
      types: [],
      zones: [],
      cats: [],
      refs: [],
      times: [],
      samples: { type: [], origin: [], start: [], dur: [], zone: [], zoneSrc: [], day: [], value: [], cat: [], ref: [], time: [] },
      workouts: [],
    };
  }

  /** Records held, a route point counting as one (a long history of routes must not make one huge segment). */
  size = 0;

  private intern<K>(map: Map<K, number>, key: K, list: unknown[], make: () => unknown): number {
    let ix = map.get(key);
    if (ix === undefined) {
      ix = list.length;
      list.push(make());
      map.set(key, ix);
    }
    return ix;
  }

  origin(id: number): number {
    return this.intern(this.originIx, id, this.seg.origins, () => this.dims.origin(id));
  }

  zone(id: number): number {
    return this.intern(this.zoneIx, id, this.seg.zones, () => this.dims.zone(id));
  }

  /** Index of a write time in the segment's times. */
  time(t: number): number {
    let ix = this.timeIx.get(t);
    if (ix === undefined) {
      ix = this.seg.times.length;
      this.seg.times.push(t);
      this.timeIx.set(t, ix);
    }
    return ix;
  }

  /** A sample as a raw row (PLAIN_COLUMNS order), written at `written`, with its provider record when it has one. */
  addSample(r: RawSample, ref: RefOf | undefined, written: number): void {
    this.size++;
    const s = this.seg.samples;
    const [, typeId, originId, startMs, endMs, zoneId, zoneSrc, day, value, category] = r;
    let t = this.typeIx.get(typeId);
    if (t === undefined) t = this.intern(this.typeIx, typeId, this.seg.types, () => this.dims.type(typeId));
    s.type.push(t);
    s.origin.push(this.origin(originId));
    s.start.push(startMs - this.lastStart);
    this.lastStart = startMs;
    s.dur.push(endMs - startMs);
    s.zone.push(this.zone(zoneId));
    s.zoneSrc.push(zoneSrc);
    s.day.push(day ?? -1);
    s.value.push(value);
    let c = this.catIx.get(category);
    if (c === undefined) c = this.intern(this.catIx, category, this.seg.cats, () => category);
    s.cat.push(c);
    s.ref.push(ref ? this.intern(this.refIx, `${ref.source}\u0000${ref.ref}`, this.seg.refs, () => [ref.source, ref.ref, ref.version]) : -1);
    s.time.push(this.time(written));
  }
}

/** The dimension tables (origins, sample types, zones) by id, read once per publish pass. */
class Dims {
  private readonly origins: Map<number, [string, string, string]>;
  private readonly types: Map<number, [string, string, string | null, string]>;
  private readonly zones: Map<number, string>;

  constructor(sql: Database.Database) {
    this.origins = new Map(
      (sql.prepare('SELECT id, source, name, device_kind AS kind FROM origins').all() as { id: number; source: string; name: string; kind: string }[]).map((o) => [o.id, [o.source, o.name, o.kind]]),
    );
    this.types = new Map(
      (sql.prepare('SELECT id, source, raw_type AS raw, metric, unit FROM sample_types').all() as { id: number; source: string; raw: string; metric: string | null; unit: string }[]).map((t) => [
        t.id,
        [t.source, t.raw, t.metric, t.unit],
      ]),
    );
    this.zones = new Map((sql.prepare('SELECT id, name FROM zones').all() as { id: number; name: string }[]).map((z) => [z.id, z.name]));
  }

  origin(id: number): [string, string, string] {
    const o = this.origins.get(id);
    if (!o) throw new Error(`origin ${id} is missing`);
    return o;
  }

  type(id: number): [string, string, string | null, string] {
    const t = this.types.get(id);
    if (!t) throw new Error(`sample type ${id} is missing`);
    return t;
  }

  /** null = the home zone (id 0). */
  zone(id: number): string | null {
    return id === 0 ? null : (this.zones.get(id) ?? null);
  }
}

/**
 * The data segments holding what was written here above `marks` (never rows taken in from the
 * vault, whose batch is `vault:…`), SEGMENT_RECORDS records at most each, with the marks to
 * save once each is safely in the vault. A sample that is part of a provider record brings the
 * whole record, as it stands now: taken in elsewhere, a record replaces its earlier version.
 */
export function* collectData(sql: Database.Database, marks: PublishMarks, header: () => Header): Generator<{ segment: DataSegment; marks: PublishMarks }> {
  const tombstones = sql.prepare('SELECT id, kind, source, at FROM vault_tombstones WHERE id > ? ORDER BY id').all(marks.tombstone) as (Tombstone & { id: number })[];
  const dims = new Dims(sql);
  const times = new BatchTimes(sql);
  // Samples without their refs, then the refs of the page's id range (one range scan): most
  // samples belong to no provider record, and a join probed sample_refs for each of them.
  const page = sql.prepare(`SELECT ${PLAIN_COLUMNS} FROM samples s WHERE s.id > ? AND s.batch NOT LIKE 'vault:%' ORDER BY s.id LIMIT 10000`).raw(true);
  const pageRefs = sql.prepare('SELECT sample_id AS id, source, ref, version FROM sample_refs WHERE sample_id BETWEEN ? AND ?');
  const recordRows = sql.prepare(`SELECT ${PLAIN_COLUMNS} FROM sample_refs r JOIN samples s ON s.id = r.sample_id WHERE r.source = ? AND r.ref = ? ORDER BY s.id`).raw(true);
  const workoutPage = sql.prepare(
    `SELECT id, origin_id AS originId, activity_type AS activityType, start_ms AS startMs, end_ms AS endMs, zone_id AS zoneId, zone_src AS zoneSrc,
       duration_s AS durationS, distance_km AS distanceKm, energy_kcal AS energyKcal, avg_heart_rate AS avgHeartRate, max_heart_rate AS maxHeartRate,
       details_json AS details, batch
     FROM workouts WHERE id > ? AND batch NOT LIKE 'vault:%' ORDER BY id LIMIT 500`,
  );
  const route = sql.prepare('SELECT time_ms AS t, lat, lon, elevation_m AS ele, speed_mps AS speed FROM route_points WHERE workout_id = ? ORDER BY seq');

  const current = { ...marks, tombstone: tombstones.at(-1)?.id ?? marks.tombstone };
  let b = new DataBuilder(dims, header(), tombstones.map(({ kind, source, at }) => ({ kind, source, at })));
  let dirty = tombstones.length > 0;
  const sentRecords = new Set<string>();
  const full = () => b.size >= SEGMENT_RECORDS;
  // Something of `weight` records that would not fit goes to the next segment (alone, if it is bigger than one).
  const noRoomFor = (weight: number) => b.size > 0 && b.size + weight > SEGMENT_RECORDS;
  const flush = function* (): Generator<{ segment: DataSegment; marks: PublishMarks }> {
    if (!dirty) return;
    yield { segment: b.seg, marks: { ...current } };
    b = new DataBuilder(dims, header(), []);
    dirty = false;
  };

  for (;;) {
    const rows = page.all(current.sample) as RawSample[];
    if (!rows.length) break;
    const refs = new Map((pageRefs.all(rows[0][0], rows[rows.length - 1][0]) as (RefOf & { id: number })[]).map((x) => [x.id, x]));
    for (const r of rows) {
      const ref = refs.get(r[0]);
      if (ref) {
        const key = `${ref.source}\u0000${ref.ref}`;
        if (!sentRecords.has(key)) {
          sentRecords.add(key);
          const record = recordRows.all(ref.source, ref.ref) as RawSample[];
          if (noRoomFor(record.length)) yield* flush();
          // A record is one fact: it travels with the time of its latest version.
          const written = Math.max(...record.map((x) => times.of(x[10])));
          for (const x of record) b.addSample(x, ref, written);
          dirty = true;
        }
      } else {
        b.addSample(r, undefined, times.of(r[10]));
        dirty = true;
      }
      current.sample = r[0];
      if (full()) yield* flush();
    }
  }
  for (;;) {
    const rows = workoutPage.all(current.workout) as (Omit<DataSegment['workouts'][number], 'origin' | 'zone' | 'route' | 'time'> & { id: number; originId: number; zoneId: number; batch: string })[];
    if (!rows.length) break;
    for (const w of rows) {
      const points = route.all(w.id) as { t: number; lat: number; lon: number; ele: number | null; speed: number | null }[];
      if (noRoomFor(1 + points.length)) yield* flush();
      b.size += 1 + points.length;
      b.seg.workouts.push({
        origin: b.origin(w.originId),
        activityType: w.activityType,
        startMs: w.startMs,
        endMs: w.endMs,
        zone: b.zone(w.zoneId),
        zoneSrc: w.zoneSrc,
        durationS: w.durationS,
        distanceKm: w.distanceKm,
        energyKcal: w.energyKcal,
        avgHeartRate: w.avgHeartRate,
        maxHeartRate: w.maxHeartRate,
        details: w.details,
        time: b.time(times.of(w.batch)),
        route: points.map((p) => [p.t, p.lat, p.lon, p.ele, p.speed]),
      });
      dirty = true;
      current.workout = w.id;
      if (full()) yield* flush();
    }
  }
  yield* flush();
}

/** What taking in a data segment did (or would do, when it is held). */
export interface IngestOutcome {
  status: 'ingested' | 'held';
  counts: WriteCounts;
  /** Rows its tombstones deleted here (or would delete, when held). */
  deletes: number;
  /** The sources its tombstones name. */
  deletedSources: string[];
}

/** Share of this computer's rows above which a segment's deletions wait for the person (Joplin's fail-safe). */
export const DELETE_HOLD_SHARE = 0.1;

/**
 * The batches of a source's rows here that were written before `at` (epoch ms; BatchTimes): a
 * tombstone deletes what its device had when the person deleted it, never what another
 * computer wrote later (a laptop offline for a week keeps that week).
 */
function batchesBefore(sql: Database.Database, times: BatchTimes, source: string, at: number): string[] {
  const rows = sql
    .prepare(
      `SELECT DISTINCT batch FROM samples WHERE origin_id IN (SELECT id FROM origins WHERE source = ?)
       UNION SELECT DISTINCT batch FROM workouts WHERE origin_id IN (SELECT id FROM origins WHERE source = ?)`,
    )
    .all(source, source) as { batch: string }[];
  return rows.map((r) => r.batch).filter((batch) => times.of(batch) < at);
}

/**
 * Takes a data segment in through the single sample writer (idempotent: the natural keys), in
 * the caller's transaction. Its tombstones are applied first, each to the rows written before
 * it (batchesBefore); when they would delete more than DELETE_HOLD_SHARE of the rows here and
 * `confirmed` is false, nothing is done and the segment is held.
 */
export function ingestData(sql: Database.Database, seg: DataSegment, confirmed: boolean): IngestOutcome {
  const times = new BatchTimes(sql);
  const doomed = seg.tombstones.map((t) => ({ source: t.source, batches: JSON.stringify(batchesBefore(sql, times, t.source, t.at)) }));
  const inBatches = `origin_id IN (SELECT id FROM origins WHERE source = ?) AND batch IN (SELECT value FROM json_each(?))`;
  const countOf = sql.prepare(`SELECT (SELECT count(*) FROM samples WHERE ${inBatches}) + (SELECT count(*) FROM workouts WHERE ${inBatches}) AS n`);
  let deletes = 0;
  for (const d of doomed) deletes += (countOf.get(d.source, d.batches, d.source, d.batches) as { n: number }).n;
  const sources = [...new Set(seg.tombstones.map((t) => t.source))];
  if (deletes > 0 && !confirmed) {
    const total = (sql.prepare('SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM workouts) AS n').get() as { n: number }).n;
    if (deletes > total * DELETE_HOLD_SHARE) return { status: 'held', counts: emptyCounts(), deletes, deletedSources: sources };
  }
  let counts = emptyCounts();
  const delSamples = sql.prepare(`DELETE FROM samples WHERE ${inBatches}`);
  const delWorkouts = sql.prepare(`DELETE FROM workouts WHERE ${inBatches}`);
  for (const d of doomed) {
    delSamples.run(d.source, d.batches);
    delWorkouts.run(d.source, d.batches);
  }
  for (const t of seg.tombstones) noteSourceDeletion(sql, t.source, t.at);
  // Rows written before the latest deletion of their source (here or taken in) stay deleted,
  // even when a computer that had not heard of the deletion yet sends them now.
  const deletedAt = new Map((sql.prepare('SELECT source, at FROM source_deletions').all() as { source: string; at: number }[]).map((r) => [r.source, r.at]));
  const deleted = (source: string, timeIx: number) => (seg.times?.[timeIx] ?? seg.createdAt) < (deletedAt.get(source) ?? -Infinity);
  const batchOf = (timeIx: number) => vaultBatch(seg.device, seg.seq, seg.times?.[timeIx] ?? seg.createdAt);

  const writers = new Map<string, SampleWriter>();
  const writer = (source: string) => {
    let w = writers.get(source);
    if (!w) writers.set(source, (w = new SampleWriter(sql, source)));
    return w;
  };
  // Samples are written INGEST_CHUNK at a time (never splitting a provider record, whose rows
  // must be written together), with one origin and zone object per distinct value: taking a
  // segment in allocates little, so memory stays flat whatever the vault's size.
  const origins = seg.origins.map(([, name, deviceKind]) => ({ name, deviceKind }));
  const zones = new Map<number, ZoneRef>();
  const zoneOf = (ix: number, src: number) => {
    const k = ix * 8 + src;
    let z = zones.get(k);
    if (!z) zones.set(k, (z = { name: seg.zones[ix], src: src as ZoneSrc }));
    return z;
  };
  // By source and write time: each write call stores one batch.
  const bySource = new Map<string, { source: string; batch: string; list: SampleRecord[] }>();
  let pending = 0;
  const flushSamples = () => {
    for (const g of bySource.values()) counts = addCounts(counts, writer(g.source).write(g.list, [], g.batch));
    bySource.clear();
    pending = 0;
  };
  const s = seg.samples;
  let start = 0;
  for (let i = 0; i < s.type.length; i++) {
    if (pending >= INGEST_CHUNK && (s.ref[i] < 0 || s.ref[i] !== s.ref[i - 1])) flushSamples();
    start += s.start[i];
    const [source, rawType, metric, unit] = seg.types[s.type[i]];
    const timeIx = s.time?.[i] ?? -1;
    if (deleted(source, timeIx)) continue;
    const ref = s.ref[i] >= 0 ? seg.refs[s.ref[i]] : null;
    const rec: SampleRecord = {
      rawType,
      metric,
      unit,
      origin: origins[s.origin[i]],
      startMs: start,
      endMs: start + s.dur[i],
      zone: zoneOf(s.zone[i], s.zoneSrc[i]),
      day: s.day[i] >= 0 ? s.day[i] : null,
      value: s.value[i],
      category: seg.cats[s.cat[i]],
      ...(ref ? { ref: ref[1], refVersion: ref[2] } : {}),
    };
    const k = `${source}\u0000${timeIx}`;
    const group = bySource.get(k);
    if (group) group.list.push(rec);
    else bySource.set(k, { source, batch: batchOf(timeIx), list: [rec] });
    pending++;
  }
  flushSamples();
  const workoutsBySource = new Map<string, { rec: WorkoutRecord; route: DataSegment['workouts'][number]['route']; batch: string }[]>();
  for (const w of seg.workouts) {
    const [source, name, deviceKind] = seg.origins[w.origin];
    if (deleted(source, w.time ?? -1)) continue;
    const rec: WorkoutRecord = {
      origin: { name, deviceKind },
      activityType: w.activityType,
      startMs: w.startMs,
      endMs: w.endMs,
      zone: { name: seg.zones[w.zone], src: w.zoneSrc as ZoneSrc },
      durationS: w.durationS,
      distanceKm: w.distanceKm,
      energyKcal: w.energyKcal,
      avgHeartRate: w.avgHeartRate,
      maxHeartRate: w.maxHeartRate,
      details: JSON.parse(w.details) as Record<string, unknown>,
    };
    const list = workoutsBySource.get(source);
    const item = { rec, route: w.route, batch: batchOf(w.time ?? -1) };
    if (list) list.push(item);
    else workoutsBySource.set(source, [item]);
  }
  const findWorkout = sql.prepare('SELECT id FROM workouts WHERE origin_id = ? AND activity_type = ? AND start_ms = ? AND end_ms = ?');
  const hasRoute = sql.prepare('SELECT 1 FROM route_points WHERE workout_id = ? LIMIT 1');
  const point = sql.prepare('INSERT OR IGNORE INTO route_points (workout_id, seq, time_ms, lat, lon, elevation_m, speed_mps) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const [source, ws] of workoutsBySource) {
    const w = writer(source);
    for (const { rec, batch } of ws) counts = addCounts(counts, w.write([], [rec], batch));
    for (const { rec, route } of ws) {
      if (!route.length) continue;
      const originId = w.dims.origin(source, rec.origin.name, rec.origin.deviceKind);
      const row = findWorkout.get(originId, rec.activityType, rec.startMs, rec.endMs) as { id: number } | undefined;
      // A route already here (the same export imported on both computers) is kept as it is.
      if (row && !hasRoute.get(row.id)) route.forEach((p, seq) => point.run(row.id, seq, p[0], p[1], p[2], p[3], p[4]));
    }
  }
  return { status: 'ingested', counts, deletes, deletedSources: sources };
}
