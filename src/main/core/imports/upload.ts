// Browser mode cannot hand the core a file path, so the page streams the file here:
// POST /api/imports/upload?name=export.zip (token-guarded like all of /api). The body goes to a
// temporary file in the data folder, the import job starts on it, and the file is removed when
// the job ends.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ERROR_CODES } from '../../../shared/contract';
import { AppError } from '../errors';
import { log } from '../log';
import { importManager, type ImportCore } from './index';

export const UPLOAD_PATH = '/api/imports/upload';
/** An upload folder untouched this long, with no running job on it, is a leftover. */
const STALE_AFTER_MS = 10 * 60_000;

/**
 * Removes what a crashed `serve` left in uploads/: copies whose job never ended. Resuming does
 * not need them (a job is found again by the file's content, so the user uploads it again).
 * Kept: folders a running job reads, and folders written to recently (another `serve` on the
 * same data folder may be receiving them). Returns how many were removed.
 */
export async function removeStaleUploads(core: ImportCore, now = Date.now()): Promise<number> {
  const root = path.join(core.dataDir, 'uploads');
  let names: string[];
  try {
    names = await fs.promises.readdir(root);
  } catch {
    return 0;
  }
  const inUse = importManager(core).pathsInUse().map((p) => path.resolve(p));
  let removed = 0;
  for (const name of names) {
    const dir = path.join(root, name);
    if (inUse.some((p) => p.startsWith(dir + path.sep))) continue;
    let newest = 0;
    try {
      newest = (await fs.promises.stat(dir)).mtimeMs;
      for (const f of await fs.promises.readdir(dir)) newest = Math.max(newest, (await fs.promises.stat(path.join(dir, f))).mtimeMs);
    } catch {
      /* vanished meanwhile, or not a folder: judged by what was read */
    }
    if (now - newest < STALE_AFTER_MS) continue;
    await fs.promises.rm(dir, { recursive: true, force: true });
    removed++;
  }
  if (removed) log.info(`removed ${removed} upload(s) left by an earlier session`);
  return removed;
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** A plain file name from whatever the browser sent (never a path). */
export function safeUploadName(raw: string | null): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^\p{L}\p{N}._ -]/gu, '_').replace(/^\.+/, '').slice(-120);
  return clean || 'export.zip';
}

/** The upload route, for ServeOptions.routes. Returns true when it handled the request. */
export async function importUploadRoute(req: http.IncomingMessage, res: http.ServerResponse, ctx: { core: ImportCore }): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== UPLOAD_PATH) return false;
  if (req.method !== 'POST') {
    reply(res, 405, { ok: false, error: { code: ERROR_CODES.forbidden, message: 'Upload with POST.' } });
    return true;
  }
  // A folder per upload keeps the file's own name (the job history shows it).
  const dir = path.join(ctx.core.dataDir, 'uploads', crypto.randomBytes(8).toString('hex'));
  await fs.promises.mkdir(dir, { recursive: true });
  const file = path.join(dir, safeUploadName(url.searchParams.get('name')));
  try {
    await pipeline(req, fs.createWriteStream(file, { flags: 'wx' }));
  } catch (err) {
    await fs.promises.rm(dir, { force: true, recursive: true });
    const full = (err as NodeJS.ErrnoException).code === 'ENOSPC';
    log.warn('import upload failed', err);
    if (!res.headersSent && !res.destroyed) {
      reply(res, full ? 507 : 400, {
        ok: false,
        error: { code: ERROR_CODES.invalidInput, message: full ? 'The disk is full: the file could not be received. Free some space and try again.' : 'The upload was interrupted before the whole file arrived. Try again.' },
      });
    }
    return true;
  }
  try {
    const job = await importManager(ctx.core).start(file, { deleteWhenDone: true });
    reply(res, 200, { ok: true, value: job });
  } catch (err) {
    await fs.promises.rm(dir, { force: true, recursive: true });
    if (err instanceof AppError) reply(res, 409, { ok: false, error: { code: err.code, message: err.message } });
    else throw err;
  }
  return true;
}
