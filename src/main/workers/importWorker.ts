// The worker entry (core/workers.ts). Started twice per import: once as the parser (reads and
// parses the file, sends batches) and once as the writer (its own SQLite connection). Two
// threads are 1.6x faster than one doing both, and the main thread only relays progress. The
// vault starts it once per passphrase, for Argon2id (core/vault/kdfThread.ts), so the 256 MiB
// the derivation takes ends with the thread.
// Each thread loads only its own part (the parser never loads SQLite, the writer never the
// importers): start-up is part of every import's fixed cost.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ParseWorkerData, WriteWorkerData } from '../core/imports/protocol';
import type { KdfWorkerData } from '../core/vault/kdfThread';

const data = workerData as ((ParseWorkerData | WriteWorkerData) & { port: MessagePort }) | KdfWorkerData;
const main = parentPort;
if (!main) throw new Error('importWorker must run in a worker thread');
if (data.role === 'kdf') void import('../core/vault/kdfThread').then((m) => m.runKdf(data, main));
else if (data.role === 'parse') void import('../core/imports/threads').then((m) => m.runParser(data, data.port, main));
else void import('../core/imports/writerThread').then((m) => m.runWriter(data, data.port, main));
