// The vault's Argon2id in a worker thread (started through src/main/workers/importWorker.ts):
// libsodium's WebAssembly memory grows to the cost's memlimit (256 MiB) and is never given
// back, so the app, browser mode and a joining CLI would carry it while taking in segments.
// The thread ends after one derivation, and its memory with it.
import { Worker, type MessagePort } from 'node:worker_threads';
import { workerEntry } from '../workers';
import type { AppPaths } from '../index';
import { passphraseKey, VaultCryptoError, type DeriveKey, type KdfParams, type VaultErrorCode } from './crypto';

export interface KdfWorkerData {
  role: 'kdf';
  kdf: KdfParams;
  passphrase: string;
}

/** Worker side: one derivation, posted back as bytes, or the VaultCryptoError it threw. */
export async function runKdf(data: KdfWorkerData, main: MessagePort): Promise<void> {
  try {
    main.postMessage(await passphraseKey(data.kdf, data.passphrase));
  } catch (err) {
    if (!(err instanceof VaultCryptoError)) throw err;
    main.postMessage({ code: err.code, message: err.message });
  }
}

/** Main side: a DeriveKey that runs in its own thread (a VaultCryptoError thrown there is thrown here). */
export function deriveInWorker(paths: Pick<AppPaths, 'workersDir'>): DeriveKey {
  return async (kdf, passphrase) => {
    const worker = new Worker(await workerEntry(paths), { workerData: { role: 'kdf', kdf, passphrase } satisfies KdfWorkerData });
    try {
      return await new Promise<Uint8Array>((resolve, reject) => {
        worker.once('message', (m: Uint8Array | { code: VaultErrorCode; message: string }) =>
          m instanceof Uint8Array ? resolve(new Uint8Array(m)) : reject(new VaultCryptoError(m.code, m.message)),
        );
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the key derivation thread ended (${code}) without a key`)));
      });
    } finally {
      void worker.terminate();
    }
  };
}
