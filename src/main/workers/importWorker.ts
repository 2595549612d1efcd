// Import worker entry. Started twice per import: once as the parser (reads and parses the
// file, sends batches) and once as the writer (its own SQLite connection). Two threads are
// 1.6x faster than one doing both, and the main thread only relays progress.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { runParser, runWriter } from '../core/imports/threads';
import type { ParseWorkerData, WriteWorkerData } from '../core/imports/protocol';

const data = workerData as (ParseWorkerData | WriteWorkerData) & { port: MessagePort };
if (!parentPort) throw new Error('importWorker must run in a worker thread');
if (data.role === 'parse') void runParser(data, data.port, parentPort);
else runWriter(data, data.port, parentPort);
