// `vitalsync prefs add | remove | reset`, and `set` saying what it dropped, through the core's
// prefs channels on a real database.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPreference } from '../core/preferences';
import { insertSamples } from '../core/test/samples';
import { makeTempDir, tempCore } from '../core/test/tempCore';
import { placeSourceKey, sameSourceKey } from './prefs';
import { runCliInProcess } from './test/runInProcess';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function dataDir() {
  const d = makeTempDir();
  dirs.push(d);
  return d;
}

async function activity(dir: string): Promise<string[]> {
  const got = await runCliInProcess(['--data-dir', dir, 'prefs', 'get', 'activity', '--json']);
  return (JSON.parse(got.stdout) as { sources: string[] }[])[0].sources;
}

describe('placeSourceKey', () => {
  const list = ['apple_health', 'garmin', 'fitbit'];
  it('puts a new key first, last, before or after another', () => {
    expect(placeSourceKey(list, 'oura', { at: 'first' })).toEqual({ sources: ['oura', ...list], moved: false });
    expect(placeSourceKey(list, 'oura', { at: 'last' })).toEqual({ sources: [...list, 'oura'], moved: false });
    expect(placeSourceKey(list, 'oura', { at: 'before', key: 'garmin' }).sources).toEqual(['apple_health', 'oura', 'garmin', 'fitbit']);
    expect(placeSourceKey(list, 'oura', { at: 'after', key: 'garmin' }).sources).toEqual(['apple_health', 'garmin', 'oura', 'fitbit']);
  });
  it('moves a key already listed (however its apostrophes are written) instead of listing it twice', () => {
    const withDevice = ['apple_health:Jane’s Apple Watch', 'garmin'];
    expect(placeSourceKey(withDevice, "apple_health:Jane's Apple Watch", { at: 'last' })).toEqual({ sources: ['garmin', "apple_health:Jane's Apple Watch"], moved: true });
  });
  it('refuses --after a key that is not in the list, naming the list', () => {
    expect(() => placeSourceKey(list, 'oura', { at: 'after', key: 'whoop' })).toThrow(/--after whoop: that key is not in the list \(apple_health > garmin > fitbit\)/);
  });
  it('sameSourceKey: a bare source is not one of its devices', () => {
    expect(sameSourceKey('apple_health', 'apple_health:iPhone')).toBe(false);
    expect(sameSourceKey('apple_health:iPhone ', 'apple_health:iphone')).toBe(true);
  });
});

