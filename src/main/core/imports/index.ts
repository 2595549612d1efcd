// Imports: the front of the domain. Starts a job (a parser worker and a writer worker with its
// own connection), relays progress as 'import:progress' events at least twice a second,
// cancels, lists the history, and resumes an interrupted job on the same file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { CsvMapping, ImportChoices as ImportChoicesInput, ImportJob, ImportPreview, ImportProgress, ImportStatus, MappingCheck } from '../../../shared/contract';
import { AppError, invalidInput, notFound } from '../errors';
import type { Core } from '../index';
import { log } from '../log';
import { assumedHomeZoneWarning } from '../time/inferHomeZone';
import { canonicalZoneName, resolveHomeZone } from '../time/zones';
import { ImportInputError } from './apple-health/parser';
import { csvHead } from './csv/read';
import { compileMapping, mappingProblems, suggestMapping } from './generic-csv/mapping';
import { loadMapping, saveMapping } from './generic-csv/store';
import type { ImportChoices, ImportInput, Importer, Recognition } from './importer';
import { openInput } from './input';
import { getImporter, recognise, unrecognisedMessage } from './registry';
import { DEFAULT_LIMITS, type ImportLimits, type ParseWorkerData, type ToMain, type WriteWorkerData } from './protocol';
import type { HomeZoneEvidence } from '../time/inferHomeZone';
import { readSummary, type StoredSummary } from './writer';
import { stampIntentEdits } from '../vault/intent';
import { workerEntry } from '../workers';

export type ImportCore = Pick<Core, 'dataDir' | 'dbFile' | 'db' | 'events' | 'settings' | 'deps'> & Partial<Pick<Core, 'derived'>>;

export interface ImportOptions {
  limits?: Partial<ImportLimits>;
  batchSize?: number;
  maxInFlight?: number;
  /** Test hook: makes the database "full" after this many pages. */
  maxPageCount?: number;
  /** Removes the input file when the job ends (browser-mode uploads). */
  deleteWhenDone?: boolean;
}

interface Running {
  id: number;
  fileName: string;
  parser: Worker;
  writer: Worker;
  startedAt: number;
  bytesRead: number;
  bytesTotal: number;
  records: number;
  phase: ImportProgress['phase'];
  samples: { t: number; records: number; bytes: number }[];
  cancelling: boolean;
  done: Promise<ImportJob>;
  timer: NodeJS.Timeout;
}

interface JobRow {
  id: number;
  kind: string;
  path: string;
  fingerprint: string;
  status: ImportStatus;
  startedAt: number;
  finishedAt: number | null;
  bytesTotal: number;
  bytesRead: number;
  summaryJson: string;
  error: string | null;
}

const PROGRESS_MS = 250;
const CANCEL_GRACE_MS = 700;

function pidAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Size + a hash of the first and last MiB: finds "the same file" again for resuming. */
async function fingerprint(file: string): Promise<string> {
  const st = await fs.promises.stat(file);
  if (st.isDirectory()) return `dir:${path.resolve(file)}`;
  const fh = await fs.promises.open(file, 'r');
  try {
    const hash = crypto.createHash('sha256');
    const n = Math.min(st.size, 1024 * 1024);
    const buf = Buffer.alloc(n);
    await fh.read(buf, 0, n, 0);
    hash.update(buf);
    if (st.size > n) {
      await fh.read(buf, 0, n, st.size - n);
      hash.update(buf);
    }
    return `${st.size}:${hash.digest('hex').slice(0, 32)}`;
  } finally {
    await fh.close();
  }
}

export class ImportManager {
  private readonly running = new Map<number, Running>();

  constructor(private readonly core: ImportCore) {}

  private rows(where: string, ...args: unknown[]): JobRow[] {
    return this.core.db.$client
      .prepare(
        `SELECT id, kind, path, fingerprint, status, started_at AS startedAt, finished_at AS finishedAt, bytes_total AS bytesTotal,
                bytes_read AS bytesRead, summary_json AS summaryJson, error FROM import_jobs ${where}`,
      )
      .all(...args) as JobRow[];
  }

