// Browser mode cannot hand the core a file path, so the page streams the file here (all of /api
// is token-guarded):
//   POST /api/imports/upload?name=export.zip  stages the body in a folder of its own under
//     uploads/ and answers its path, which the page previews (imports:preview) and checks
//     (imports:check-mapping) like any other path;
//   POST /api/imports/upload/start {path, choices}  starts the import of a staged file, which is
//     removed when the job ends;
//   POST /api/imports/upload/discard {path}  removes a staged file the person did not import.
// A staged file nobody starts or discards is removed by removeStaleUploads (at serve's start and
// at each new upload).
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ERROR_CODES, importsChannels } from '../../../shared/contract';
import { AppError } from '../errors';
import { log } from '../log';
import { importManager, type ImportCore } from './index';

export const UPLOAD_PATH = '/api/imports/upload';
export const UPLOAD_START_PATH = `${UPLOAD_PATH}/start`;
export const UPLOAD_DISCARD_PATH = `${UPLOAD_PATH}/discard`;
/** A staged upload's folder: uploads/<16 hex digits>/<the file's name>. */
const STAGED_DIR = /^[0-9a-f]{16}$/;
/** The JSON body of start and discard: a path and a mapping fit well within this. */
const MAX_JSON_BYTES = 256 * 1024;
/** An upload folder untouched this long, with no running job on it, is a leftover. */
const STALE_AFTER_MS = 10 * 60_000;

/**
 * Removes what is left in uploads/: copies whose job never ended (a crashed `serve`) and staged
 * files nobody imported or discarded (a closed tab). Resuming does
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

/** The folder staged uploads go to. */
function uploadsRoot(core: ImportCore): string {
  return path.resolve(core.dataDir, 'uploads');
}

/**
 * The staged upload `raw` names, or null when it is not one: only a file directly inside a
 * folder of its own under uploads/ (so start and discard can never reach another file).
 */
export function stagedUpload(core: ImportCore, raw: string): string | null {
  const full = path.resolve(raw);
  const rel = path.relative(uploadsRoot(core), full).split(path.sep);
  if (rel.length !== 2 || !STAGED_DIR.test(rel[0]) || !rel[1] || rel[1] === '..') return null;
  try {
    return fs.statSync(full).isFile() ? full : null;
  } catch {
    return null;
  }
}

const GONE = `That uploaded file is no longer on the server (an upload left unused for ${STALE_AFTER_MS / 60_000} minutes is removed). Choose the file again.`;

/** Reads a small JSON body; null when it is too large or not JSON. */
async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return null;
  }
}

/** Receives the body into a new folder under uploads/ and answers the staged file's path. */
async function stage(req: http.IncomingMessage, res: http.ServerResponse, core: ImportCore, name: string | null): Promise<void> {
  // A folder per upload keeps the file's own name (the preview and the job history show it).
  const dir = path.join(uploadsRoot(core), crypto.randomBytes(8).toString('hex'));
  await fs.promises.mkdir(dir, { recursive: true });
  const file = path.join(dir, safeUploadName(name));
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
    return;
  }
  // Uploads staged earlier and then left (a closed tab) go now rather than at the next start.
  await removeStaleUploads(core).catch((err: unknown) => log.warn('cleaning old uploads failed', err));
  reply(res, 200, { ok: true, value: { path: file } });
}

/** Starts importing a staged upload with the person's choices; the file goes when the job ends. */
async function startStaged(req: http.IncomingMessage, res: http.ServerResponse, core: ImportCore): Promise<void> {
  const parsed = importsChannels['imports:start'].input.safeParse(await readJson(req));
  if (!parsed.success) return reply(res, 400, { ok: false, error: { code: ERROR_CODES.invalidInput, message: 'The request to start an import is not valid.' } });
  const file = stagedUpload(core, parsed.data.path);
  if (!file) return reply(res, 404, { ok: false, error: { code: ERROR_CODES.notFound, message: GONE } });
  try {
    const job = await importManager(core).start(file, { deleteWhenDone: true }, parsed.data.choices ?? {});
    reply(res, 200, { ok: true, value: job });
  } catch (err) {
    // The staged file stays: the person can answer what was missing (a mapping, the home zone) and start again.
    if (err instanceof AppError) reply(res, 409, { ok: false, error: { code: err.code, message: err.message } });
    else throw err;
  }
}

/** Removes a staged upload the person did not import (answers ok even when it was already gone). */
async function discardStaged(req: http.IncomingMessage, res: http.ServerResponse, core: ImportCore): Promise<void> {
  const body = (await readJson(req)) as { path?: unknown } | null;
  if (!body || typeof body.path !== 'string') return reply(res, 400, { ok: false, error: { code: ERROR_CODES.invalidInput, message: 'Say which upload to remove.' } });
  const file = stagedUpload(core, body.path);
  const inUse = importManager(core).pathsInUse().map((p) => path.resolve(p));
  if (file && !inUse.includes(file)) await fs.promises.rm(path.dirname(file), { force: true, recursive: true });
  reply(res, 200, { ok: true, value: { removed: Boolean(file && !inUse.includes(file)) } });
}

/** The upload routes, for ServeOptions.routes. Returns true when it handled the request. */
export async function importUploadRoute(req: http.IncomingMessage, res: http.ServerResponse, ctx: { core: ImportCore }): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== UPLOAD_PATH && url.pathname !== UPLOAD_START_PATH && url.pathname !== UPLOAD_DISCARD_PATH) return false;
  if (req.method !== 'POST') {
    reply(res, 405, { ok: false, error: { code: ERROR_CODES.forbidden, message: 'Upload with POST.' } });
    return true;
  }
  if (url.pathname === UPLOAD_START_PATH) await startStaged(req, res, ctx.core);
  else if (url.pathname === UPLOAD_DISCARD_PATH) await discardStaged(req, res, ctx.core);
  else await stage(req, res, ctx.core, url.searchParams.get('name'));
  return true;
}
