import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../shared/contract';
import { JsonSettingsStore } from '../core/settings';
import { makeTempDir } from '../core/test/tempCore';
import { runCliInProcess as cli } from './test/runInProcess';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function dataDir() {
  const d = makeTempDir();
  dirs.push(d);
  return d;
}

const readConfig = (dir: string) => fs.readFileSync(path.join(dir, 'config.json'), 'utf8');

describe('vitalsync settings', () => {
  it('get prints every setting of the contract, as aligned lines or as JSON', async () => {
    const dir = dataDir();
    const text = await cli(['--data-dir', dir, 'settings', 'get']);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')).toEqual([
      'units                metric',
      'theme                system',
      'homeTimeZone         none',
      'homeTimeZoneAssumed  false',
      'checkForUpdates      false',
    ]);
    const json = await cli(['--data-dir', dir, 'settings', 'get', '--json']);
    expect(json.code).toBe(0);
    const all = JSON.parse(json.stdout);
    expect(Object.keys(all)).toEqual(Object.keys(SettingsSchema.shape));
    expect(all).toEqual({ units: 'metric', theme: 'system', homeTimeZone: null, homeTimeZoneAssumed: false, checkForUpdates: false });
  });

  it('get KEY prints just that value', async () => {
    const dir = dataDir();
    expect(await cli(['--data-dir', dir, 'settings', 'get', 'theme'])).toMatchObject({ code: 0, stdout: 'system' });
    expect(await cli(['--data-dir', dir, 'settings', 'get', 'homeTimeZone'])).toMatchObject({ code: 0, stdout: 'none' });
    expect(await cli(['--data-dir', dir, 'settings', 'get', 'homeTimeZone', '--json'])).toMatchObject({ code: 0, stdout: 'null' });
  });

  it('set then get round-trips, and none or unset clears the home zone', async () => {
    const dir = dataDir();
    const set = await cli(['--data-dir', dir, 'settings', 'set', 'homeTimeZone', 'America/Los_Angeles']);
    expect(set).toMatchObject({ code: 0, stdout: 'homeTimeZone  America/Los_Angeles' });
    expect((await cli(['--data-dir', dir, 'settings', 'get', 'homeTimeZone'])).stdout).toBe('America/Los_Angeles');
    expect((await cli(['--data-dir', dir, 'settings', 'set', 'units', 'imperial'])).code).toBe(0);
    expect(JSON.parse((await cli(['--data-dir', dir, 'settings', 'get', '--json'])).stdout)).toMatchObject({
      units: 'imperial',
      homeTimeZone: 'America/Los_Angeles',
    });

    expect((await cli(['--data-dir', dir, 'settings', 'set', 'homeTimeZone', 'none'])).code).toBe(0);
    expect((await cli(['--data-dir', dir, 'settings', 'get', 'homeTimeZone', '--json'])).stdout).toBe('null');
    await cli(['--data-dir', dir, 'settings', 'set', 'homeTimeZone', 'Asia/Tokyo']);
    expect((await cli(['--data-dir', dir, 'settings', 'set', 'homeTimeZone', 'unset'])).code).toBe(0);
    expect((await cli(['--data-dir', dir, 'settings', 'get', 'homeTimeZone'])).stdout).toBe('none');
  });

  it('an unknown zone exits 1 with the reason and changes nothing', async () => {
    const dir = dataDir();
    await cli(['--data-dir', dir, 'settings', 'set', 'homeTimeZone', 'Europe/Paris']);
    const before = readConfig(dir);
    const res = await cli(['--data-dir', dir, 'settings', 'set', 'homeTimeZone', 'Mars/Olympus']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('"Mars/Olympus" is not a time zone');
    expect(res.stdout).toBe('');
    expect(readConfig(dir)).toBe(before);
    expect((await cli(['--data-dir', dir, 'settings', 'get', 'homeTimeZone'])).stdout).toBe('Europe/Paris');
  });

  it('a value outside the allowed ones exits non-zero naming them', async () => {
    const dir = dataDir();
    const res = await cli(['--data-dir', dir, 'settings', 'set', 'units', 'furlongs']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/metric.*imperial/);
    expect((await cli(['--data-dir', dir, 'settings', 'get', 'units'])).stdout).toBe('metric');
  });

  it('an unknown key exits non-zero naming the keys there are', async () => {
    const dir = dataDir();
    const get = await cli(['--data-dir', dir, 'settings', 'get', 'colour']);
    expect(get.code).toBe(2);
    expect(get.stderr).toContain('unknown setting "colour"');
    for (const key of Object.keys(SettingsSchema.shape)) expect(get.stderr).toContain(key);

    const set = await cli(['--data-dir', dir, 'settings', 'set', 'colour', 'red']);
    expect(set.code).toBe(2);
    expect(set.stderr).toContain('unknown setting "colour"');
    for (const key of ['units', 'theme', 'homeTimeZone']) expect(set.stderr).toContain(key);
    expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(false);
  });

  it('homeTimeZoneAssumed is VitalSync’s to set; setting the zone, even the same one, confirms it', async () => {
    const dir = dataDir();
    new JsonSettingsStore(dir).set({ homeTimeZone: 'Europe/Paris', homeTimeZoneAssumed: true });
    const refused = await cli(['--data-dir', dir, 'settings', 'set', 'homeTimeZoneAssumed', 'false']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('set by VitalSync itself');
    expect((await cli(['--data-dir', dir, 'settings', 'get', 'homeTimeZoneAssumed'])).stdout).toBe('true');

    // Changing another setting leaves the assumption in place.
    await cli(['--data-dir', dir, 'settings', 'set', 'theme', 'dark']);
    expect((await cli(['--data-dir', dir, 'settings', 'get', 'homeTimeZoneAssumed'])).stdout).toBe('true');

    expect((await cli(['--data-dir', dir, 'settings', 'set', 'homeTimeZone', 'Europe/Paris'])).code).toBe(0);
    expect(JSON.parse((await cli(['--data-dir', dir, 'settings', 'get', '--json'])).stdout)).toMatchObject({
      homeTimeZone: 'Europe/Paris',
      homeTimeZoneAssumed: false,
      theme: 'dark',
    });
  });

  it('explains usage mistakes with exit code 2, and help lists the command', async () => {
    const dir = dataDir();
    expect((await cli(['--data-dir', dir, 'settings'])).code).toBe(2);
    expect((await cli(['--data-dir', dir, 'settings', 'frob'])).code).toBe(2);
    const noValue = await cli(['--data-dir', dir, 'settings', 'set', 'theme']);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('system|light|dark');
    expect((await cli(['--data-dir', dir, 'settings', 'set', 'homeTimeZone', 'America/New', 'York'])).code).toBe(2);
    expect((await cli(['--data-dir', dir, 'settings', 'get', 'units', 'theme'])).code).toBe(2);
    const help = await cli(['help']);
    expect(help.stdout).toContain('settings get [KEY] [--json] | settings set KEY VALUE');
  });
});