  /** A job whose process died (crash, kill -9) shows as interrupted, and can be resumed. */
  private settle(row: JobRow): JobRow {
    if (row.status !== 'running' || this.running.has(row.id)) return row;
    const summary = readSummary(row.summaryJson);
    if (pidAlive(summary.state?.pid)) return row;
    this.core.db.$client.prepare("UPDATE import_jobs SET status = 'interrupted' WHERE id = ? AND status = 'running'").run(row.id);
    return { ...row, status: 'interrupted' };
  }

  private toJob(row: JobRow): ImportJob {
    const s: StoredSummary = readSummary(row.summaryJson);
    const { me: _me, state: _state, assumedHomeZone: _assumed, ...summary } = s;
    void _me;
    void _state;
    void _assumed;
    const live = this.running.get(row.id);
    return {
      id: row.id,
      kind: row.kind,
      fileName: path.basename(row.path),
      status: row.status,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      bytesTotal: row.bytesTotal,
      bytesRead: live ? Math.max(live.bytesRead, row.bytesRead) : row.bytesRead,
      summary,
      error: row.error,
    };
  }

  list(limit = 50): ImportJob[] {
    return this.rows('ORDER BY id DESC LIMIT ?', limit).map((r) => this.toJob(this.settle(r)));
  }

  /** Input files of jobs running now, here or in another live process. */
  pathsInUse(): string[] {
    return this.rows("WHERE status = 'running'")
      .map((r) => this.settle(r))
      .filter((r) => r.status === 'running')
      .map((r) => r.path);
  }

  get(id: number): ImportJob {
    const [row] = this.rows('WHERE id = ?', id);
    if (!row) throw notFound(`There is no import job ${id}.`);
    return this.toJob(this.settle(row));
  }

  /** Opens an input on this thread (only headers are read), or an AppError saying what is wrong. */
  private async open(full: string): Promise<ImportInput> {
    try {
      return await openInput(full, DEFAULT_LIMITS);
    } catch (err) {
      if (err instanceof ImportInputError) throw new AppError('INVALID_INPUT', err.message);
      throw err;
    }
  }

  /** The importer for an input: the one named, or the first that recognises the content. */
  private async choose(input: ImportInput, id: ImportChoicesInput['importer']): Promise<{ importer: Importer; recognition: Recognition }> {
    if (id) {
      const importer = getImporter(id)!;
      const recognition = await importer.sniff(input);
      if (!recognition) throw new AppError('UNSUPPORTED_FILE', `"${input.name}" does not look like a ${importer.label} export. Leave the importer to VitalSync, or choose another one.`);
      return { importer, recognition };
    }
    const [best] = await recognise(input);
    if (!best) throw new AppError('UNSUPPORTED_FILE', unrecognisedMessage(input));
    return best;
  }

  /** The zone local times are read in: the one chosen, else the home zone; null when neither is set. */
  private zoneFor(choices: ImportChoicesInput): { zone: string; zoneIsHome: boolean } | null {
    const home = this.core.settings.get().homeTimeZone;
    if (choices.zone) {
      const zone = canonicalZoneName(choices.zone);
      if (!zone) throw invalidInput(`"${choices.zone}" is not a time zone VitalSync knows. Use a name such as Europe/Paris or an offset such as +05:30.`);
      return { zone, zoneIsHome: zone === home };
    }
    return home ? { zone: resolveHomeZone(home), zoneIsHome: true } : null;
  }

