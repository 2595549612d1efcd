import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { insertSamples } from '../core/test/samples';
import { tempCore } from '../core/test/tempCore';
import { runCliInProcess } from './test/runInProcess';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const cli = runCliInProcess;

/** A data folder holding a Watch and an iPhone that both counted steps on two days. */
function seeded(): string {
  const core = tempCore();
  insertSamples(core, [
    { source: 'apple_health', origin: 'Apple Watch', deviceKind: 'watch', metric: 'steps', start: '2026-03-02T08:00:00+01:00', end: '2026-03-02T09:00:00+01:00', value: 600 },
    { source: 'apple_health', origin: 'iPhone', deviceKind: 'phone', metric: 'steps', start: '2026-03-02T08:30:00+01:00', end: '2026-03-02T09:30:00+01:00', value: 400 },
    { source: 'apple_health', origin: 'iPhone', deviceKind: 'phone', metric: 'steps', start: '2026-03-03T10:00:00+01:00', end: '2026-03-03T11:00:00+01:00', value: 900 },
    { source: 'apple_health', origin: 'Apple Watch', deviceKind: 'watch', metric: 'sleep', category: 'deep', start: '2026-03-02T23:00:00+01:00', end: '2026-03-03T01:00:00+01:00' },
  ]);
  const dir = core.dataDir;
  core.close();
  dirs.push(dir);
  return dir;
}

describe('vitalsync query', () => {
  it('prints merged steps with shares that sum to 1 per bucket', async () => {
    const dir = seeded();
    const res = await cli(['--data-dir', dir, 'query', 'steps', '--from', '2026-03-01', '--to', '2026-03-07', '--json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toEqual({
      metric: 'steps',
      unit: 'count',
      buckets: [
        {
          start: '2026-03-02',
          value: 800,
          sources: expect.arrayContaining([
            { source: 'apple_health', origin: 'Apple Watch', share: 0.75 },
            { source: 'apple_health', origin: 'iPhone', share: 0.25 },
          ]),
          excluded: 0,
        },
        { start: '2026-03-03', value: 900, sources: [{ source: 'apple_health', origin: 'iPhone', share: 1 }], excluded: 0 },
      ],
    });
    for (const b of out.buckets) expect(b.sources.reduce((a: number, s: { share: number }) => a + s.share, 0)).toBeCloseTo(1, 9);
    const week = JSON.parse((await cli(['--data-dir', dir, 'query', 'steps', '--from', '2026-03-01', '--to', '2026-03-07', '--bucket', 'week', '--json'])).stdout);
    expect(week.buckets).toEqual([expect.objectContaining({ start: '2026-03-02', value: 1700 })]);
  });

  it('gives sleep in minutes asleep with its stages, on the day the night ends', async () => {
    const dir = seeded();
    const out = JSON.parse((await cli(['--data-dir', dir, 'query', 'sleep', '--from', '2026-03-01', '--to', '2026-03-07', '--json'])).stdout);
    expect(out.buckets).toEqual([
      {
        start: '2026-03-03',
        value: 120,
        sources: [{ source: 'apple_health', origin: 'Apple Watch', share: 1 }],
        excluded: 0,
        stages: { awake: 0, light: 0, deep: 120, rem: 0, unspecified: 0, inBed: 120 },
        sessions: [expect.objectContaining({ asleep: 120, inBed: 120, nap: false })],
      },
    ]);
  });

  it('refuses a date that is not one, saying how to write it', async () => {
    const dir = seeded();
    const res = await cli(['--data-dir', dir, 'query', 'steps', '--from', '2026-02-30', '--to', '2026-03-07', '--json']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('"2026-02-30" is not a date; use YYYY-MM-DD');
  });

  it('rebuild reports what it rebuilt', async () => {
    const dir = seeded();
    const res = await cli(['--data-dir', dir, 'rebuild', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ samples: 4 });
  });
});

describe('vitalsync query when the merged values cannot be updated', () => {
  it('prints what it has, says the numbers may be out of date, and exits non-zero', async () => {
    const dir = seeded();
    const db = new Database(path.join(dir, 'vitalsync.db'));
    db.exec(`CREATE TRIGGER break_rebuilds BEFORE INSERT ON derived_daily BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END`);
    db.close();
    const res = await cli(['--data-dir', dir, 'query', 'steps', '--from', '2026-03-01', '--to', '2026-03-07', '--json']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('simulated write failure');
    expect(res.stderr).toContain('may be out of date');
    const rebuild = await cli(['--data-dir', dir, 'rebuild']);
    expect(rebuild.code).toBe(1);
    expect(rebuild.stderr).toContain('Rebuilding the merged values failed: simulated write failure');
  });
});
