// The export domain's front (DESIGN.md "your data is yours"): merged daily values with their
// provenance, or raw samples, as CSV, JSON or a FHIR R4 bundle; or the whole database as a
// SQLite copy made with SQLite's online backup API. Every text format is streamed (a piece of
// 64 KiB at a time), so an export of any size never sits in memory. Merged values come from
// core/derived/query.ts (the dashboard's numbers); nothing here merges on its own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { getMetric, METRIC_IDS } from '../../../shared/catalog';
import { ERROR_CODES, ExportRequestSchema, type ExportRequest, type ExportResult, type Series } from '../../../shared/contract';
import { AppError, invalidInput } from '../errors';
import type { Handlers } from '../handlers';
import type { Core } from '../index';
import { loadZoneClock, typeIdsByMetric } from '../derived/build';
import { dayRange, series, type QueryCtx } from '../derived/query';
import { formatDay, resolveHomeZone } from '../time/zones';
import { bpObservation, deviceEntry, mergedObservation, rawEffective, rawObservation, sharesNote, type BundleEntry, type DeviceRef } from './fhir';
import { BP_METRICS, fhirWritable } from './loinc';
import { csvLine, isoWithOffset, TextOut } from './out';
import { RAW_CSV_COLUMNS, zoneSourceName } from './columns';
import { rawRows, type RawRow } from './raw';

export { RAW_CSV_COLUMNS } from './columns';

export type ExportCore = Pick<Core, 'db' | 'dbFile' | 'dataDir' | 'prefs' | 'derived' | 'deps' | 'settings' | 'events'>;

/** Where an export goes: a file (written beside it first, then renamed) or a stream (a download). */
export type ExportTarget = { kind: 'file'; path: string } | { kind: 'stream'; stream: Writable };

export const MERGED_CSV_COLUMNS = ['metric', 'day', 'value', 'unit', 'min', 'max', 'excluded', 'sources', 'stages'] as const;

const PROGRESS_EVERY = 50_000;

type Parsed = ReturnType<typeof ExportRequestSchema.parse>;

/** A file name for an export: `vitalsync-merged-2026-03-01-to-2026-03-31.csv`, `vitalsync-2026-04-02.sqlite`. */
export function suggestedFileName(request: ExportRequest, today = new Date().toISOString().slice(0, 10)): string {
  const r = ExportRequestSchema.parse(request);
  if (r.format === 'sqlite') return `vitalsync-${today}.sqlite`;
  const span = r.from && r.to ? `${r.from}-to-${r.to}` : `all-${today}`;
  const ext = r.format === 'csv' ? 'csv' : r.format === 'json' ? 'json' : 'fhir.json';
  return `vitalsync-${r.values}-${span}.${ext}`;
}

/** The MIME type a download of this format is sent with. */
export function contentType(format: Parsed['format']): string {
  return format === 'csv' ? 'text/csv; charset=utf-8' : format === 'json' ? 'application/json; charset=utf-8' : format === 'fhir' ? 'application/fhir+json; charset=utf-8' : 'application/vnd.sqlite3';
}

/**
 * Writes an export. Throws INVALID_INPUT for a bad range or path, UNAVAILABLE when the file
 * cannot be written (with what to do); a file target is never left half-written.
 */
export async function runExport(core: ExportCore, request: ExportRequest, target: ExportTarget): Promise<ExportResult> {
  const r = ExportRequestSchema.parse(request);
  const range = checkRange(r);
  const started = performance.now();
  if (target.kind === 'file') checkOutPath(core, target.path);
  if (r.format === 'sqlite') return backup(core, target, started);

  const metrics = r.metrics?.length ? [...new Set(r.metrics)] : [...METRIC_IDS];
  const id = crypto.randomBytes(6).toString('hex');
  let file: { tmp: string; stream: fs.WriteStream } | null = null;
  let stream: Writable;
  if (target.kind === 'file') {
    const tmp = `${target.path}.partial-${id}`;
    file = { tmp, stream: fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 }) };
    await openFailure(file.stream, target.path);
    stream = file.stream;
  } else stream = target.stream;
  const out = new TextOut(stream);
  const progress = (done: number) => core.events.emit('export:progress', { id, done, total: null, unit: 'rows' });
  try {
    const res =
      r.values === 'merged'
        ? await writeMerged(core, out, r.format, metrics, range, progress)
        : await withSnapshot(core, (conn) => writeRaw(core, conn, out, r.format, metrics, range, progress));
    await out.end();
    if (file && target.kind === 'file') await fs.promises.rename(file.tmp, target.path);
    return { path: target.kind === 'file' ? target.path : '', format: r.format, values: r.values, rows: res.rows, bytes: out.bytes, ms: Math.round(performance.now() - started), omitted: res.omitted };
  } catch (err) {
    if (file) {
      file.stream.destroy();
      await fs.promises.rm(file.tmp, { force: true });
    }
    throw writeError(err, target);
  }
}

