import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { insertSamples } from '../core/test/samples';
import { makeTempDir, PROJECT_ROOT, tempCore } from '../core/test/tempCore';
import { runCliInProcess } from './test/runInProcess';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const cli = runCliInProcess;

function dataDir() {
  const d = makeTempDir();
  dirs.push(d);
  return d;
}

describe('vitalsync CLI', () => {
  it('status --json describes an empty, migrated database and the catalog', async () => {
    const dir = dataDir();
    const res = await cli(['--data-dir', dir, 'status', '--json']);
    expect(res.code).toBe(0);
    const status = JSON.parse(res.stdout);
    expect(status.dataDir).toBe(dir);
    expect(status.database.samples).toBe(0);
    expect(status.database.migrationsApplied).toBeGreaterThan(0);
    expect(status.database.migrationsApplied).toBe(status.database.schemaVersion);
    expect(status.sources).toHaveLength(10);
    expect(fs.existsSync(path.join(dir, 'vitalsync.db'))).toBe(true);
  });

  it('prefs set then prefs get --json round-trips, origins with curly apostrophes included', async () => {
    const dir = dataDir();
    const set = await cli(['--data-dir', dir, 'prefs', 'set', 'activity', 'apple_health:Jane’s Apple Watch', 'garmin', '--fill-gaps', 'off']);
    expect(set.code).toBe(0);
    const got = await cli(['--data-dir', dir, 'prefs', 'get', '--json']);
    const activity = JSON.parse(got.stdout).find((p: { category: string }) => p.category === 'activity');
    expect(activity).toEqual({ category: 'activity', sources: ['apple_health:Jane’s Apple Watch', 'garmin'], fillGaps: false, overrides: {} });
  });

  it('status says how each connection is doing and which home time zone counts the days', async () => {
    const dir = dataDir();
    const core = tempCore({ dataDir: dir });
    const now = Date.now();
    core.db.$client
      .prepare("INSERT INTO connections (provider, account_id, status, last_error, created_at, updated_at) VALUES ('whoop', '1', 'needs_reauth', 'WHOOP no longer accepts VitalSync''s sign-in.', ?, ?)")
      .run(now, now);
    core.settings.set({ homeTimeZone: 'Europe/Paris', homeTimeZoneAssumed: true });
    core.close();
    const res = await cli(['--data-dir', dir, 'status']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/whoop .* · needs reconnecting \(vitalsync connect\): WHOOP no longer accepts/);
    expect(res.stdout).toContain('Home time zone: Europe/Paris (assumed from your data;');
  });

  it('prefs set says when a device key names no data (a typo selects nothing), and lists the keys that have data', async () => {
    const dir = dataDir();
    const core = tempCore({ dataDir: dir });
    insertSamples(core, [{ source: 'apple_health', origin: 'Sam’s Apple Watch', deviceKind: 'watch', metric: 'steps', start: '2026-03-02T08:00:00Z', end: '2026-03-02T08:10:00Z', value: 100 }]);
    core.close();
    const typo = await cli(['--data-dir', dir, 'prefs', 'set', 'activity', 'apple_health:Sams Apple Watch']);
    expect(typo.code).toBe(0);
    expect(typo.stderr).toContain('no data from apple_health:Sams Apple Watch yet');
    expect(typo.stderr).toContain('apple_health:Sam’s Apple Watch');
    const right = await cli(['--data-dir', dir, 'prefs', 'set', 'activity', "apple_health:Sam's Apple Watch"]);
    expect(right.stderr).not.toContain('no data from');
    // Replacing the list with the right key drops the typo, and says so.
    expect(right.stderr).toContain('no longer lists apple_health:Sams Apple Watch');
  });

  it('prefs set with a source that cannot supply the category exits non-zero naming both', async () => {
    const dir = dataDir();
    const res = await cli(['--data-dir', dir, 'prefs', 'set', 'nutrition', 'strava']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('Strava');
    expect(res.stderr).toContain('nutrition');
  });

  it('explains usage mistakes with exit code 2', async () => {
    const dir = dataDir();
    expect((await cli(['--data-dir', dir, 'prefs', 'set', 'moods', 'garmin'])).code).toBe(2);
    expect((await cli(['--data-dir', dir, 'prefs', 'set', 'activity', 'garmin', '--fill-gaps', 'maybe'])).stderr).toContain('"on" or "off"');
    const unknown = await cli(['--data-dir', dir, 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
    expect((await cli(['--data-dir', dir, 'status', '--bogus'])).code).toBe(2);
  });

  it('help lists every command', async () => {
    const res = await cli(['--help']);
    expect(res.code).toBe(0);
    for (const name of ['status', 'prefs', 'serve']) expect(res.stdout).toContain(name);
  });
});

describe('the built CLI in a pipe', () => {
  // Runs the built CLI (`npm test` builds before testing).
  const built = fs.existsSync(path.join(PROJECT_ROOT, 'out', 'main', 'cli.js'));
  it.skipIf(!built)('stops quietly when the reader closes the pipe early (`vitalsync help | head -1`)', () => {
    const bin = path.join(PROJECT_ROOT, 'bin', 'vitalsync.js');
    const dir = dataDir();
    const res = spawnSync('bash', ['-c', `set -o pipefail; for i in 1 2 3; do node "${bin}" --data-dir "${dir}" help; done | head -1`], { encoding: 'utf8' });
    expect(res.stderr).not.toContain('EPIPE');
    expect(res.stdout.trim().length).toBeGreaterThan(0);
  });
});
