// The parser-thread side of every importer but Apple Health's: opens the input, lets the
// importer read its entries into a RecordSink, and sends the records to the writer thread in
// batches, at most a few in flight (memory stays bounded whatever the file size). Progress is the
// inflated bytes of the recognised entries read so far. A resumed job reads the file again from
// the start: what was stored is found again by the natural keys and counted as already there.
import type { MessagePort } from 'node:worker_threads';
import type { RowError } from '../../../shared/contract';
import { log } from '../log';
import type { SampleRecord, WorkoutRecord } from '../samples';
import { ImportInputError } from './apple-health/parser';
import type { RecordSink } from './importer';
import { openInput } from './input';
import { WriterFlow } from './flow';
import { MAX_ROW_ERRORS, type EndMsg, type ParserTiming, type ParseWorkerData, type RecordsMsg, type ToMain } from './protocol';
import { getImporter } from './registry';

type Port = Pick<MessagePort, 'postMessage' | 'on'>;

export async function runRecordImport(data: ParseWorkerData, writer: Port, main: Port): Promise<void> {
  const started = performance.now();
  const timing: ParserTiming = { opening: 0, parsing: 0, waitingForInput: 0, waitingForWriter: 0, routes: 0 };
  const flow = new WriterFlow(writer, main, data.maxInFlight);

  const warnings: string[] = [];
  let rowErrorsKept = 0;
  const end = (m: Pick<EndMsg, 'outcome' | 'error'>) => {
    timing.parsing = performance.now() - started - timing.opening - timing.waitingForWriter;
    writer.postMessage({ t: 'end', stoppedAt: null, warnings, rejected: {}, notes: {}, routesMissing: 0, timing, homeZone: null, writtenZone: null, ...m } satisfies EndMsg);
  };

  const importer = getImporter(data.importer);
  if (!importer?.run) {
    end({ outcome: 'failed', error: `VitalSync has no importer "${data.importer}".` });
    return;
  }
  let input;
  try {
    input = await openInput(data.path, data.limits);
  } catch (err) {
    end({ outcome: 'failed', error: err instanceof ImportInputError ? err.message : `VitalSync could not open the file: ${(err as Error).message}` });
    return;
  }
  const recognition = await importer.sniff(input).catch(() => null);
  timing.opening = performance.now() - started;
  if (!recognition) {
    input.close();
    end({ outcome: 'failed', error: `"${input.name}" does not look like a ${importer.label} export. Choose another importer on the Imports page, or leave the choice to VitalSync.` });
    return;
  }
  const wanted = new Set(recognition.entries.map((e) => e.path));
  // In a folder or zip, files that are not part of the export are left alone, and counted.
  const leftAlone = input.entries.filter((e) => !wanted.has(e.path)).length;
  const bytesTotal = input.entries.filter((e) => wanted.has(e.path)).reduce((a, e) => a + e.size, 0);
  // Bytes the recognition read (headers) are not progress through the file.
  const sniffed = input.bytesRead;
  const readSoFar = () => Math.min(input.bytesRead - sniffed, bytesTotal);
  const progress = () => main.postMessage({ t: 'parse-progress', bytesRead: readSoFar(), bytesTotal, phase: 'records' } satisfies ToMain);
  const timer = setInterval(progress, 200);
  progress();

  let batch: RecordsMsg = fresh();
  if (leftAlone) batch.notes['files beside the export not read (not part of it)'] = leftAlone;
  function fresh(): RecordsMsg {
    return { t: 'records', source: importer!.source, samples: [], workouts: [], read: {}, rejected: {}, notes: {}, rowErrors: [], inputBytes: 0 };
  }
  const count = (into: Record<string, number>, key: string, n: number) => (into[key] = (into[key] ?? 0) + n);
  const untilRoom = async () => {
    const t = performance.now();
    await flow.untilRoom();
    timing.waitingForWriter += performance.now() - t;
  };
  const flush = async (final = false) => {
    const b = batch;
    batch = fresh();
    // A record's samples (one `ref`: a night, a weight log) are written in one call, which
    // replaces what is stored for that ref: the trailing samples of the record still being
    // read wait for the next batch instead of being split across two.
    const last = b.samples.at(-1)?.ref;
    if (!final && last !== undefined) {
      let from = b.samples.length - 1;
      while (from > 0 && b.samples[from - 1].ref === last) from--;
      if (from === 0 && !b.workouts.length) {
        // The whole batch is one record still being read: it grows until the record ends.
        batch = b;
        return;
      }
      batch.samples = b.samples.splice(from);
    }
    b.inputBytes = readSoFar();
    flow.send(b);
    await untilRoom();
  };
  let pending: Promise<void> | null = null;
  const size = () => batch.samples.length + batch.workouts.length;
  const full = () => {
    // Records arrive synchronously; the batch is sent at the importer's next pace().
    if (size() >= data.batchSize && !pending) pending = flush().finally(() => (pending = null));
  };
  const sink: RecordSink = {
    choices: data.choices,
    sample(r: SampleRecord) {
      batch.samples.push(r);
      full();
    },
    workout(r: WorkoutRecord) {
      batch.workouts.push(r);
      full();
    },
    read: (rawType, n = 1) => count(batch.read, rawType, n),
    reject(reason, at) {
      count(batch.rejected, reason, 1);
      if (rowErrorsKept < MAX_ROW_ERRORS) {
        rowErrorsKept++;
        batch.rowErrors.push({ entry: at?.entry ?? input.name, row: at?.row ?? null, column: at?.column ?? null, reason: at?.detail ?? reason } satisfies RowError);
      }
    },
    note: (what, n = 1) => count(batch.notes, what, n),
    warn: (message) => void (warnings.includes(message) || warnings.push(message)),
    async pace() {
      if (pending) await pending;
      else if (size() >= data.batchSize) await flush();
    },
    get cancelled() {
      return flow.cancelled;
    },
  };

  let error: string | null = null;
  try {
    await importer.run(input, recognition, sink);
    if (pending) await pending;
  } catch (err) {
    if (err instanceof ImportInputError) error = err.message;
    else {
      log.warn(`import: the ${importer.label} importer failed`, err);
      error = `Reading "${input.name}" failed (${(err as Error).message}). What was read before is kept; if it happens again, report it with this message.`;
    }
  }
  if (size() || Object.keys(batch.rejected).length || Object.keys(batch.notes).length || Object.keys(batch.read).length) await flush(true);
  clearInterval(timer);
  progress();
  input.close();
  end({ outcome: flow.cancelled ? 'cancelled' : error ? 'failed' : 'completed', error });
}
