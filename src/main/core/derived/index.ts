// Keeps the derived tables (per-source daily values, resolved daily values with provenance,
// quality) in step with the samples and the preferences. Importers and syncs only emit
// 'data:changed'; preference saves emit 'prefs:changed'. Rebuilding the affected days runs
// after the current work (setImmediate, one metric at a time), never inside the caller.
//
// Another process (the CLI importing while `serve` runs) may add samples without this
// process hearing an event, so every read first catches up from a watermark: the highest
// sample and workout ids already folded in (samples are immutable and ids only grow).
//
// A rebuild that fails (an SQL error, a full disk) keeps its work pending and the watermarks
// where they were: it is retried with a growing delay and on every read, and `state()` says
// what failed so the app can show it.
import { getMetric, METRICS } from '../../../shared/catalog';
import type { Db } from '../db/open';
import type { CoreEvents } from '../events';
import { log } from '../log';
import { listFor, type PriorityList } from '../merge/priority';
import type { Preferences } from '../preferences';
import { DAY, HOUR, resolveHomeZone } from '../time/zones';
import {
  buildMetric,
  buildSlice,
  builtRules,
  builtRulesAll,
  finishBuild,
  loadOrigins,
  loadZoneClock,
  metricDaySpan,
  originKindsVersion,
  rulesHash,
  slicesOf,
  SLICE_DAYS,
  typeIdsByMetric,
  type DayRange,
} from './build';

const SAMPLE_MARK = 'derived.sample_id';
const WORKOUT_MARK = 'derived.workout_id';
/** Delays before retrying a failed rebuild (the last one repeats). */
const RETRY_MS = [1_000, 5_000, 30_000, 120_000];

export interface RebuildState {
  /** Null while rebuilds succeed; else what failed, when, and when it is tried again. */
  failure: { message: string; metric: string | null; at: number; retryAt: number | null } | null;
  /** Samples are waiting to be merged: empty charts now mean "not built yet", not "no data". */
  building: boolean;
}

export interface RebuildStats {
  metrics: number;
  days: number;
  samples: number;
  ms: number;
}

function unionRange(a: DayRange | null | undefined, b: DayRange | null): DayRange | null {
  if (a === undefined) return b;
  if (a === null || b === null) return null;
  return { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) };
}

/** The local days an instant range can fall on, whatever the offset it was recorded with. */
export function daysTouching(fromMs: number, toMs: number): DayRange {
  return { from: Math.floor((fromMs - 14 * HOUR) / DAY), to: Math.floor((toMs + 14 * HOUR) / DAY) };
}