describe('vitalsync prefs add | remove | reset', () => {
  it('add puts a key first, after another, or at the end, and keeps every other key', async () => {
    const dir = dataDir();
    const defaults = defaultPreference('activity').sources;
    const first = await runCliInProcess(['--data-dir', dir, 'prefs', 'add', 'activity', 'apple_health:Jane’s Apple Watch', '--first']);
    expect(first.code).toBe(0);
    expect(await activity(dir)).toEqual(['apple_health:Jane’s Apple Watch', ...defaults]);
    expect((await runCliInProcess(['--data-dir', dir, 'prefs', 'add', 'activity', 'garmin', '--first'])).stderr).toContain('garmin was already in the activity list; it moved.');
    expect(await activity(dir)).toEqual(['garmin', 'apple_health:Jane’s Apple Watch', ...defaults.filter((k) => k !== 'garmin')]);
    expect((await runCliInProcess(['--data-dir', dir, 'prefs', 'add', 'activity', 'apple_health:iPhone', '--after', 'garmin'])).code).toBe(0);
    expect((await activity(dir)).slice(0, 3)).toEqual(['garmin', 'apple_health:iPhone', 'apple_health:Jane’s Apple Watch']);
  });

  it('add refuses two positions, an unknown anchor and a source that cannot supply the category', async () => {
    const dir = dataDir();
    expect((await runCliInProcess(['--data-dir', dir, 'prefs', 'add', 'activity', 'garmin', '--first', '--after', 'csv'])).stderr).toContain('give one position, not --first and --after');
    const anchor = await runCliInProcess(['--data-dir', dir, 'prefs', 'add', 'activity', 'garmin', '--before', 'apple_health:Nobody']);
    expect(anchor.code).toBe(2);
    expect(anchor.stderr).toContain('--before apple_health:Nobody: that key is not in the list');
    const cannot = await runCliInProcess(['--data-dir', dir, 'prefs', 'add', 'nutrition', 'strava']);
    expect(cannot.code).toBe(1);
    expect(cannot.stderr).toContain('Strava');
    expect(await activity(dir)).toEqual(defaultPreference('activity').sources);
  });

  it('add says when a device key names no data yet, and which keys have data', async () => {
    const dir = dataDir();
    const core = tempCore({ dataDir: dir });
    insertSamples(core, [{ source: 'apple_health', origin: 'Sam’s Apple Watch', deviceKind: 'watch', metric: 'steps', start: '2026-03-02T08:00:00Z', end: '2026-03-02T08:10:00Z', value: 100 }]);
    core.close();
    const typo = await runCliInProcess(['--data-dir', dir, 'prefs', 'add', 'activity', 'apple_health:Sams Apple Watch', '--first']);
    expect(typo.code).toBe(0);
    expect(typo.stderr).toContain('no data from apple_health:Sams Apple Watch yet');
    expect(typo.stderr).toContain('apple_health:Sam’s Apple Watch');
  });

  it('remove takes keys out and keeps the rest; a key not in the list changes nothing', async () => {
    const dir = dataDir();
    const defaults = defaultPreference('activity').sources;
    const res = await runCliInProcess(['--data-dir', dir, 'prefs', 'remove', 'activity', 'garmin', 'fitbit']);
    expect(res.code).toBe(0);
    expect(await activity(dir)).toEqual(defaults.filter((k) => k !== 'garmin' && k !== 'fitbit'));
    const missing = await runCliInProcess(['--data-dir', dir, 'prefs', 'remove', 'activity', 'garmin', 'csv']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('garmin is not in the activity list');
    expect(missing.stderr).toContain('nothing was changed');
    expect(await activity(dir)).toContain('csv');
  });

  it('remove of the last key says nothing of the category is merged now, and how to undo it', async () => {
    const dir = dataDir();
    expect((await runCliInProcess(['--data-dir', dir, 'prefs', 'set', 'recovery', 'oura'])).code).toBe(0);
    const res = await runCliInProcess(['--data-dir', dir, 'prefs', 'remove', 'recovery', 'oura']);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('recovery now lists no source');
    expect(res.stderr).toContain('vitalsync prefs reset recovery');
  });

  it('reset restores one category, or every one with --all, to the core’s defaults; a bare reset is a usage error', async () => {
    const dir = dataDir();
    await runCliInProcess(['--data-dir', dir, 'prefs', 'set', 'activity', 'garmin', '--fill-gaps', 'off']);
    await runCliInProcess(['--data-dir', dir, 'prefs', 'set', 'sleep', 'garmin']);
    const bare = await runCliInProcess(['--data-dir', dir, 'prefs', 'reset']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--all');
    const one = await runCliInProcess(['--data-dir', dir, 'prefs', 'reset', 'activity', '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual(defaultPreference('activity'));
    const all = JSON.parse((await runCliInProcess(['--data-dir', dir, 'prefs', 'get', '--json'])).stdout) as { category: string; sources: string[] }[];
    expect(all.find((p) => p.category === 'sleep')!.sources).toEqual(['garmin']);
    expect((await runCliInProcess(['--data-dir', dir, 'prefs', 'reset', '--all'])).code).toBe(0);
    const after = JSON.parse((await runCliInProcess(['--data-dir', dir, 'prefs', 'get', '--json'])).stdout) as { category: string }[];
    expect(after).toEqual(after.map((p) => defaultPreference(p.category as never)));
  });
});

describe('vitalsync prefs set', () => {
  it('says which keys it dropped from the list, and how to add one key instead', async () => {
    const dir = dataDir();
    await runCliInProcess(['--data-dir', dir, 'prefs', 'set', 'activity', 'apple_health:Jane’s iPhone', 'garmin']);
    const res = await runCliInProcess(['--data-dir', dir, 'prefs', 'set', 'activity', "apple_health:Jane's Apple Watch", 'garmin']);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('set replaces the whole list, so activity no longer lists apple_health:Jane’s iPhone.');
    expect(res.stderr).toContain('vitalsync prefs add activity <sourceKey> --first');
    // Only the fill-gaps flag: the list stays, nothing is dropped.
    expect((await runCliInProcess(['--data-dir', dir, 'prefs', 'set', 'activity', '--fill-gaps', 'off'])).stderr).toBe('');
  });
});
