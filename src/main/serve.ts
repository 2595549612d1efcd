// Browser mode: the built renderer and the same contract over HTTP + WebSocket, on 127.0.0.1
// only, guarded by a random per-launch token. e2e tests drive the real app through it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ERROR_CODES, MAIN_ONLY_CHANNELS, MAX_INPUT_BYTES } from '../shared/contract';
import type { Core } from './core';
import { dispatch } from './core/dispatch';
import { log } from './core/log';
import { importUploadRoute, removeStaleUploads } from './core/imports/upload';
import { exportDownloadRoute } from './core/export/download';
import { rendererHeaders, resolveRendererFile } from './core/rendererFiles';

export interface ServeOptions {
  core: Core;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  /** Extra routes (uploads) mounted by other domains; return true when handled. */
  routes?: ((req: http.IncomingMessage, res: http.ServerResponse, ctx: { core: Core }) => Promise<boolean> | boolean)[];
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * Sends `body` as JSON. With `startedMs` (performance.now() when the request's work began) the
 * answer carries a Server-Timing header (`app;dur=<ms>`, work and JSON encoding), which the
 * browser's Resource Timing shows and `npm run bench:ui` reports beside what the page waited.
 */
function sendJson(res: http.ServerResponse, status: number, body: unknown, startedMs?: number): void {
  const text = JSON.stringify(body);
  const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (startedMs !== undefined) headers['server-timing'] = `app;dur=${(performance.now() - startedMs).toFixed(1)}`;
  res.writeHead(status, headers);
  res.end(text);
}

function timingSafeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/**
 * The token a request carries: `Authorization: Bearer …`, and in the query string (`?token=`)
 * only on the WebSocket upgrade, since a browser's WebSocket cannot set headers. A query token
 * elsewhere would end up in histories and logs, so it counts for nothing.
 *
 * No cookie, on purpose (issue #14 said "header or cookie"; the lead agreed to drop it): cookies
 * are not port-scoped (RFC 6265 §8.5), so a token cookie for 127.0.0.1:<our port> is sent to every
 * other server on 127.0.0.1 that the person's browser visits, and any of them could read it. The
 * page sends the header on every request (api.ts, imports.ts). A download that must be a plain
 * link would take a short-lived single-use ticket in that one URL, never this token in a cookie.
 */
export function requestToken(req: http.IncomingMessage, opts: { upgrade: boolean }): { token: string; via: 'header' | 'query' | 'none' } {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice(7), via: 'header' };
  const query = opts.upgrade ? new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('token') : null;
  return query ? { token: query, via: 'query' } : { token: '', via: 'none' };
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const { core, rendererDir } = opts;
  const token = crypto.randomBytes(24).toString('base64url');
  const indexFile = path.join(rendererDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    throw new Error(`The app's pages are not built (${indexFile} is missing). Run "npm run build" first.`);
  }
  await removeStaleUploads(core).catch((err: unknown) => log.warn('serve: cleaning old uploads failed', err));
  let port = 0;
  const hostOk = (req: http.IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  // A request carrying an Origin must come from this very server (blocks other local pages).
  const originOk = (req: http.IncomingMessage) => !req.headers.origin || req.headers.origin === `http://${req.headers.host}`;
  const authorized = (req: http.IncomingMessage, upgrade = false) => {
    const got = requestToken(req, { upgrade });
    return timingSafeEqual(got.token, token);
  };

  const server = http.createServer(async (req, res) => {
    try {
      // DNS-rebinding defence: only our own host names.
      if (!hostOk(req)) return sendJson(res, 421, { ok: false, error: { code: ERROR_CODES.forbidden, message: 'Wrong host.' } });
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      if (url.pathname.startsWith('/api/')) {
        if (!authorized(req) || !originOk(req)) {
          return sendJson(res, 401, {
            ok: false,
            error: { code: ERROR_CODES.forbidden, message: 'This browser-mode session needs the token printed by "vitalsync serve". Open the URL it printed.' },
          });
        }
        for (const route of [importUploadRoute, exportDownloadRoute, ...(opts.routes ?? [])]) if (await route(req, res, { core })) return;
        const match = /^\/api\/invoke\/([a-z]+:[a-zA-Z-]+)$/.exec(url.pathname);
        if (req.method === 'POST' && match && MAIN_ONLY_CHANNELS.has(match[1])) {
          return sendJson(res, 403, { ok: false, error: { code: ERROR_CODES.forbidden, message: `${match[1]} writes to a path it is given; a page may not call it.` } });
        }
        if (req.method === 'POST' && match) {
          const started = performance.now();
          const body = await readBody(req, MAX_INPUT_BYTES * 2);
          if (body === null) {
            return sendJson(res, 413, { ok: false, error: { code: ERROR_CODES.payloadTooLarge, message: `The request is larger than ${MAX_INPUT_BYTES * 2} bytes.` } });
          }
          let input: unknown;
          try {
            input = body ? JSON.parse(body) : {};
          } catch {
            return sendJson(res, 400, { ok: false, error: { code: ERROR_CODES.invalidInput, message: 'The request body is not JSON.' } });
          }
          return sendJson(res, 200, await dispatch(core.handlers, match[1], input), started);
        }
        return sendJson(res, 404, { ok: false, error: { code: ERROR_CODES.unknownChannel, message: `No such endpoint: ${req.method} ${url.pathname}` } });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false, error: { code: ERROR_CODES.forbidden, message: 'Method not allowed.' } });
      // Static files of the built renderer; anything unknown is the single-page app.
      const found = resolveRendererFile(rendererDir, url.pathname);
      if (found.status !== 200) return sendJson(res, found.status, { ok: false, error: { code: ERROR_CODES.forbidden, message: 'No such page.' } });
      // The page reads the printed URL's ?token= itself (api.ts) and sends it as a header; the
      // server sets no cookie (see requestToken).
      res.writeHead(200, rendererHeaders(found));
      if (req.method === 'HEAD') return res.end();
      const file = found.file;
      fs.createReadStream(file).pipe(res);
    } catch (err) {
      log.error('browser mode request failed', err);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: ERROR_CODES.internal, message: 'VitalSync hit an unexpected error. Details are in the log.' } });
      else res.destroy();
    }
  });

  // Events: one WebSocket per page, forwarding every core event.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/api/events' || !hostOk(req) || !originOk(req) || !authorized(req, true)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // Pages never send anything on this socket.
      ws.on('message', () => ws.close(1003, 'events only'));
    });
  });
  const unsubscribe = core.events.onAny((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
