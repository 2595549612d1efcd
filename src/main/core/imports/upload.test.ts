import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportJob } from '../../../shared/contract';
import { startServer, type RunningServer } from '../../serve';
import { makeTempDir, tempCore } from '../test/tempCore';
import { importManager } from './index';
import { safeUploadName } from './upload';

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

  it('never lets an uploaded name become a path', () => {
    expect(safeUploadName('../../etc/passwd')).toBe('passwd');
    expect(safeUploadName('C:\\Users\\x\\导出.zip')).toBe('导出.zip');
    expect(safeUploadName('..')).toBe('export.zip');
    expect(safeUploadName(null)).toBe('export.zip');
  });
});
