import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test/tempCore';
import { JsonSettingsStore } from './index';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('settings', () => {
  it('defaults to metric units, the system theme and the machine zone', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    expect(new JsonSettingsStore(dir).get()).toEqual({ units: 'metric', theme: 'system', homeTimeZone: null });
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
    expect(() => new JsonSettingsStore(dir).set({ homeTimeZone: 'Mars/Olympus' })).toThrow(/not a time zone/);
  });

  it('starts from defaults when config.json is corrupt instead of refusing to run', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'config.json'), '{ not json');
    expect(new JsonSettingsStore(dir).get().units).toBe('metric');
  });
});
