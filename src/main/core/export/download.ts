// Browser mode cannot show a save dialog, so the page downloads the export (all of /api is
// token-guarded by serve.ts):
//   POST /api/export  {format, values, from, to, metrics}  answers the file itself, streamed as it
//     is written (Content-Disposition: attachment), or a JSON error envelope before any byte of it.
import type http from 'node:http';
import { ERROR_CODES, ExportRequestSchema } from '../../../shared/contract';
import { AppError } from '../errors';
import { log } from '../log';
import { checkRange, contentType, runExport, suggestedFileName, type ExportCore } from './index';

export const EXPORT_DOWNLOAD_PATH = '/api/export';
const MAX_BODY = 64 * 1024;

function reply(res: http.ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ ok: false, error: { code, message } }));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new AppError(ERROR_CODES.payloadTooLarge, 'The export request is too large.');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new AppError(ERROR_CODES.invalidInput, 'The export request is not JSON.');
  }
}

export async function exportDownloadRoute(req: http.IncomingMessage, res: http.ServerResponse, ctx: { core: ExportCore }): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== EXPORT_DOWNLOAD_PATH) return false;
  if (req.method !== 'POST') {
    reply(res, 405, ERROR_CODES.forbidden, 'Ask for an export with POST.');
    return true;
  }
  let request;
  try {
    const parsed = ExportRequestSchema.safeParse(await readJson(req));
    if (!parsed.success) throw new AppError(ERROR_CODES.invalidInput, `Invalid export request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`);
    request = parsed.data;
  } catch (err) {
    const e = err instanceof AppError ? err : new AppError(ERROR_CODES.invalidInput, 'The export request could not be read.');
    reply(res, 400, e.code, e.message);
    return true;
  }
  try {
    checkRange(request);
  } catch (err) {
    reply(res, 400, (err as AppError).code ?? ERROR_CODES.invalidInput, (err as Error).message);
    return true;
  }
  res.writeHead(200, {
    'content-type': contentType(request.format),
    'content-disposition': `attachment; filename="${suggestedFileName(request)}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  try {
    await runExport(ctx.core, request, { kind: 'stream', stream: res });
  } catch (err) {
    // The file is already on its way: cutting the connection makes the browser report the
    // download as failed instead of keeping half a file.
    if (!(err instanceof AppError)) log.error('browser-mode export failed', err);
    res.destroy();
  }
  return true;
}
