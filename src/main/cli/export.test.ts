import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { insertSamples } from '../core/test/samples';
import { makeTempDir, tempCore } from '../core/test/tempCore';
import { runCliInProcess as cli } from './test/runInProcess';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function seeded(): string {
  const core = tempCore();
  insertSamples(core, [
    { source: 'apple_health', origin: 'Apple Watch', deviceKind: 'watch', metric: 'steps', start: '2026-03-02T08:00:00+01:00', end: '2026-03-02T09:00:00+01:00', value: 600 },
    { source: 'apple_health', origin: 'iPhone', deviceKind: 'phone', metric: 'steps', start: '2026-03-02T08:30:00+01:00', end: '2026-03-02T09:30:00+01:00', value: 400 },
    { source: 'withings', origin: 'Body+', deviceKind: 'scale', metric: 'weight', start: '2026-03-03T07:00:00+01:00', value: 71.5 },
  ]);
  const dir = core.dataDir;
  core.close();
  dirs.push(dir);
  return dir;
}

describe('vitalsync export', () => {
  it('writes merged daily values with their shares as CSV, and says what it wrote', async () => {
    const dir = seeded();
    const out = path.join(makeTempDir(), 'm.csv');
    dirs.push(path.dirname(out));
    const res = await cli(['--data-dir', dir, 'export', '--from', '2026-03-01', '--to', '2026-03-31', '--metrics', 'steps,weight', '--format', 'csv', '--out', out]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Wrote 2 daily values to .*m\.csv \(/);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['steps,2026-03-02,800', 'weight,2026-03-03,71.5']);
    expect(lines[1]).toContain('""origin"":""Apple Watch"",""share"":0.75');
  });

  it('--raw --json: every sample, and the result as JSON; FHIR names what it left out', async () => {
    const dir = seeded();
    const folder = makeTempDir();
    dirs.push(folder);
    const raw = JSON.parse((await cli(['--data-dir', dir, 'export', '--raw', '--format', 'json', '--out', path.join(folder, 'r.json'), '--json'])).stdout);
    expect(raw).toMatchObject({ format: 'json', values: 'raw', rows: 3 });
    const fhir = await cli(['--data-dir', dir, 'export', '--format', 'fhir', '--metrics', 'weight,floors', '--out', path.join(folder, 'b.json')]);
    expect(fhir.stdout).toMatch(/Wrote 1 FHIR Observations/);
    const db = await cli(['--data-dir', dir, 'export', '--format', 'sqlite', '--out', path.join(folder, 'all.sqlite')]);
    expect(db.code).toBe(0);
    expect(fs.existsSync(path.join(folder, 'all.sqlite'))).toBe(true);
  });

  it('usage mistakes say what to give', async () => {
    const dir = seeded();
    expect((await cli(['--data-dir', dir, 'export', '--format', 'xml', '--out', 'x'])).stderr).toMatch(/--format csv\|json\|fhir\|sqlite/);
    expect((await cli(['--data-dir', dir, 'export', '--format', 'csv'])).stderr).toMatch(/--out FILE/);
    expect((await cli(['--data-dir', dir, 'export', '--format', 'csv', '--out', 'x', '--from', '2026-03-01'])).stderr).toMatch(/both --from and --to/);
    expect((await cli(['--data-dir', dir, 'export', '--format', 'csv', '--out', 'x', '--metrics', 'stepz'])).stderr).toMatch(/not metrics: stepz/);
    const res = await cli(['--data-dir', dir, 'export', '--format', 'csv', '--out', '/no/such/dir/x.csv']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/does not exist; create it or choose another/);
  });
});
