import { afterEach, describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES } from '../../shared/contract';
import { dispatch } from './dispatch';
import { tempCore } from './test/tempCore';

let core: ReturnType<typeof tempCore>;
afterEach(() => core?.cleanup());

describe('the contract gate', () => {
  it('answers an unknown channel with UNKNOWN_CHANNEL', async () => {
    core = tempCore();
    const res = await dispatch(core.handlers, 'fs:readFile', { path: '/etc/passwd' });
    expect(res).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: expect.stringContaining('fs:readFile') } });
  });

  it('answers a wrongly typed input with INVALID_INPUT naming the field', async () => {
    core = tempCore();
    const res = await dispatch(core.handlers, 'prefs:set', { category: 'activity', fillGaps: 'yes' });
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('INVALID_INPUT');
      expect(res.error.message).toContain('fillGaps');
    }
  });

  it('refuses unexpected keys and non-object inputs', async () => {
    core = tempCore();
    expect((await dispatch(core.handlers, 'prefs:get', { sneaky: 1 })).ok).toBe(false);
    expect((await dispatch(core.handlers, 'prefs:get', 'string')).ok).toBe(false);
  });

  it('answers an oversized payload with PAYLOAD_TOO_LARGE', async () => {
    core = tempCore();
    const res = await dispatch(core.handlers, 'prefs:set', { category: 'activity', sources: ['x'.repeat(MAX_INPUT_BYTES + 10)] });
    expect(res.ok || res.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reports a migrated, empty database and every catalog source', async () => {
    core = tempCore();
    const res = await dispatch(core.handlers, 'app:status', {});
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const status = res.value as { database: { samples: number; migrationsApplied: number; schemaVersion: number }; sources: { id: string }[] };
    expect(status.database.samples).toBe(0);
    expect(status.database.migrationsApplied).toBe(status.database.schemaVersion);
    expect(status.sources.map((s) => s.id)).toEqual([
      'apple_health', 'csv', 'myfitnesspal', 'cronometer', 'withings', 'oura', 'whoop', 'strava', 'fitbit', 'garmin',
    ]);
  });

  it('runs the database in WAL mode with foreign keys on', () => {
    core = tempCore();
    expect(core.db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(core.db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
