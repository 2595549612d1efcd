// The CLI as a process whose reader stops early (`vitalsync … | head`): it must end quietly,
// exit code 0 and nothing on stderr, for every command that prints a lot, whether the pipe is
// closed before it writes (its first write comes after an await: the core, the query) or in the
// middle of its output. Runs the source through the same entry as bin (src/main/cli.ts) with tsx.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSamples } from '../core/test/samples';
import { makeTempDir, PROJECT_ROOT, tempCore } from '../core/test/tempCore';

const ENTRY = path.join(PROJECT_ROOT, 'src/main/cli.ts');
const BARE_ENTRY = path.join(PROJECT_ROOT, 'src/main/cli/test/bareEntry.ts');
const MIXED_CSV = path.join(PROJECT_ROOT, 'src/main/core/imports/generic-csv/fixtures/mixed.csv');
const DAYS = 1000;
let dataDir: string;

beforeAll(() => {
  dataDir = makeTempDir();
  const core = tempCore({ dataDir });
  const day0 = Date.UTC(2023, 0, 1);
  insertSamples(
    core,
    Array.from({ length: DAYS }, (_, i) => {
      const start = new Date(day0 + i * 86_400_000 + 8 * 3_600_000);
      return { source: 'apple_health', origin: 'Sam’s Apple Watch', deviceKind: 'watch', metric: 'steps', start: start.toISOString(), end: new Date(start.getTime() + 600_000).toISOString(), value: 1000 + i };
    }),
  );
  core.close();
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Runs an entry with stdout a pipe whose reading end is already closed. */
function intoClosedPipe(entry: string, args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

const QUERY = ['query', 'steps', '--from', '2023-01-01', '--to', '2025-12-31'];

describe('the CLI in a pipe whose reader stops early', () => {
  // Through a front door that only calls runCli (as the app's --cli does): nothing after the
  // command ends the process, so a write error reported late would surface here.
  it('ends quietly (exit 0, nothing on stderr) for every command that prints a lot', async () => {
    const commands = [['help'], ['status'], ['status', '--json'], ['prefs', 'get'], QUERY, [...QUERY, '--json'], ['metrics'], ['metrics', '--json'], ['import', MIXED_CSV, '--preview']];
    const runs = [...commands.map((args) => ({ entry: BARE_ENTRY, args })), { entry: ENTRY, args: ['status'] }, { entry: ENTRY, args: QUERY }];
    const results = await Promise.all(runs.map(({ entry, args }) => intoClosedPipe(entry, ['--data-dir', dataDir, ...args])));
    for (const [i, res] of results.entries()) {
      const run = `${path.basename(runs[i].entry)} ${runs[i].args.join(' ')}`;
      expect({ run, ...res }).toEqual({ run, code: 0, signal: null, stderr: '' });
    }
  }, 120_000);

  it('`vitalsync query steps … --json | head -1` prints the first line and no EPIPE stack', () => {
    const cmd = `set -o pipefail; "${process.execPath}" --import tsx "${ENTRY}" --data-dir "${dataDir}" ${[...QUERY, '--json'].join(' ')} | head -1`;
    const res = spawnSync('bash', ['-c', cmd], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(res.stdout).toBe('{\n');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  }, 60_000);
});