  /** What the importers make of a file, and for a CSV its first rows and a mapping to start from. */
  async preview(file: string): Promise<ImportPreview> {
    const full = path.resolve(file);
    const input = await this.open(full);
    try {
      const found = await recognise(input);
      const needs: ImportPreview['needs'] = [];
      const top = found[0];
      if (top && top.importer.id !== 'apple_health' && !this.core.settings.get().homeTimeZone) needs.push('homeZone');
      let csv: ImportPreview['csv'] = null;
      // A CSV a preset reads may still be the person's own sheet: its rows come along whenever the
      // generic importer recognises it too, so that it can be mapped by hand instead.
      if (found.some((f) => f.importer.id === 'csv')) {
        const { header, rows } = await csvHead(input.entries[0].stream(), 20);
        const saved = loadMapping(this.core.db.$client, header);
        csv = { header, rows, suggested: suggestMapping(header, rows, input.name), saved };
        if (!saved && top.importer.id === 'csv') needs.push('mapping');
      }
      if (top?.importer.needs) needs.push(...(await top.importer.needs(input, top.recognition)));
      return {
        fileName: input.name,
        recognised: found.map(({ importer, recognition }) => ({ importer: importer.id, label: importer.label, description: recognition.description, entries: recognition.entries.length })),
        message: top ? null : unrecognisedMessage(input),
        csv,
        needs: [...new Set(needs)],
      };
    } finally {
      input.close();
    }
  }

  /** A mapping tried on a CSV's first 50 rows: the values it gives (local time in its zone) and the rows it cannot read. */
  async checkMapping(file: string, mapping: CsvMapping): Promise<MappingCheck> {
    const input = await this.open(path.resolve(file));
    try {
      const entry = input.entries[0];
      if (input.kind !== 'file') throw invalidInput('A column mapping applies to one CSV file, not a folder or zip.');
      const { header, rows } = await csvHead(entry.stream(), 50);
      const problems = mappingProblems(mapping, header);
      if (problems.length) return { ok: false, values: [], errors: problems.map((reason) => ({ entry: entry.path, row: null, column: null, reason })) };
      const zone = this.zoneFor({ zone: mapping.zone ?? undefined }) ?? { zone: 'UTC', zoneIsHome: false };
      const map = compileMapping(mapping, header, zone, entry.path);
      const values: MappingCheck['values'] = [];
      const errors: MappingCheck['errors'] = [];
      rows.forEach((cells, i) => {
        const out = map(cells, i + 2);
        for (const e of out.errors) errors.push({ entry: e.entry, row: e.row, column: e.column, reason: e.reason });
        for (const smp of out.samples) {
          if (values.length >= 20) break;
          values.push({ row: i + 2, metric: smp.metric!, time: localLabel(smp.startMs, smp.day ?? null, smp.zone.name ?? zone.zone), value: smp.value, unit: smp.unit });
        }
      });
      return { ok: errors.length === 0, values, errors };
    } finally {
      input.close();
    }
  }

