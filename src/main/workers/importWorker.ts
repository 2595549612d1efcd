// Import worker entry. Started twice per import: once as the parser (reads and parses the
// file, sends batches) and once as the writer (its own SQLite connection). Two threads are
// 1.6x faster than one doing both, and the main thread only relays progress.
// Each thread loads only its own half (the parser never loads SQLite, the writer never the
// importers): start-up is part of every import's fixed cost.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ParseWorkerData, WriteWorkerData } from '../core/imports/protocol';

const data = workerData as (ParseWorkerData | WriteWorkerData) & { port: MessagePort };
const main = parentPort;
if (!main) throw new Error('importWorker must run in a worker thread');
if (data.role === 'parse') void import('../core/imports/threads').then((m) => m.runParser(data, data.port, main));
else void import('../core/imports/writerThread').then((m) => m.runWriter(data, data.port, main));
