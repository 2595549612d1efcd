import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportJob, ImportPreview, MappingCheck } from '../../../shared/contract';
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
  it('stages a dropped export, previews it by its path, imports it on start and removes the staged copy when the job ends', async () => {
    core = tempCore();
    const rendererDir = makeTempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    server = await startServer({ core, rendererDir });
    const base = `http://127.0.0.1:${server.port}`;
    const auth = { authorization: `Bearer ${server.token}` };
    const body = fs.readFileSync(path.join(FIX, 'export-v3.xml'));

    const refused = await fetch(`${base}/api/imports/upload?name=export.xml`, { method: 'POST', body });
    expect(refused.status).toBe(401);

    const res = await fetch(`${base}/api/imports/upload?name=${encodeURIComponent('../../export.xml')}`, { method: 'POST', headers: auth, body });
    const staged = (await res.json()) as { ok: true; value: { path: string } };
    expect(staged.ok).toBe(true);
    // Staged under uploads/, by its own name, and nothing imported yet.
    expect(path.relative(path.join(core.dataDir, 'uploads'), staged.value.path).split(path.sep)).toEqual([expect.stringMatching(/^[0-9a-f]{16}$/), 'export.xml']);
    expect(fs.readFileSync(staged.value.path)).toEqual(body);
    expect(importManager(core).list()).toEqual([]);

    const invoke = async <T>(channel: string, input: unknown) =>
      (await (await fetch(`${base}/api/invoke/${channel}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(input) })).json()) as { ok: true; value: T };
    const preview = await invoke<ImportPreview>('imports:preview', { path: staged.value.path });
    expect(preview.value.fileName).toBe('export.xml');
    expect(preview.value.recognised.map((r) => r.importer)).toEqual(['apple_health']);

    const started = await fetch(`${base}/api/imports/upload/start`, { method: 'POST', headers: auth, body: JSON.stringify({ path: staged.value.path }) });
    const answer = (await started.json()) as { ok: true; value: ImportJob };
    expect(answer.ok).toBe(true);
    expect(answer.value.fileName).toBe('export.xml');
    const done = await importManager(core).wait(answer.value.id);
    expect(done.status).toBe('completed');
    expect(done.summary.samples.inserted).toBe(5);
    // The staged copy is gone once the job ends.
    for (let i = 0; i < 50 && fs.readdirSync(path.join(core.dataDir, 'uploads')).length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(fs.readdirSync(path.join(core.dataDir, 'uploads'))).toEqual([]);
    // Starting it again says it is gone and what to do.
    const again = await fetch(`${base}/api/imports/upload/start`, { method: 'POST', headers: auth, body: JSON.stringify({ path: staged.value.path }) });
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/Choose the file again/);
    fs.rmSync(rendererDir, { recursive: true, force: true });
  });

  it('starts and discards only staged uploads, and keeps a staged file whose start needs an answer first', async () => {
    core = tempCore();
    const rendererDir = makeTempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    server = await startServer({ core, rendererDir });
    const base = `http://127.0.0.1:${server.port}`;
    const auth = { authorization: `Bearer ${server.token}` };
    const post = (route: string, body: unknown) => fetch(`${base}/api/imports/upload/${route}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });

    // Any other file (here the fixture itself, or one beside a staged folder) is never started or removed.
    const outside = path.join(FIX, 'export-v3.xml');
    expect((await post('start', { path: outside })).status).toBe(404);
    fs.writeFileSync(path.join(core.dataDir, 'uploads-note.txt'), 'x');
    fs.mkdirSync(path.join(core.dataDir, 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(core.dataDir, 'uploads', 'loose.xml'), 'x');
    for (const p of [outside, path.join(core.dataDir, 'uploads-note.txt'), path.join(core.dataDir, 'uploads', 'loose.xml'), path.join(core.dataDir, 'uploads', 'abc', '..', 'loose.xml')]) {
      expect(((await (await post('discard', { path: p })).json()) as { value: { removed: boolean } }).value.removed).toBe(false);
      expect(fs.existsSync(path.resolve(p))).toBe(true);
    }
    expect(importManager(core).list()).toEqual([]);
    expect((await post('start', { nope: 1 })).status).toBe(400);

    // A CSV with no home zone set: the start says what is missing, and the staged file stays for the next try.
    const csv = 'Date,Weight (kg)\n2026-03-01,80.5\n';
    const staged = ((await (await fetch(`${base}/api/imports/upload?name=weight.csv`, { method: 'POST', headers: auth, body: csv })).json()) as { value: { path: string } }).value.path;
    const mapping = { layout: 'wide', date: { column: 'Date', format: 'iso' }, columns: [{ column: 'Weight (kg)', metric: 'weight', unit: 'kg' }], origin: 'Scale' };
    // Checked by its staged path over the same /api/invoke as every channel (hyphenated names too).
    const checked = (await (
      await fetch(`${base}/api/invoke/imports:check-mapping`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ path: staged, mapping }) })
    ).json()) as { ok: true; value: MappingCheck };
    expect(checked.value.values).toEqual([{ row: 2, metric: 'weight', time: '2026-03-01', value: 80.5, unit: 'kg' }]);
    const refused = await post('start', { path: staged, choices: { mapping } });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('NEEDS_HOME_ZONE');
    expect(fs.existsSync(staged)).toBe(true);
    const started = (await (await post('start', { path: staged, choices: { mapping, zone: 'Europe/Paris' } })).json()) as { ok: true; value: ImportJob };
    expect((await importManager(core).wait(started.value.id)).summary.samples.inserted).toBe(1);

    // Discarding a staged file removes its folder.
    const other = ((await (await fetch(`${base}/api/imports/upload?name=other.csv`, { method: 'POST', headers: auth, body: csv })).json()) as { value: { path: string } }).value.path;
    expect(((await (await post('discard', { path: other })).json()) as { value: { removed: boolean } }).value.removed).toBe(true);
    expect(fs.existsSync(path.dirname(other))).toBe(false);
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
