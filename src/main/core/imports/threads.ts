// The parser half of an import, as run inside src/main/workers/importWorker.ts (the writer half
// is writerThread.ts; each thread loads only its own half). Kept in core so it is plain Node
// (testable, and the worker entry stays a few lines). Apple Health runs here; every other
// importer through records.ts.
import path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { log } from '../log';
import { AppleHealthParser, ImportInputError, type RouteRef } from './apple-health/parser';
import { parseGpx } from './apple-health/gpx';
import { openExport, TruncatedInput, type ExportSource } from './apple-health/source';
import type { EndMsg, ParserTiming, ParseWorkerData, RouteFile, ToMain, ToWriter } from './protocol';
import { WriterFlow } from './flow';
import { runRecordImport } from './records';

type Port = Pick<MessagePort, 'postMessage' | 'on' | 'close'>;
/** A route to read: from this run's XML, or (with its origin's database id) from an interrupted run's workouts. */
type PendingRoute = RouteRef & { originId?: number };

// Route files go to the writer in groups (one transaction each; one per file cost 2.5 s of a
// 1 GB import), small enough to keep memory bounded whatever the files' sizes.
const ROUTES_PER_MESSAGE = 64;
const ROUTE_BYTES_PER_MESSAGE = 16 * 1024 * 1024;

