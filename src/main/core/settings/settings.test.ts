import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../dispatch';
import { makeTempDir, tempCore } from '../test/tempCore';
import { JsonSettingsStore } from './index';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('settings', () => {
  it('defaults to metric units, the system theme, no home zone and no update checks', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    expect(new JsonSettingsStore(dir).get()).toEqual({ units: 'metric', theme: 'system', homeTimeZone: null, homeTimeZoneAssumed: false, checkForUpdates: false });
  });

  it('keeps keys it does not own (the desktop app’s window bounds) when saving', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ windowBounds: { x: 1, y: 2, width: 3, height: 4 } }));
    const store = new JsonSettingsStore(dir);
    store.set({ units: 'imperial', homeTimeZone: 'Asia/Tokyo' });
    const raw = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(raw.windowBounds).toEqual({ x: 1, y: 2, width: 3, height: 4 });
    expect(new JsonSettingsStore(dir).get()).toMatchObject({ units: 'imperial', homeTimeZone: 'Asia/Tokyo' });
  });

  it('refuses a time zone the system does not know', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    expect(() => new JsonSettingsStore(dir).set({ homeTimeZone: 'Mars/Olympus' })).toThrow(/not a time zone VitalSync can use/);
  });

  it('starts from defaults when config.json is corrupt instead of refusing to run', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'config.json'), '{ not json');
    expect(new JsonSettingsStore(dir).get().units).toBe('metric');
  });

  it('a zone set without saying it is assumed is a confirmed zone; other changes keep the assumption', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const store = new JsonSettingsStore(dir);
    expect(store.set({ homeTimeZone: 'Europe/Paris', homeTimeZoneAssumed: true })).toMatchObject({ homeTimeZoneAssumed: true });
    expect(store.set({ units: 'imperial' })).toMatchObject({ homeTimeZone: 'Europe/Paris', homeTimeZoneAssumed: true });
    expect(store.set({ homeTimeZone: 'Europe/Paris' })).toMatchObject({ homeTimeZone: 'Europe/Paris', homeTimeZoneAssumed: false });
    expect(new JsonSettingsStore(dir).get().homeTimeZoneAssumed).toBe(false);
  });

  it('settings:set confirms the zone and refuses homeTimeZoneAssumed from outside the core', async () => {
    const core = tempCore();
    try {
      core.settings.set({ homeTimeZone: 'Asia/Tokyo', homeTimeZoneAssumed: true });
      const refused = await dispatch(core.handlers, 'settings:set', { homeTimeZoneAssumed: false });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(core.settings.get().homeTimeZoneAssumed).toBe(true);

      const bad = await dispatch(core.handlers, 'settings:set', { homeTimeZone: 'Mars/Olympus' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(core.settings.get()).toMatchObject({ homeTimeZone: 'Asia/Tokyo', homeTimeZoneAssumed: true });

      const cleared = await dispatch(core.handlers, 'settings:set', { homeTimeZone: null });
      expect(cleared).toMatchObject({ ok: true, value: { homeTimeZone: null, homeTimeZoneAssumed: false } });
    } finally {
      core.cleanup();
    }
  });
});

describe('home time zone names', () => {
  it('stores the canonical IANA name and refuses ambiguous abbreviations', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const store = new JsonSettingsStore(dir);
    expect(store.set({ homeTimeZone: 'europe/paris' }).homeTimeZone).toBe('Europe/Paris');
    expect(store.set({ homeTimeZone: 'US/Pacific' }).homeTimeZone).toBe('America/Los_Angeles');
    expect(() => store.set({ homeTimeZone: 'EST' })).toThrow(/abbreviations like PST or EST/);
    expect(() => store.set({ homeTimeZone: 'pst' })).toThrow(/IANA name/);
    expect(store.get().homeTimeZone).toBe('America/Los_Angeles');
    // A fixed offset is a zone too (no daylight saving).
    expect(store.set({ homeTimeZone: '+05:30' }).homeTimeZone).toBe('+05:30');
  });
});
