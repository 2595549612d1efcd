import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportJob } from '../../../shared/contract';
import { startServer, type RunningServer } from '../../serve';
import { makeTempDir, tempCore } from '../test/tempCore';
import { importManager } from './index';
import { removeStaleUploads, safeUploadName } from './upload';

const FIX = path.join(path.dirname(fileURLToPath(import.meta.url)), 'apple-health', 'fixtures');

let server: RunningServer | null = null;
let core: ReturnType<typeof tempCore> | null = null;
afterEach(async () => {
  await server?.close();
  if (core) {
    await importManager(core).cancelAll();
    core.cleanup();
  }
  server = null;
  core = null;
});

describe('browser-mode upload', () => {
  it('streams a dropped export to the core, imports it and removes the temporary copy', async () => {
    core = tempCore();
    const rendererDir = makeTempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    server = await startServer({ core, rendererDir });
    const base = `http://127.0.0.1:${server.port}`;
    const body = fs.readFileSync(path.join(FIX, 'export-v3.xml'));

    const refused = await fetch(`${base}/api/imports/upload?name=export.xml`, { method: 'POST', body });
    expect(refused.status).toBe(401);

    const res = await fetch(`${base}/api/imports/upload?name=${encodeURIComponent('../../export.xml')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}` },
      body,
    });
    const answer = (await res.json()) as { ok: true; value: ImportJob };
    expect(answer.ok).toBe(true);
    expect(answer.value.fileName).toBe('export.xml');
    const done = await importManager(core).wait(answer.value.id);
    expect(done.status).toBe('completed');
    expect(done.summary.samples.inserted).toBe(5);
    // The temporary copy is gone once the job ends.
    for (let i = 0; i < 50 && fs.readdirSync(path.join(core.dataDir, 'uploads')).length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(fs.readdirSync(path.join(core.dataDir, 'uploads'))).toEqual([]);
    fs.rmSync(rendererDir, { recursive: true, force: true });
  });

  it('removes uploads a crashed session left behind, but not one a running job reads or one still arriving', async () => {
    core = tempCore();
    const uploads = path.join(core.dataDir, 'uploads');
    const make = (name: string, ageMs: number) => {
      const dir = path.join(uploads, name);
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, 'export.zip');
      fs.writeFileSync(file, 'x');
      const t = new Date(Date.now() - ageMs);
      fs.utimesSync(file, t, t);
      fs.utimesSync(dir, t, t);
      return file;
    };
    make('left-by-a-crash', 3_600_000);
    make('still-arriving', 1000);
    const read = make('read-by-a-running-job', 3_600_000);
    // A job of a live process (this one) reading the third folder.
    core.db.$client
      .prepare("INSERT INTO import_jobs (kind, path, status, started_at, summary_json) VALUES ('apple_health', ?, 'running', ?, ?)")
      .run(read, Date.now(), JSON.stringify({ state: { resumeOffset: 0, pid: process.pid } }));
    expect(await removeStaleUploads(core)).toBe(1);
    expect(fs.readdirSync(uploads).sort()).toEqual(['read-by-a-running-job', 'still-arriving']);
    // Once that job's process is gone, its copy is a leftover too (a re-upload resumes the job).
    core.db.$client.prepare('UPDATE import_jobs SET summary_json = ?').run(JSON.stringify({ state: { resumeOffset: 0, pid: 999_999_999 } }));
    expect(await removeStaleUploads(core)).toBe(1);
    expect(fs.readdirSync(uploads)).toEqual(['still-arriving']);
  });

  it('never lets an uploaded name become a path', () => {
    expect(safeUploadName('../../etc/passwd')).toBe('passwd');
    expect(safeUploadName('C:\\Users\\x\\导出.zip')).toBe('导出.zip');
    expect(safeUploadName('..')).toBe('export.zip');
    expect(safeUploadName(null)).toBe('export.zip');
  });
});