/** The request's range as local epoch days (null: everything); throws INVALID_INPUT, saying what to give. */
export function checkRange(r: { from?: string; to?: string }): { from: number; to: number } | null {
  if ((r.from === undefined) !== (r.to === undefined)) throw invalidInput('Give both ends of the range (from and to), or neither to export everything.');
  return r.from && r.to ? dayRange(r.from, r.to) : null;
}

function checkOutPath(core: ExportCore, out: string): void {
  if (!path.isAbsolute(out)) throw invalidInput(`"${out}" is not an absolute path; give the full path of the file to write.`);
  const resolved = path.resolve(out);
  for (const f of [core.dbFile, `${core.dbFile}-wal`, `${core.dbFile}-shm`]) {
    if (resolved === path.resolve(f)) throw invalidInput('That is VitalSync’s own database file; choose another place for the export.');
  }
  const dir = path.dirname(resolved);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw invalidInput(`The folder ${dir} does not exist; create it or choose another.`);
  if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory()) throw invalidInput(`${resolved} is a folder; give the name of the file to write.`);
}

/** Resolves once a file stream is open; rejects with a readable error when it cannot be. */
function openFailure(stream: fs.WriteStream, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err) => reject(writeError(err, { kind: 'file', path: out })));
  });
}

function writeError(err: unknown, target: ExportTarget): Error {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (target.kind === 'file' && code) {
    const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'VitalSync may not write there' : code === 'EROFS' ? 'that disk is read-only' : `the system said ${code}`;
    return new AppError(ERROR_CODES.unavailable, `The export could not be written to ${target.path}: ${why}. Choose another folder, or free some space, and export again.`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Runs `fn` on a read-only connection of its own inside one read transaction: every row comes
 * from the same moment of the database, and the app's connection stays free meanwhile.
 */
async function withSnapshot<T>(core: ExportCore, fn: (conn: Database.Database) => Promise<T>): Promise<T> {
  const conn = new Database(core.dbFile, { readonly: true, fileMustExist: true });
  try {
    conn.pragma('busy_timeout = 5000');
    conn.exec('BEGIN');
    try {
      return await fn(conn);
    } finally {
      conn.exec('COMMIT');
    }
  } finally {
    conn.close();
  }
}

interface Written {
  rows: number;
  omitted: string[];
}

// ---------- merged ----------

function queryCtx(core: ExportCore): QueryCtx {
  return { sql: core.db.$client, prefs: core.prefs, now: core.deps.clock(), homeZone: core.settings.get().homeTimeZone };
}

/** The merged series of each metric with data in the range (or in all days when no range is given). */
function* mergedSeries(core: ExportCore, metrics: string[], range: { from: number; to: number } | null): Generator<Series> {
  core.derived.ensureFresh(metrics);
  const ctx = queryCtx(core);
  for (const metric of metrics) {
    let span = range;
    if (!span) {
      const row = core.db.$client.prepare('SELECT min(day) AS lo, max(day) AS hi FROM derived_daily WHERE metric = ?').get(metric) as { lo: number | null; hi: number | null };
      if (row.lo === null || row.hi === null) continue;
      span = { from: row.lo, to: row.hi };
    }
    const s = series(ctx, metric, formatDay(span.from), formatDay(span.to), 'day');
    if (s.buckets.length) yield s;
  }
}

const provenance = (b: Series['buckets'][number]) => b.sources.map((s) => ({ source: s.source, origin: s.origin, share: s.share }));

async function writeMerged(core: ExportCore, out: TextOut, format: Parsed['format'], metrics: string[], range: { from: number; to: number } | null, progress: (n: number) => void): Promise<Written> {
  let rows = 0;
  const tick = () => ++rows % PROGRESS_EVERY === 0 && progress(rows);
  if (format === 'csv') {
    await out.write(csvLine([...MERGED_CSV_COLUMNS]));
    for (const s of mergedSeries(core, metrics, range))
      for (const b of s.buckets) {
        await out.write(csvLine([s.metric, b.start, b.value, s.unit, b.min, b.max, b.excluded, JSON.stringify(provenance(b)), b.stages ? JSON.stringify(b.stages) : '']));
        tick();
      }
    return { rows, omitted: [] };
  }
  if (format === 'json') {
    await out.write(`{"format":"vitalsync-export","version":1,"values":"merged","from":${JSON.stringify(range ? formatDay(range.from) : null)},"to":${JSON.stringify(range ? formatDay(range.to) : null)},"exportedAt":${JSON.stringify(new Date(core.deps.clock()).toISOString())},"metrics":[`);
    let first = true;
    for (const s of mergedSeries(core, metrics, range)) {
      await out.write(`${first ? '' : ','}\n{"metric":${JSON.stringify(s.metric)},"label":${JSON.stringify(getMetric(s.metric)?.label ?? s.metric)},"unit":${JSON.stringify(s.unit)},"days":[`);
      first = false;
      let firstDay = true;
      for (const b of s.buckets) {
        const day = { day: b.start, value: b.value, ...(b.min !== undefined ? { min: b.min, max: b.max } : {}), excluded: b.excluded, sources: provenance(b), ...(b.stages ? { stages: b.stages } : {}), ...(b.sessions ? { sessions: b.sessions } : {}) };
        await out.write(`${firstDay ? '' : ','}\n${JSON.stringify(day)}`);
        firstDay = false;
        tick();
      }
      await out.write(']}');
    }
    await out.write('\n]}\n');
    return { rows, omitted: [] };
  }
  // FHIR
  const bundle = new BundleWriter(out, core.deps.clock());
  await bundle.open();
  const omitted: string[] = [];
  const bp = new Map<string, { sys?: Series['buckets'][number]; dia?: Series['buckets'][number]; legend: Series['legend'] }>();
  for (const s of mergedSeries(core, metrics, range)) {
    if ((BP_METRICS as readonly string[]).includes(s.metric)) {
      for (const b of s.buckets) {
        const cur = bp.get(b.start) ?? { legend: [] };
        if (s.metric === 'blood_pressure_systolic') cur.sys = b;
        else cur.dia = b;
        cur.legend = [...cur.legend, ...s.legend];
        bp.set(b.start, cur);
      }
      continue;
    }
    if (!fhirWritable(s.metric, 'merged')) {
      omitted.push(s.metric);
      continue;
    }
    for (const b of s.buckets) {
      const dev = await bundle.deviceFor(topSource(b, s.legend));
      const obs = mergedObservation(s.metric, b, dev);
      if (obs) await bundle.add(obs);
      tick();
    }
  }
  for (const [day, pair] of [...bp].sort((a, b) => a[0].localeCompare(b[0]))) {
    const main = pair.sys ?? pair.dia!;
    const dev = await bundle.deviceFor(topSource(main, pair.legend));
    await bundle.add(bpObservation(pair.sys?.value ?? null, pair.dia?.value ?? null, dev, { effectiveDateTime: day }, sharesNote(main)));
    tick();
  }
  await bundle.close();
  return { rows: bundle.observations, omitted };
}

/** The origin that supplied most of a merged value, with its device kind from the legend. */
function topSource(b: Series['buckets'][number], legend: Series['legend']): { source: string; origin: string; deviceKind: string } {
  const top = b.sources.reduce((a, s) => (s.share > a.share ? s : a), b.sources[0]);
  const kind = legend.find((l) => l.originId === top?.originId)?.deviceKind ?? 'unknown';
  return { source: top?.source ?? 'unknown', origin: top?.origin ?? 'unknown', deviceKind: kind };
}

/** A Bundle (type collection) written entry by entry; Device entries the first time an origin is named. */
class BundleWriter {
  private first = true;
  private readonly devices = new Map<string, DeviceRef>();
  observations = 0;

  constructor(
    private readonly out: TextOut,
    private readonly now: number,
  ) {}

  async open(): Promise<void> {
    await this.out.write(`{"resourceType":"Bundle","type":"collection","timestamp":${JSON.stringify(new Date(this.now).toISOString())},"meta":{"source":"urn:vitalsync"},"entry":[`);
  }

  private async entry(e: BundleEntry): Promise<void> {
    await this.out.write(`${this.first ? '' : ','}\n${JSON.stringify(e)}`);
    this.first = false;
  }

  async deviceFor(o: { source: string; origin: string; deviceKind: string }): Promise<DeviceRef> {
    const key = `${o.source}\u0000${o.origin}`;
    let ref = this.devices.get(key);
    if (!ref) {
      const e = deviceEntry(o.source, o.origin, o.deviceKind);
      ref = { reference: e.fullUrl, display: o.origin, source: o.source };
      this.devices.set(key, ref);
      await this.entry(e);
    }
    return ref;
  }

  async add(resource: Record<string, unknown>): Promise<void> {
    this.observations++;
    await this.entry({ fullUrl: `urn:uuid:${crypto.randomUUID()}`, resource });
  }

  async close(): Promise<void> {
    await this.out.write('\n]}\n');
  }
}

// ---------- raw ----------

async function writeRaw(core: ExportCore, conn: Database.Database, out: TextOut, format: Parsed['format'], metrics: string[], range: { from: number; to: number } | null, progress: (n: number) => void): Promise<Written> {
  const clock = loadZoneClock(conn, resolveHomeZone(core.settings.get().homeTimeZone));
  const q = { metrics, from: range?.from ?? null, to: range?.to ?? null };
  let rows = 0;
  const tick = () => ++rows % PROGRESS_EVERY === 0 && progress(rows);
  if (format === 'csv') {
    await out.write(csvLine([...RAW_CSV_COLUMNS]));
    for (const r of rawRows(conn, clock, q)) {
      await out.write(csvLine(rawCells(r)));
      tick();
    }
    return { rows, omitted: [] };
  }
  if (format === 'json') {
    const home = core.settings.get().homeTimeZone;
    await out.write(
      `{"format":"vitalsync-export","version":1,"values":"raw","from":${JSON.stringify(range ? formatDay(range.from) : null)},"to":${JSON.stringify(range ? formatDay(range.to) : null)},"homeTimeZone":${JSON.stringify(home)},"exportedAt":${JSON.stringify(new Date(core.deps.clock()).toISOString())},"samples":[`,
    );
    let first = true;
    for (const r of rawRows(conn, clock, q)) {
      await out.write(`${first ? '' : ','}\n${JSON.stringify(rawJson(r))}`);
      first = false;
      tick();
    }
    await out.write('\n]}\n');
    return { rows, omitted: [] };
  }
  // FHIR: blood-pressure halves are paired by origin and time into one panel each.
  const bundle = new BundleWriter(out, core.deps.clock());
  await bundle.open();
  const writable = metrics.filter((m) => fhirWritable(m, 'raw') && !(BP_METRICS as readonly string[]).includes(m));
  const omitted = metrics.filter((m) => !fhirWritable(m, 'raw') && hasData(conn, m));
  const dayText = (d: number) => formatDay(d);
  const device = (r: RawRow) => bundle.deviceFor({ source: r.source, origin: r.origin, deviceKind: r.deviceKind });
  for (const r of rawRows(conn, clock, { ...q, metrics: writable })) {
    const obs = rawObservation(r, await device(r), dayText);
    if (obs) await bundle.add(obs);
    tick();
  }
  if (metrics.some((m) => (BP_METRICS as readonly string[]).includes(m))) {
    const key = (r: RawRow) => `${r.source}\u0000${r.origin}\u0000${r.startMs}\u0000${r.endMs}`;
    const diastolic = new Map<string, RawRow>();
    if (metrics.includes('blood_pressure_diastolic')) for (const r of rawRows(conn, clock, { ...q, metrics: ['blood_pressure_diastolic'] })) diastolic.set(key(r), r);
    if (metrics.includes('blood_pressure_systolic'))
      for (const r of rawRows(conn, clock, { ...q, metrics: ['blood_pressure_systolic'] })) {
        const d = diastolic.get(key(r));
        diastolic.delete(key(r));
        await bundle.add(bpObservation(r.value, d?.value ?? null, await device(r), rawEffective(r, dayText)));
        tick();
      }
    for (const d of diastolic.values()) {
      await bundle.add(bpObservation(null, d.value, await device(d), rawEffective(d, dayText)));
      tick();
    }
  }
  await bundle.close();
  return { rows: bundle.observations, omitted };
}

function hasData(conn: Database.Database, metric: string): boolean {
  if (metric === 'workouts') return !!conn.prepare('SELECT 1 FROM workouts LIMIT 1').get();
  const ids = typeIdsByMetric(conn).get(metric) ?? [];
  return ids.some((id) => !!conn.prepare('SELECT 1 FROM samples WHERE type_id = ? LIMIT 1').get(id));
}

const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : v);

function rawCells(r: RawRow): (string | number)[] {
  const w = r.workout;
  return [
    r.metric,
    r.source,
    r.origin,
    r.deviceKind,
    r.device,
    r.rawType,
    r.unit,
    isoWithOffset(r.startMs, r.offsetMin),
    isoWithOffset(r.endMs, r.offsetMin),
    r.day === null ? '' : formatDay(r.day),
    r.zone ?? '',
    zoneSourceName(r.zoneSrc),
    r.value,
    r.category,
    num(w?.durationS),
    num(w?.distanceKm),
    num(w?.energyKcal),
    num(w?.avgHeartRate),
    num(w?.maxHeartRate),
  ];
}

function rawJson(r: RawRow) {
  return {
    metric: r.metric,
    source: r.source,
    origin: r.origin,
    deviceKind: r.deviceKind,
    ...(r.device ? { device: r.device } : {}),
    rawType: r.rawType,
    unit: r.unit,
    start: isoWithOffset(r.startMs, r.offsetMin),
    end: isoWithOffset(r.endMs, r.offsetMin),
    day: r.day === null ? null : formatDay(r.day),
    zone: r.zone,
    zoneSource: zoneSourceName(r.zoneSrc),
    value: r.value,
    ...(r.category ? { category: r.category } : {}),
    ...(r.workout ? { workout: r.workout } : {}),
  };
}

// ---------- SQLite ----------

/**
 * The whole database through SQLite's online backup API: consistent while imports and syncs
 * write (a plain file copy of a WAL database can miss committed pages or tear). The copy is
 * switched out of WAL mode, so it is one self-contained file.
 */
async function backup(core: ExportCore, target: ExportTarget, started: number): Promise<ExportResult> {
  const id = crypto.randomBytes(6).toString('hex');
  let tmp: string;
  if (target.kind === 'file') tmp = `${target.path}.partial-${id}`;
  else {
    const dir = path.join(core.dataDir, 'exports-tmp');
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    tmp = path.join(dir, `${id}.sqlite`);
  }
  try {
    const res = await core.db.$client.backup(tmp, {
      progress: ({ totalPages, remainingPages }) => {
        core.events.emit('export:progress', { id, done: totalPages - remainingPages, total: totalPages, unit: 'pages' });
        return 2000;
      },
    });
    const pages = res.totalPages;
    const copy = new Database(tmp);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    await fs.promises.chmod(tmp, 0o600).catch(() => {});
    const bytes = (await fs.promises.stat(tmp)).size;
    if (target.kind === 'file') await fs.promises.rename(tmp, target.path);
    else await pipeline(fs.createReadStream(tmp), target.stream);
    return { path: target.kind === 'file' ? target.path : '', format: 'sqlite', values: 'raw', rows: pages, bytes, ms: Math.round(performance.now() - started), omitted: [] };
  } catch (err) {
    throw writeError(err, target);
  } finally {
    // After a rename there is nothing left to remove; after a failure, the partial copy.
    await fs.promises.rm(tmp, { force: true });
  }
}

/** The export channels. `export:save` needs a save dialog: the desktop app replaces it (electron/exportDialog.ts). */
export function exportHandlers(core: ExportCore): Pick<Handlers, 'export:run' | 'export:save'> {
  return {
    'export:run': (input) => runExport(core, input.request, { kind: 'file', path: input.out }),
    'export:save': () => {
      throw new AppError(ERROR_CODES.unavailable, 'Saving through a dialog needs the desktop app. In browser mode the Export page downloads the file instead; from a terminal use `vitalsync export … --out FILE`.');
    },
  };
}
