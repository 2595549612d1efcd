// The writer half of an import, as run inside src/main/workers/importWorker.ts: its own SQLite
// connection, one transaction per message from the parser thread (threads.ts), an ack for each
// so that only a few are in flight.
import type { MessagePort } from 'node:worker_threads';
import { openDb } from '../db/open';
import { log } from '../log';
import type { ToMain, ToParser, ToWriter, WriteWorkerData } from './protocol';
import { describeWriteError, ImportWriter } from './writer';

type Port = Pick<MessagePort, 'postMessage' | 'on' | 'close'>;

export function runWriter(data: WriteWorkerData, parser: Port, main: Port, clock: () => number = Date.now): void {
  // The core that started this job has migrated the file already.
  const db = openDb({ file: data.dbFile, migrationsDir: data.migrationsDir, migrate: false });
  if (data.maxPageCount) db.$client.pragma(`max_page_count = ${Math.floor(data.maxPageCount)}`);
  let writer: ImportWriter;
  try {
    writer = new ImportWriter(db, data.jobId);
  } catch (err) {
    db.$client.close();
    main.postMessage({ t: 'done', status: 'failed', error: describeWriteError(err), fromMs: null, toMs: null, inserted: 0 } satisfies ToMain);
    return;
  }
  let finished = false;
  let lastProgress = 0;
  let busy = 0;
  let idle = 0;
  let since = performance.now();
  const finish = (status: 'completed' | 'failed' | 'cancelled', error: string | null) => {
    finished = true;
    main.postMessage({ t: 'done', status, error, fromMs: writer.fromMs, toMs: writer.toMs, inserted: writer.insertedTotal } satisfies ToMain);
    try {
      db.$client.close();
    } catch {
      /* already closed */
    }
    parser.close();
  };
  parser.on('message', (m: ToWriter) => {
    if (finished) return;
    const started = performance.now();
    idle += started - since;
    try {
      if (m.t === 'end') {
        const { status, error } = writer.end(m, clock, { busy, idle });
        finish(status, error);
        return;
      }
      if (m.t === 'batch') writer.batch(m);
      else if (m.t === 'records') writer.storeRecords(m);
      else if (m.t === 'routes') writer.routes(m);
      else writer.meta(m);
      since = performance.now();
      busy += since - started;
      if (m.t === 'meta') return;
      parser.postMessage({ t: 'ack' } satisfies ToParser);
      const now = Date.now();
      if (now - lastProgress > 100) {
        lastProgress = now;
        main.postMessage({ t: 'write-progress', records: writer.records } satisfies ToMain);
      }
    } catch (err) {
      const message = describeWriteError(err);
      log.warn('import: writing failed', err);
      writer.fail(message, clock);
      parser.postMessage({ t: 'cancel' } satisfies ToParser);
      finish('failed', message);
    }
  });
}