export class Derived {
  /** metric -> days to rebuild (null = all of them). */
  private readonly pending = new Map<string, DayRange | null>();
  private marks: { sample: number; workout: number } | null = null;
  /** A rebuild being done in slices (background only). */
  private job: { metric: string; list: PriorityList; rules: string; slices: DayRange[]; full: boolean; span: DayRange | null } | null = null;
  private failure: RebuildState['failure'] = null;
  /** The deletion count (migration 0009) when the span being rebuilt was read; cleared once that succeeded. */
  private deletionsSeen: string | null = null;
  /**
   * The deletion count (meta samples.deletions) when the noted span was last taken: the same span
   * is taken once, not again by every read while its rebuild runs (each rebuilt metric announces
   * itself, a dashboard reads again, and the span would mark every metric anew, for ever).
   */
  private spanTaken: string | null = null;
  /** The marks as last read from or written to meta. */
  private saved: { sample: number; workout: number } | null = null;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Days named by data:changed events not yet accounted for (null = all days). */
  private changed: DayRange | null | undefined = undefined;
  private scheduled: NodeJS.Immediate | null = null;
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly prefs: Preferences,
    private readonly events: CoreEvents,
    private readonly clock: () => number,
    /** The home zone setting (samples with zone 0 are dated in it); null = not set. */
    private readonly homeSetting: () => string | null,
  ) {
    this.unsubscribe.push(
      events.on('data:changed', (p) => {
        // New samples are found by the watermark; a change without new ids (a deletion) is
        // rebuilt for the range it names, or everywhere when it names none.
        const range = p.fromMs !== null && p.toMs !== null ? daysTouching(p.fromMs, p.toMs) : null;
        this.changed = this.changed === undefined ? range : unionRange(this.changed, range);
        this.schedule();
      }),
      events.on('prefs:changed', () => this.schedule()),
    );
  }

  private get sql() {
    return this.db.$client;
  }

  private get home(): string {
    return resolveHomeZone(this.homeSetting());
  }

  /** Whether the last rebuild failed, and why (shown by the app and `vitalsync status`). */
  state(): RebuildState {
    // Building tables for an empty database is not "merging your data".
    const work = this.pending.size > 0 || this.job !== null;
    const any = (table: string) => this.sql.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() !== undefined;
    return { failure: this.failure, building: work && (any('samples') || any('workouts')) };
  }

  private mark(metric: string, range: DayRange | null): void {
    this.pending.set(metric, unionRange(this.pending.get(metric), range));
  }

  private readMark(key: string): number {
    const row = this.sql.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? Number(row.value) || 0 : 0;
  }

  /**
   * Saves a mark unless a deletion trigger lowered the saved one since it was read (then the
   * next collect starts from the lowered one). `seen` is the value last read, null for none.
   */
  private writeMark(key: string, value: number, seen: number | null): boolean {
    return (
      this.sql
        .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE ? IS NULL OR CAST(meta.value AS INTEGER) = ?')
        .run(key, String(value), seen, seen).changes > 0
    );
  }

  /** Finds what changed since the tables were last built: new samples, new workouts, other preferences. */
  private collect(): void {
    const typeIds = typeIdsByMetric(this.sql);
    const metricOfType = new Map<number, string>();
    for (const [metric, ids] of typeIds) for (const id of ids) metricOfType.set(id, metric);
    // The saved marks drop below what was saved when a deletion freed the top id (migration
    // 0009's triggers): SQLite hands that id out again, so rows from there on are new.
    const savedSample = this.readMark(SAMPLE_MARK);
    const savedWorkout = this.readMark(WORKOUT_MARK);
    const lowered = (saved: number, last: number | undefined) => last !== undefined && saved < last;
    const sampleMark = this.marks && !lowered(savedSample, this.saved?.sample) ? this.marks.sample : Math.min(this.marks?.sample ?? savedSample, savedSample);
    const workoutMark = this.marks && !lowered(savedWorkout, this.saved?.workout) ? this.marks.workout : Math.min(this.marks?.workout ?? savedWorkout, savedWorkout);
    this.saved = { sample: savedSample, workout: savedWorkout };
    // max(id) is one b-tree probe; only when it moved are the new rows (a rowid range) grouped.
    // `+type_id` keeps SQLite from grouping through an index over the whole table.
    const newest = (this.sql.prepare('SELECT max(id) AS n FROM samples').get() as { n: number | null }).n ?? 0;
    const rows =
      newest > sampleMark
        ? (this.sql
            .prepare('SELECT type_id AS typeId, min(start_ms) AS lo, max(end_ms) AS hi, max(id) AS maxId FROM samples WHERE id > ? GROUP BY +type_id')
            .all(sampleMark) as { typeId: number; lo: number; hi: number; maxId: number }[])
        : [];
    let nextSample = sampleMark;
    for (const r of rows) {
      nextSample = Math.max(nextSample, r.maxId);
      const metric = metricOfType.get(r.typeId);
      if (metric) this.mark(metric, daysTouching(r.lo, r.hi));
    }
    const w = this.sql.prepare('SELECT min(start_ms) AS lo, max(end_ms) AS hi, max(id) AS maxId FROM workouts WHERE id > ?').get(workoutMark) as {
      lo: number | null;
      hi: number | null;
      maxId: number | null;
    };
    if (w.maxId !== null) this.mark('workouts', daysTouching(w.lo!, w.hi!));
    this.marks = { sample: nextSample, workout: Math.max(workoutMark, w.maxId ?? 0) };
    // Deleted or replaced rows leave no new id behind (and SQLite may hand a deleted top id out
    // again): the range an event names, and the span the deletion trigger noted (migration
    // 0009, written by any process), are rebuilt for every metric.
    const deleted = this.sql.prepare("SELECT key, value FROM meta WHERE key IN ('samples.deleted_from', 'samples.deleted_to', 'samples.deletions')").all() as {
      key: string;
      value: string;
    }[];
    const noted = (key: string) => deleted.find((r) => r.key === key)?.value ?? '';
    const [from, to] = [noted('samples.deleted_from'), noted('samples.deleted_to')];
    if (from !== '' && to !== '' && noted('samples.deletions') !== this.spanTaken) {
      this.changed = unionRange(this.changed, daysTouching(Number(from), Number(to)));
      this.deletionsSeen = noted('samples.deletions');
      this.spanTaken = this.deletionsSeen;
    }
    if (this.changed !== undefined) for (const m of METRICS) this.mark(m.id, this.changed);
    this.changed = undefined;
    const prefs = this.prefs.getAll();
    const home = this.home;
    const kinds = originKindsVersion(this.sql);
    const built = builtRulesAll(this.sql);
    for (const m of METRICS) {
      const wanted = rulesHash(m.id, prefs, home, kinds);
      if (this.job?.metric === m.id) {
        // Being rebuilt in slices with these very rules: not stale. Other rules: start over.
        if (this.job.rules === wanted) continue;
        this.job = null;
        this.mark(m.id, null);
        continue;
      }
      // Never built (a new metric, or a full rebuild that failed after emptying the tables) or
      // built under other rules: everything.
      if ((built.get(m.id) ?? null) !== wanted) this.mark(m.id, null);
    }
  }

  /** Turns a big pending rebuild into slices, so no turn of the event loop runs long. */
  private plan(metric: string, range: DayRange | null): boolean {
    const def = getMetric(metric);
    if (!def) return false;
    const prefs = this.prefs.getAll();
    const list = listFor(metric, prefs);
    const rules = rulesHash(metric, prefs, this.home, originKindsVersion(this.sql));
    const full = range === null || builtRules(this.sql, metric) !== rules;
    const span = metricDaySpan(this.sql, def, typeIdsByMetric(this.sql).get(metric) ?? []);
    const want = full ? span : range;
    if (!want || want.to - want.from < SLICE_DAYS * 2) return false;
    this.job = { metric, list, rules, slices: slicesOf(want), full, span };
    return true;
  }

  /** Writes the job's next slice; finishes it after the last. Returns the metric when done. */
  private sliceStep(): string | null {
    const job = this.job!;
    const ctx = { origins: loadOrigins(this.sql), typeIds: typeIdsByMetric(this.sql), clock: loadZoneClock(this.sql, this.home) };
    const slice = job.slices[0];
    if (slice) buildSlice(this.sql, job.metric, job.list, ctx, slice);
    job.slices.shift();
    if (job.slices.length) return null;
    if (job.full) finishBuild(this.sql, job.metric, job.rules, job.span, this.clock());
    this.job = null;
    return job.metric;
  }

  /** Finishes a sliced rebuild of one of these metrics at once (a read is waiting for it). */
  private finishJob(metrics: string[]): string | null {
    if (!this.job || !metrics.includes(this.job.metric)) return null;
    let done: string | null = null;
    while (this.job && !done) done = this.sliceStep();
    return done;
  }

  /** Rebuilds what is pending for these metrics (all when omitted), now, in this thread. */
  private process(metrics?: string[]): RebuildStats & { done: string[] } {
    const started = performance.now();
    const prefs = this.prefs.getAll();
    const home = this.home;
    const ctx = { origins: loadOrigins(this.sql), typeIds: typeIdsByMetric(this.sql), clock: loadZoneClock(this.sql, home), now: this.clock() };
    const stats = { metrics: 0, days: 0, samples: 0 };
    const done: string[] = [];
    for (const [metric, range] of [...this.pending]) {
      if (metrics && !metrics.includes(metric)) continue;
      if (!getMetric(metric)) {
        this.pending.delete(metric);
        continue;
      }
      // Still pending while it is built: a failure leaves it to be retried.
      const s = buildMetric(this.sql, metric, prefs, home, ctx, range);
      this.pending.delete(metric);
      stats.metrics++;
      stats.days += s.days;
      stats.samples += s.samples;
      done.push(metric);
    }
    this.saveMarksIfIdle();
    return { ...stats, ms: performance.now() - started, done };
  }

  private saveMarksIfIdle(): void {
    if (this.pending.size || this.job || !this.marks) return;
    const seen = this.saved;
    const sampleSaved = this.writeMark(SAMPLE_MARK, this.marks.sample, seen?.sample ?? null);
    const workoutSaved = this.writeMark(WORKOUT_MARK, this.marks.workout, seen?.workout ?? null);
    // A mark not saved keeps the value last read, so the next collect sees the lowered one as lowered.
    this.saved = { sample: sampleSaved ? this.marks.sample : (seen?.sample ?? 0), workout: workoutSaved ? this.marks.workout : (seen?.workout ?? 0) };
    if (this.deletionsSeen !== null) {
      // Cleared only if no deletion came since the span was read (the trigger counts them).
      this.sql
        .prepare(
          `UPDATE meta SET value = '' WHERE key IN ('samples.deleted_from', 'samples.deleted_to')
             AND (SELECT value FROM meta WHERE key = 'samples.deletions') = ?`,
        )
        .run(this.deletionsSeen);
      this.deletionsSeen = null;
    }
  }

  /** Brings these metrics' derived rows up to date before a read. Cheap when nothing changed. */
  ensureFresh(metrics: string[]): void {
    try {
      this.collect();
      const finished = this.finishJob(metrics);
      if (finished) this.emitUpdated([finished]);
      const wanted = metrics.filter((m) => this.pending.has(m));
      if (wanted.length) {
        const res = this.process(wanted);
        if (res.done.length) this.emitUpdated(res.done);
      }
      // A rebuild that went through: whatever failed before works again.
      this.succeeded();
    } catch (err) {
      // The read goes on with what the tables hold; the failure is shown and retried.
      this.failed(err, metrics[0] ?? null);
      return;
    }
    if (this.pending.size || this.job) this.schedule();
  }

  private failed(err: unknown, metric: string | null): void {
    const message = err instanceof Error ? err.message : String(err);
    if (this.retryTimer) {
      // A retry is already planned: reads failing meanwhile neither log again nor push it back.
      if (this.failure) this.failure = { ...this.failure, message, metric };
      return;
    }
    const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)];
    this.failures++;
    log.error(`Rebuilding derived tables failed${metric ? ` (${metric})` : ''}; retrying in ${delay / 1000} s`, err);
    this.failure = { message, metric, at: this.clock(), retryAt: this.clock() + delay };
    if (!this.closed) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.schedule();
      }, delay);
      this.retryTimer.unref?.();
    }
    this.events.emit('metrics:rebuild', { ok: false, message, metric });
  }

  private succeeded(): void {
    if (!this.failure) return;
    this.failure = null;
    this.failures = 0;
    this.events.emit('metrics:rebuild', { ok: true, message: null, metric: null });
  }

  /** Notices new data or other preferences and rebuilds in the background; returns at once. */
  refresh(): void {
    try {
      this.collect();
    } catch (err) {
      this.failed(err, null);
      return;
    }
    if (this.pending.size || this.job) this.schedule();
  }

  private emitUpdated(metrics: string[]): void {
    this.events.emit('metrics:updated', { metrics, fromDay: null, toDay: null });
  }

  /** Rebuild in the background, one metric per turn of the event loop. */
  schedule(): void {
    if (this.scheduled || this.closed || this.retryTimer) return;
    const step = () => {
      this.scheduled = null;
      if (this.closed) return this.settle();
      try {
        if (!this.pending.size && !this.job) this.collect();
        if (this.job) {
          const done = this.sliceStep();
          if (done) this.emitUpdated([done]);
          if (!this.job) this.saveMarksIfIdle();
        } else {
          const next = [...this.pending.keys()][0];
          if (next !== undefined && this.plan(next, this.pending.get(next)!)) this.pending.delete(next);
          else if (next !== undefined) {
            const res = this.process([next]);
            if (res.done.length) this.emitUpdated(res.done);
          } else this.saveMarksIfIdle();
        }
        this.succeeded();
      } catch (err) {
        // Pending work and watermarks stay as they are: the retry starts where this failed.
        this.failed(err, this.job?.metric ?? [...this.pending.keys()][0] ?? null);
        this.settle();
        return;
      }
      if (!this.pending.size && !this.job) {
        // Changes announced while this work ran (data:changed, prefs:changed) are picked up now.
        try {
          this.collect();
        } catch (err) {
          this.failed(err, null);
          this.settle();
          return;
        }
      }
      if ((this.pending.size || this.job) && !this.closed) this.scheduled = setImmediate(step);
      else {
        this.saveMarksIfIdle();
        this.settle();
      }
    };
    this.scheduled = setImmediate(step);
  }

  private settle(): void {
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }

  /** Resolves when no background rebuild is pending (tests, and a CLI before it exits). */
  whenIdle(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops every derived row and builds all metrics from the samples (`vitalsync rebuild`). */
  rebuildAll(): RebuildStats {
    const started = performance.now();
    this.pending.clear();
    this.job = null;
    this.marks = null;
    this.sql.exec('DELETE FROM derived_daily; DELETE FROM derived_source_daily; DELETE FROM derived_state;');
    // Everything is rebuilt, so the watermarks jump to the newest ids without scanning.
    const max = (table: string) => (this.sql.prepare(`SELECT coalesce(max(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
    this.marks = { sample: max('samples'), workout: max('workouts') };
    this.changed = undefined;
    this.deletionsSeen = null;
    this.sql.exec("UPDATE meta SET value = '' WHERE key IN ('samples.deleted_from', 'samples.deleted_to')");
    for (const m of METRICS) this.pending.set(m.id, null);
    const res = this.process();
    this.emitUpdated(res.done);
    return { metrics: res.metrics, days: res.days, samples: res.samples, ms: performance.now() - started };
  }

  close(): void {
    this.closed = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.scheduled = null;
    for (const u of this.unsubscribe) u();
    this.settle();
  }
}

