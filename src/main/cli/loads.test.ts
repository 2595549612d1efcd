// What a command loads: each command's module only when it runs, the core only for commands that
// open the database. Start-up time is what this protects (measured in the report, never timed
// here); the test checks the module graph a real process loads (node --import tsx, with a
// loader hook that writes down every module).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, PROJECT_ROOT } from '../core/test/tempCore';

const dir = makeTempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function loads(args: string[], dataDir = dir): string[] {
  const file = path.join(dir, `loads-${args.join('-')}`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--import', './src/main/cli/test/traceLoads.mjs', 'src/main/cli.ts', '--data-dir', dataDir, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, VITALSYNC_TRACE_LOADS: file },
    encoding: 'utf8',
  });
  expect(res.status).toBe(0);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((url) => url.replace(`file://${PROJECT_ROOT}/`, ''));
}

const otherCommands = (except: string) => ['serve', 'import', 'connect', 'query', 'settings', 'prefs', 'metrics', 'status'].filter((c) => c !== except).map((c) => `src/main/cli/${c}.ts`);

describe('what a command loads', () => {
  it('status loads its own module and the core, not the other commands or the browser-mode server', () => {
    const files = loads(['status']);
    expect(files).toContain('src/main/cli/status.ts');
    expect(files).toContain('src/main/core/index.ts');
    for (const f of [...otherCommands('status'), 'src/main/serve.ts']) expect(files).not.toContain(f);
    expect(files.some((f) => f.includes('node_modules/ws/'))).toBe(false);
  }, 60_000);

  // The core's import and export handlers load their modules on a channel's first call
  // (core/handlers.ts lazyHandlers): reading the database needs no importer, no papaparse or
  // yauzl, and no export format.
  const notForReading = (f: string) => /^src\/main\/core\/(imports|export)\//.test(f) || /node_modules\/(papaparse|yauzl|yazl|sax)\//.test(f);

  it.each([['status'], ['query', 'steps', '--from', '2024-01-01', '--to', '2024-01-31']])('%s loads no importer and no export module', (...args) => {
    const files = loads(args);
    expect(files).toContain('src/main/core/index.ts');
    expect(files.filter(notForReading)).toEqual([]);
  }, 60_000);

  it('help and metrics load no core and open no database', () => {
    const fresh = path.join(dir, 'fresh');
    for (const args of [['help'], ['metrics', '--json']]) {
      const files = loads(args, fresh);
      expect(files).not.toContain('src/main/core/index.ts');
      expect(files.some((f) => f.includes('node_modules/better-sqlite3/'))).toBe(false);
    }
    expect(fs.existsSync(path.join(fresh, 'vitalsync.db'))).toBe(false);
  }, 60_000);
});
