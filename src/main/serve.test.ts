import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeTempDir, tempCore } from './core/test/tempCore';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { startServer, type RunningServer } from './serve';

let server: RunningServer | null = null;
let core: ReturnType<typeof tempCore> | null = null;
afterEach(async () => {
  await server?.close();
  core?.cleanup();
  server = null;
  core = null;
});

function rendererDir(): string {
  const dir = makeTempDir('vitalsync-renderer-');
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>VitalSync</title>');
  return dir;
}

/** A raw request, so the Host and Origin headers can be set as an attacker would. */
function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function start() {
  core = tempCore();
  server = await startServer({ core, rendererDir: rendererDir() });
  return server;
}

describe('browser mode server', () => {
  it('listens on 127.0.0.1 only and prints a URL with a long random token', async () => {
    const s = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('answers contract calls that carry the token', async () => {
    const s = await start();
    const res = await request(s.port, {
      method: 'POST',
      path: '/api/invoke/prefs:get',
      headers: { host: `127.0.0.1:${s.port}`, authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).ok).toBe(true);
    // The server's own time, for the browser's Resource Timing (npm run bench:ui reads it).
    expect(res.headers['server-timing']).toMatch(/^app;dur=\d+(\.\d)?$/);
  });

  it('refuses calls without the token, with a wrong Host (DNS rebinding) or from another origin', async () => {
    const s = await start();
    const host = `127.0.0.1:${s.port}`;
    const noToken = await request(s.port, { method: 'POST', path: '/api/invoke/prefs:get', headers: { host }, body: '{}' });
    expect(noToken.status).toBe(401);
    const wrongHost = await request(s.port, { method: 'POST', path: '/api/invoke/prefs:get', headers: { host: 'evil.example:80', authorization: `Bearer ${s.token}` }, body: '{}' });
    expect(wrongHost.status).toBe(421);
    const otherOrigin = await request(s.port, {
      method: 'POST',
      path: '/api/invoke/prefs:get',
      headers: { host, origin: 'http://127.0.0.1:1', authorization: `Bearer ${s.token}` },
      body: '{}',
    });
    expect(otherOrigin.status).toBe(401);
  });

  it('answers malformed and unknown calls with an error envelope, not a crash', async () => {
    const s = await start();
    const headers = { host: `127.0.0.1:${s.port}`, authorization: `Bearer ${s.token}` };
    const notJson = await request(s.port, { method: 'POST', path: '/api/invoke/prefs:get', headers, body: '{nope' });
    expect(JSON.parse(notJson.body).error.code).toBe('INVALID_INPUT');
    const unknown = await request(s.port, { method: 'POST', path: '/api/invoke/files:delete', headers, body: '{}' });
    expect(JSON.parse(unknown.body).error.code).toBe('UNKNOWN_CHANNEL');
    const huge = await request(s.port, { method: 'POST', path: '/api/invoke/prefs:get', headers, body: JSON.stringify({ x: 'y'.repeat(600_000) }) });
    expect(huge.status).toBe(413);
  });

  it('serves the page with a strict CSP and never files outside the renderer folder', async () => {
    const s = await start();
    const page = await request(s.port, { path: '/', headers: { host: `127.0.0.1:${s.port}` } });
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['content-security-policy']).not.toContain('ws:');
    const escape = await request(s.port, { path: '/..%2f..%2f..%2fetc%2fpasswd', headers: { host: `127.0.0.1:${s.port}` } });
    expect(escape.status).toBe(403);
    expect(escape.body).not.toContain('root:');
  });

  it('pushes core events over the WebSocket to token holders only', async () => {
    const s = await start();
    const denied = new WebSocket(`ws://127.0.0.1:${s.port}/api/events?token=wrong`);
    await new Promise<void>((resolve) => denied.on('error', () => resolve()));
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api/events?token=${s.token}`);
    await new Promise((r) => ws.on('open', r));
    const received = new Promise<string>((resolve) => ws.on('message', (d) => resolve(String(d))));
    core!.events.emit('prefs:changed', { category: 'sleep' });
    expect(JSON.parse(await received)).toEqual({ event: 'prefs:changed', payload: { category: 'sleep' } });
    ws.close();
  });

  it('takes the token from the query string only on the WebSocket upgrade, never on an API call', async () => {
    const s = await start();
    const res = await request(s.port, { method: 'POST', path: `/api/invoke/prefs:get?token=${s.token}`, headers: { host: `127.0.0.1:${s.port}` }, body: '{}' });
    expect(res.status).toBe(401);
  });

  // Cookies are not port-scoped (RFC 6265 §8.5): a token cookie would reach every other server
  // on 127.0.0.1 the browser visits. So the server neither sets one nor takes one.
  it('sets no cookie, not even for the printed URL with the right token', async () => {
    const s = await start();
    const page = await request(s.port, { path: `/?token=${s.token}`, headers: { host: `127.0.0.1:${s.port}` } });
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('does not accept the token in a cookie, whatever its name and even from its own origin', async () => {
    const s = await start();
    const host = `127.0.0.1:${s.port}`;
    const cookie = `vitalsync_token_${s.port}=${s.token}; vitalsync_token=${s.token}; token=${s.token}`;
    const api = await request(s.port, { method: 'POST', path: '/api/invoke/prefs:get', headers: { host, cookie, origin: `http://${host}` }, body: '{}' });
    expect(api.status).toBe(401);
    const upload = await request(s.port, { method: 'POST', path: '/api/imports/upload?name=x.zip', headers: { host, cookie, origin: `http://${host}` }, body: 'x' });
    expect(upload.status).toBe(401);
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api/events`, { headers: { cookie, origin: `http://${host}` } });
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
    });
    ws.terminate();
    expect(outcome).toBe('refused');
  });

  it('accepts the token in the Authorization header on the WebSocket upgrade too', async () => {
    const s = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api/events`, { headers: { authorization: `Bearer ${s.token}` } });
    await new Promise((r) => ws.on('open', r));
    ws.close();
  });
});