export async function runParser(data: ParseWorkerData, writer: Port, main: Port): Promise<void> {
  // Every importer but Apple Health's reads through the record sink (records.ts).
  if (data.importer !== 'apple_health') return runRecordImport(data, writer, main);
  const flow = new WriterFlow(writer, main, data.maxInFlight);
  const send = (m: ToWriter, transfer: ArrayBuffer[] = []) => flow.send(m, transfer);
  const untilRoom = () => flow.untilRoom();
  // Where this thread's time goes (ImportSummary.timing): a slow import says what held it up.
  const timing: ParserTiming = { opening: 0, parsing: 0, waitingForInput: 0, waitingForWriter: 0, routes: 0 };
  let clock = performance.now();
  const account = (what: keyof ParserTiming) => {
    const now = performance.now();
    timing[what] += now - clock;
    clock = now;
  };
  const end = (m: Omit<EndMsg, 't' | 'warnings' | 'rejected' | 'notes' | 'routesMissing' | 'timing' | 'homeZone' | 'writtenZone'> & Partial<EndMsg>) => {
    writer.postMessage({ t: 'end', warnings: [], rejected: {}, notes: {}, routesMissing: 0, timing, homeZone: null, writtenZone: null, ...m } satisfies EndMsg);
  };

  let phase: 'opening' | 'records' | 'routes' = 'opening';
  let inputBytes = 0;
  let bytesTotal = 0;
  let lastProgress = 0;
  const progress = () => {
    lastProgress = Date.now();
    main.postMessage({ t: 'parse-progress', bytesRead: inputBytes, bytesTotal, phase } satisfies ToMain);
  };
  const timer = setInterval(progress, 200);

  let source: ExportSource;
  try {
    source = await openExport(data.path, data.limits);
  } catch (err) {
    clearInterval(timer);
    const message = err instanceof ImportInputError ? err.message : `VitalSync could not open the file: ${(err as Error).message}`;
    end({ outcome: 'failed', error: message, stoppedAt: null });
    return;
  }
  account('opening');
  bytesTotal = source.bytesTotal;
  phase = 'records';
  progress();
  const parser = new AppleHealthParser({
    homeZone: data.homeZone,
    resumeOffset: data.resumeOffset,
    evidence: data.evidence,
    batchSize: data.batchSize,
    maxElementBytes: data.limits.maxElementBytes,
    onBatch: (b, transfer) => send(b, transfer),
    onMeta: (m) => writer.postMessage(m),
  });
  for (const [reason, n] of Object.entries(source.skipped)) parser.reject(reason, n);

  let fatal: string | null = null;
  let damage: string | null = null;
  try {
    await source.readMain(
      async (chunk, consumed) => {
        account('waitingForInput');
        inputBytes = consumed;
        parser.inputBytes = consumed;
        parser.push(chunk);
        if (Date.now() - lastProgress >= 100 || consumed === chunk.length) progress();
        account('parsing');
        await untilRoom();
        account('waitingForWriter');
      },
      () => flow.cancelled,
    );
  } catch (err) {
    if (err instanceof ImportInputError) fatal = err.message;
    else if (err instanceof TruncatedInput) damage = err.message;
    else {
      log.warn('import: reading the export failed', err);
      fatal = `Reading the export failed: ${(err as Error).message}`;
    }
  }
  const complete = parser.finish();
  account('parsing');
  if (flow.cancelled) {
    clearInterval(timer);
    source.close();
    end({ outcome: 'cancelled', error: null, stoppedAt: parser.position, warnings: parser.warnings, homeZone: parser.inferredHomeZone(), writtenZone: parser.writtenZone });
    return;
  }
  if (fatal || !complete) {
    clearInterval(timer);
    source.close();
    let error = fatal;
    if (!error) {
      if (!parser.sawHealthData) error = `"${path.basename(data.path)}" holds no Apple Health data (no <HealthData> element).`;
      else
        error = `The export ends early (${damage ?? 'the file is cut short'}): reading stopped at byte ${parser.position} of ${source.mainName}. The ${parser.records} records before that point were imported. Export again from the Health app and import the new file to finish.`;
    }
    end({ outcome: 'failed', error, stoppedAt: parser.position, warnings: parser.warnings, homeZone: parser.inferredHomeZone(), writtenZone: parser.writtenZone });
    return;
  }

  // Routes referenced by workouts (GPX files next to the main XML), sent to the writer in groups.
  phase = 'routes';
  let missing = 0;
  const rejected: Record<string, number> = {};
  const reject = (reason: string, n = 1) => (rejected[reason] = (rejected[reason] ?? 0) + n);
  const refs = new Map<string, PendingRoute>();
  const all: PendingRoute[] = [
    ...data.storedRoutes.map((r) => ({ path: r.path, originId: r.originId, workout: { originLocal: 0, activityType: r.activityType, startMs: r.startMs, endMs: r.endMs } })),
    ...parser.routeRefs,
  ];
  for (const ref of all) {
    const key = `${ref.path}|${ref.originId ?? 'local'}:${ref.workout.originLocal}|${ref.workout.startMs}|${ref.workout.activityType}`;
    if (!refs.has(key)) refs.set(key, ref);
  }
  let routes: RouteFile[] = [];
  let transfer: ArrayBuffer[] = [];
  let groupBytes = 0;
  const sendRoutes = async () => {
    if (routes.length) send({ t: 'routes', routes }, transfer);
    routes = [];
    transfer = [];
    groupBytes = 0;
    await untilRoom();
    // Route files are read synchronously: let a cancel message in between groups.
    await new Promise((resolve) => setImmediate(resolve));
  };
  for (const ref of refs.values()) {
    if (flow.cancelled) break;
    const file = await source.readRoute(ref.path);
    if (!file.ok) {
      missing++;
      reject(file.reason);
      continue;
    }
    const { points, rejected: badPoints } = parseGpx(file.data.toString('utf8'));
    if (badPoints) reject('route point without a time or coordinates', badPoints);
    routes.push({ workout: ref.workout, originId: ref.originId, file: ref.path, points });
    transfer.push(...([points.time.buffer, points.lat.buffer, points.lon.buffer, points.ele.buffer, points.speed.buffer] as ArrayBuffer[]));
    groupBytes += file.data.length;
    if (routes.length >= ROUTES_PER_MESSAGE || groupBytes >= ROUTE_BYTES_PER_MESSAGE) await sendRoutes();
  }
  await sendRoutes();
  account('routes');
  clearInterval(timer);
  inputBytes = bytesTotal;
  progress();
  source.close();
  end({ outcome: flow.cancelled ? 'cancelled' : 'completed', error: null, stoppedAt: null, warnings: parser.warnings, rejected, routesMissing: missing, homeZone: parser.inferredHomeZone(), writtenZone: parser.writtenZone });
}
