// The browser-mode download through a real `serve` HTTP server: token-guarded, streamed as an
// attachment, errors as JSON before any byte; and export:run is refused from a page.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../../serve';
import { insertSamples } from '../test/samples';
import { makeTempDir, tempCore } from '../test/tempCore';

let server: RunningServer | null = null;
let core: ReturnType<typeof tempCore> | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  core?.cleanup();
  core = null;
});

async function start() {
  core = tempCore();
  core.settings.set({ homeTimeZone: 'Europe/Paris' });
  const rows = [];
  for (let d = 1; d <= 31; d++) {
    const day = `2026-03-${String(d).padStart(2, '0')}`;
    rows.push({ source: 'apple_health', origin: 'Apple Watch', deviceKind: 'watch', metric: 'steps', start: `${day}T08:00:00+01:00`, end: `${day}T09:00:00+01:00`, value: 1000 + d, zone: 'home' });
  }
  insertSamples(core, rows);
  const dir = makeTempDir();
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>VitalSync</title>');
  const running = await startServer({ core, rendererDir: dir });
  server = running;
  const base = `http://127.0.0.1:${running.port}`;
  const post = (p: string, body: unknown, token: string | null = running.token) =>
    fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { post };
}

describe('browser-mode export download', () => {
  it('streams a month of merged steps as a CSV attachment', async () => {
    const { post } = await start();
    const res = await post('/api/export', { from: '2026-03-01', to: '2026-03-31', metrics: ['steps'], format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="vitalsync-merged-2026-03-01-to-2026-03-31.csv"');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(32);
    expect(lines[1].startsWith('steps,2026-03-01,1001,count,')).toBe(true);
  });

  it('sends the whole database as SQLite, and leaves no temporary copy behind', async () => {
    const { post } = await start();
    const res = await post('/api/export', { format: 'sqlite' });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
    // Removed once the last byte is handed over (just after the browser has it).
    await vi.waitFor(() => expect(fs.readdirSync(path.join(core!.dataDir, 'exports-tmp'))).toEqual([]));
  });

  it('needs the token, answers a bad range as JSON, and refuses export:run from a page', async () => {
    const { post } = await start();
    expect((await post('/api/export', { format: 'csv' }, null)).status).toBe(401);
    const bad = await post('/api/export', { from: '2026-03-31', to: '2026-03-01', format: 'csv' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/swap the dates/);
    const run = await post('/api/invoke/export:run', { request: { format: 'sqlite' }, out: path.join(makeTempDir(), 'x.sqlite') });
    expect(run.status).toBe(403);
  });
});