  /**
   * Starts (or resumes) importing `file` with the importer that recognises it (or the one in
   * `choices`); resolves once the job exists, not when it ends. Throws UNSUPPORTED_FILE when no
   * importer recognises it, and NEEDS_HOME_ZONE when a file importer would read local times
   * with no zone set or chosen.
   */
  async start(file: string, opts: ImportOptions = {}, choices: ImportChoicesInput = {}): Promise<ImportJob> {
    const full = path.resolve(file);
    let fp: string;
    try {
      fp = await fingerprint(full);
    } catch {
      throw notFound(`VitalSync cannot read "${path.basename(full)}": the file does not exist or is not readable.`);
    }
    // An input no importer recognises that could be an Apple Health export (an XML file, a zip or
    // folder holding XML, a .zip or .xml that cannot even be opened) goes to that importer anyway:
    // its reader says precisely what is wrong (empty, cut short, a zip bomb, no <HealthData>) and
    // salvages what a cut-short zip holds.
    const apple = { importer: getImporter('apple_health')!, recognition: null };
    let chosen: { importer: Importer; recognition: Recognition | null } = apple;
    let resolved: ImportChoices = { zone: 'UTC', zoneIsHome: false, mapping: null, weightUnit: null };
    const input = await openInput(full, DEFAULT_LIMITS).catch((err: unknown) => {
      // Only a zip or XML may be a damaged Apple Health export worth its reader's diagnosis.
      if (err instanceof ImportInputError && (!choices.importer || choices.importer === 'apple_health') && /\.(zip|xml)$/i.test(full)) return null;
      throw err instanceof ImportInputError ? new AppError('INVALID_INPUT', err.message) : err;
    });
    if (input) {
      try {
        chosen = await this.choose(input, choices.importer).catch((err: unknown) => {
          const couldBeApple = input.entries.some((e) => /\.(xml|gpx|dtd)$/i.test(e.path));
          if (err instanceof AppError && err.code === 'UNSUPPORTED_FILE' && !choices.importer && couldBeApple) return apple;
          throw err;
        });
        resolved = await this.resolveChoices(chosen.importer, input, choices);
      } finally {
        input.close();
      }
    }
    const kind = chosen.importer.id;
    const sql = this.core.db.$client;
    const clock = this.core.deps.clock;
    for (const r of this.running.values()) {
      const row = this.rows('WHERE id = ?', r.id)[0];
      if (row?.fingerprint === fp) throw new AppError('CONFLICT', `"${path.basename(full)}" is already being imported (job ${r.id}).`);
    }
    const resumable = this.rows("WHERE fingerprint = ? AND kind = ? AND status IN ('running', 'interrupted', 'cancelled') ORDER BY id DESC LIMIT 1", fp, kind)
      .map((r) => this.settle(r))
      .find((r) => r.status !== 'running');
    let id: number;
    let resumeOffset = 0;
    let evidence: HomeZoneEvidence | null = null;
    const size = fs.statSync(full).isDirectory() ? 0 : fs.statSync(full).size;
    if (resumable && kind !== 'apple_health') {
      // A record importer reads the file again from the start: the job's counts start again too,
      // and what the interrupted run stored is counted as already there (not twice).
      id = resumable.id;
      const summary: StoredSummary = { ...readSummary('{}'), zone: resolved.zone, state: { resumeOffset: 0, pid: process.pid } };
      sql
        .prepare("UPDATE import_jobs SET status = 'running', error = NULL, finished_at = NULL, path = ?, summary_json = ?, bytes_read = 0, bytes_total = ? WHERE id = ?")
        .run(full, JSON.stringify(summary), size, id);
      log.info(`import ${id}: reading the file again from the start`);
    } else if (resumable) {
      id = resumable.id;
      const summary = readSummary(resumable.summaryJson);
      resumeOffset = summary.state?.resumeOffset ?? 0;
      evidence = summary.state?.evidence ?? null;
      summary.state = { resumeOffset, pid: process.pid, ...(evidence ? { evidence } : {}) };
      sql.prepare("UPDATE import_jobs SET status = 'running', error = NULL, finished_at = NULL, path = ?, summary_json = ? WHERE id = ?").run(full, JSON.stringify(summary), id);
      log.info(`import ${id}: resuming from byte ${resumeOffset}`);
    } else {
      const summary: StoredSummary = { ...readSummary('{}'), state: { resumeOffset: 0, pid: process.pid } };
      if (kind !== 'apple_health') summary.zone = resolved.zone;
      id = Number(
        sql
          .prepare('INSERT INTO import_jobs (kind, path, fingerprint, status, started_at, bytes_total, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(kind, full, fp, 'running', clock(), size, JSON.stringify(summary)).lastInsertRowid,
      );
      log.info(`import ${id}: started`);
    }
    try {
      await this.spawn(id, full, resumeOffset, opts, evidence, kind, resolved);
    } catch (err) {
      sql.prepare("UPDATE import_jobs SET status = 'failed', error = ?, finished_at = ? WHERE id = ?").run('The import could not start. Details are in the log.', clock(), id);
      throw err;
    }
    return this.get(id);
  }

  /** Route files of the workouts this job already stored (read again on resume; points are idempotent). */
  private storedRoutes(id: number): ParseWorkerData['storedRoutes'] {
    const rows = this.core.db.$client
      .prepare("SELECT origin_id AS originId, activity_type AS activityType, start_ms AS startMs, end_ms AS endMs, details_json AS d FROM workouts WHERE batch = ? AND details_json LIKE '%routeFiles%'")
      .all(`import:${id}`) as { originId: number; activityType: string; startMs: number; endMs: number; d: string }[];
    const out: ParseWorkerData['storedRoutes'] = [];
    for (const r of rows) {
      let files: unknown;
      try {
        files = (JSON.parse(r.d) as { routeFiles?: unknown }).routeFiles;
      } catch {
        continue;
      }
      if (Array.isArray(files)) for (const f of files) if (typeof f === 'string') out.push({ originId: r.originId, activityType: r.activityType, startMs: r.startMs, endMs: r.endMs, path: f });
    }
    return out;
  }

  private workerFile(): Promise<string> {
    return workerEntry(this.core.deps.paths);
  }

  /**
   * With no home zone set, the zone this export points to (core/time/inferHomeZone) becomes the
   * home zone, marked as assumed, and the job says so in words the person can act on. Never the
   * computer's zone. Nothing is assumed from an export of which nothing was stored.
   */
  private assumeHomeZone(id: number): void {
    const row = this.rows('WHERE id = ?', id)[0];
    if (!row) return;
    const summary = readSummary(row.summaryJson);
    const zone = summary.assumedHomeZone;
    const stored = summary.samples.inserted + summary.samples.duplicates + summary.workouts.inserted + summary.workouts.duplicates;
    if (!zone || stored === 0 || this.core.settings.get().homeTimeZone !== null) return;
    try {
      this.core.settings.set({ homeTimeZone: zone.zone, homeTimeZoneAssumed: true });
    } catch (err) {
      log.warn(`import ${id}: could not save the assumed home zone ${zone.zone}`, err);
      return;
    }
    summary.warnings = [...summary.warnings, assumedHomeZoneWarning(zone)];
    this.core.db.$client.prepare('UPDATE import_jobs SET summary_json = ? WHERE id = ?').run(JSON.stringify(summary), id);
    log.info(`import ${id}: no home time zone was set; assumed ${zone.zone} (${zone.basis})`);
    // As settings:set does: samples without a zone of their own are re-dated in the new home zone.
    this.core.derived?.refresh();
  }

  /** The choices an import runs with: its zone, and the CSV mapping (checked against the header, and saved for it). */
  private async resolveChoices(importer: Importer, input: ImportInput, choices: ImportChoicesInput): Promise<ImportChoices> {
    const id = importer.id;
    if (id === 'apple_health') return { zone: 'UTC', zoneIsHome: false, mapping: null, weightUnit: null };
    const zone = this.zoneFor(choices);
    if (!zone) {
      throw new AppError(
        'NEEDS_HOME_ZONE',
        `VitalSync reads the dates in "${input.name}" in your home time zone (all but those written with their own offset), and none is set. Set it in Settings (or run \`vitalsync settings set homeTimeZone Europe/Paris\` with your own zone), or give this file's zone (the zone field on the Imports page, or --zone), and import again.`,
      );
    }
    let mapping: CsvMapping | null = null;
    if (id === 'csv') {
      const { header } = await csvHead(input.entries[0].stream(), 1);
      mapping = choices.mapping ?? loadMapping(this.core.db.$client, header);
      if (!mapping) throw new AppError('NEEDS_MAPPING', `"${input.name}" needs a column mapping: choose its date and value columns on the Imports page (or give one with --mapping FILE).`);
      const problems = mappingProblems(mapping, header);
      if (problems.length) throw invalidInput(`The mapping does not fit "${input.name}": ${problems.join(' ')}`);
      saveMapping(this.core.db.$client, header, mapping, this.core.deps.clock());
      stampIntentEdits({ sql: this.core.db.$client, settings: this.core.settings }, this.core.deps.clock);
      if (mapping.zone) {
        const z = this.zoneFor({ zone: mapping.zone });
        if (z) Object.assign(zone, z);
      }
    }
    return { ...zone, mapping, weightUnit: choices.weightUnit ?? null };
  }

  private async spawn(id: number, file: string, resumeOffset: number, opts: ImportOptions, evidence: HomeZoneEvidence | null, importer: ImportJob['kind'], choices: ImportChoices): Promise<void> {
    const entry = await this.workerFile();
    const channel = new MessageChannel();
    const limits = { ...DEFAULT_LIMITS, ...opts.limits };
    const home = this.core.settings.get().homeTimeZone;
    const parseData: ParseWorkerData = {
      role: 'parse',
      path: file,
      importer: importer as ParseWorkerData['importer'],
      choices,
      // The zone the merge will use for home (an unknown setting is UTC there too); null when
      // none is set, so that the parser infers one from the export.
      homeZone: home ? resolveHomeZone(home) : null,
      resumeOffset,
      limits,
      batchSize: opts.batchSize ?? 8192,
      maxInFlight: opts.maxInFlight ?? 8,
      storedRoutes: resumeOffset > 0 ? this.storedRoutes(id) : [],
      evidence: resumeOffset > 0 ? evidence : null,
    };
    const writeData: WriteWorkerData = {
      role: 'write',
      dbFile: this.core.dbFile,
      migrationsDir: this.core.deps.paths.migrationsDir,
      jobId: id,
      maxPageCount: opts.maxPageCount,
    };
    // Heap caps keep memory bounded whatever the file size (a runaway fails the job, not the app).
    const resourceLimits = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 8 };
    const writer = new Worker(entry, { workerData: { ...writeData, port: channel.port2 }, transferList: [channel.port2], resourceLimits });
    const parser = new Worker(entry, { workerData: { ...parseData, port: channel.port1 }, transferList: [channel.port1], resourceLimits });
    const startedAt = Date.now();
    let resolveDone!: (job: ImportJob) => void;
    const done = new Promise<ImportJob>((r) => (resolveDone = r));
    const run: Running = {
      id,
      fileName: path.basename(file),
      parser,
      writer,
      startedAt,
      bytesRead: 0,
      bytesTotal: 0,
      records: 0,
      phase: 'opening',
      samples: [],
      cancelling: false,
      done,
      timer: setInterval(() => this.emitProgress(run, 'running', null), PROGRESS_MS),
    };
    this.running.set(id, run);
    let finished = false;
    const finish = (status: 'completed' | 'failed' | 'cancelled', error: string | null, range: { fromMs: number | null; toMs: number | null; inserted: number }) => {
      if (finished) return;
      finished = true;
      clearInterval(run.timer);
      void parser.terminate();
      void writer.terminate();
      // If the writer could not record the outcome (it crashed), record it here.
      const row = this.rows('WHERE id = ?', id)[0];
      if (row && row.status === 'running') {
        this.core.db.$client.prepare('UPDATE import_jobs SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(status, error, this.core.deps.clock(), id);
      }
      try {
        this.assumeHomeZone(id);
      } catch (err) {
        log.warn(`import ${id}: assuming a home zone failed`, err);
      }
      this.running.delete(id);
      if (opts.deleteWhenDone) {
        fs.promises
          .rm(file, { force: true, recursive: true })
          .then(() => fs.promises.rmdir(path.dirname(file)))
          .catch(() => undefined);
      }
      run.phase = 'done';
      const job = this.get(id);
      this.emitProgress(run, job.status, job.error);
      if (range.inserted > 0) this.core.events.emit('data:changed', { reason: `import:${id}`, fromMs: range.fromMs, toMs: range.toMs });
      const t = job.summary.timing;
      const where = t
        ? `; parser ${t.parsing} s busy, ${t.waitingForInput} s waiting for input, ${t.waitingForWriter} s for the writer; writer ${t.writing} s busy, ${t.writerIdle} s idle; routes ${t.routes} s`
        : '';
      log.info(`import ${id}: ${job.status} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (${job.summary.samples.inserted} samples added, ${job.summary.samples.duplicates} already there${where})`);
      resolveDone(job);
    };
    parser.on('message', (m: ToMain) => {
      if (m.t === 'parse-progress') {
        run.bytesRead = m.bytesRead;
        run.bytesTotal = m.bytesTotal;
        run.phase = m.phase;
      }
    });
    writer.on('message', (m: ToMain) => {
      if (m.t === 'write-progress') run.records = m.records;
      else if (m.t === 'done') finish(m.status, m.error, m);
    });
    const crashed = (who: string) => (err: Error) => {
      log.error(`import ${id}: the ${who} thread failed`, err);
      finish('failed', `The import stopped unexpectedly (${who}: ${err.message}). What was stored is kept; import the same file again to finish.`, { fromMs: null, toMs: null, inserted: 0 });
    };
    parser.on('error', crashed('parser'));
    writer.on('error', crashed('writer'));
    writer.on('exit', (code) => {
      if (!finished) finish(run.cancelling ? 'cancelled' : 'failed', run.cancelling ? null : `The import's writer stopped (exit ${code}). Import the same file again to finish.`, { fromMs: null, toMs: null, inserted: 0 });
    });
    this.emitProgress(run, 'running', null);
  }

  private emitProgress(run: Running, status: ImportStatus, error: string | null): void {
    const now = Date.now();
    run.samples.push({ t: now, records: run.records, bytes: run.bytesRead });
    while (run.samples.length > 2 && now - run.samples[0].t > 5000) run.samples.shift();
    const first = run.samples[0];
    const dt = (now - first.t) / 1000;
    const rate = dt > 0.2 ? Math.max(0, (run.records - first.records) / dt) : 0;
    const byteRate = dt > 0.2 ? (run.bytesRead - first.bytes) / dt : 0;
    const left = run.bytesTotal - run.bytesRead;
    const payload: ImportProgress = {
      job: run.id,
      status,
      phase: run.phase,
      bytesRead: run.bytesRead,
      bytesTotal: run.bytesTotal,
      records: run.records,
      rate: Math.round(rate),
      etaSeconds: status === 'running' && byteRate > 0 && left >= 0 ? Math.round(left / byteRate) : null,
      fileName: run.fileName,
      error,
    };
    this.core.events.emit('import:progress', payload);
  }

  /** Resolves with the job when it ends (at once if it is not running). */
  wait(id: number): Promise<ImportJob> {
    return this.running.get(id)?.done ?? Promise.resolve(this.get(id));
  }

  /** Stops a running import within a second; what was committed stays, and a re-run resumes. */
  async cancel(id: number): Promise<ImportJob> {
    const run = this.running.get(id);
    if (!run) {
      const job = this.get(id);
      if (job.status === 'running') throw new AppError('CONFLICT', `Import ${id} is running in another VitalSync process; cancel it there.`);
      return job;
    }
    run.cancelling = true;
    run.parser.postMessage({ t: 'cancel' });
    const timeout = setTimeout(() => {
      // The writer did not finish in time: stop both threads. The open transaction rolls back.
      this.core.db.$client
        .prepare("UPDATE import_jobs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'running'")
        .run(this.core.deps.clock(), id);
      void run.writer.terminate();
      void run.parser.terminate();
    }, CANCEL_GRACE_MS);
    const job = await run.done;
    clearTimeout(timeout);
    return job;
  }

  /** Stops every running import (the app is quitting). */
  async cancelAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.cancel(id)));
  }

  get active(): number {
    return this.running.size;
  }
}

/** "2024-03-05" for a date's value, "2024-03-05 07:30" for a reading, in `zone`. */
function localLabel(ms: number, day: number | null, zone: string): string {
  if (day !== null) return new Date(day * 86_400_000).toISOString().slice(0, 10);
  const parts = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(ms);
  return parts;
}
const managers = new WeakMap<object, ImportManager>();

/** The one manager per core (keyed by its database handle, shared by handlers, CLI and uploads). */
export function importManager(core: ImportCore): ImportManager {
  let m = managers.get(core.db);
  if (!m) managers.set(core.db, (m = new ImportManager(core)));
  return m;
}
