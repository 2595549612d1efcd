import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../dispatch';
import { tempCore } from '../test/tempCore';

let core: ReturnType<typeof tempCore>;
afterEach(() => core?.cleanup());

describe('preferences', () => {
  it('starts with a default list for every category, all able to supply it', async () => {
    core = tempCore();
    const all = core.prefs.getAll();
    expect(all.map((p) => p.category)).toEqual(['activity', 'sleep', 'heart', 'body', 'vitals', 'nutrition', 'workouts', 'recovery']);
    expect(all.find((p) => p.category === 'nutrition')!.sources[0]).toBe('cronometer');
    expect(all.every((p) => p.fillGaps)).toBe(true);
  });

  it('a saved order survives reopening the database', async () => {
    core = tempCore();
    const dataDir = core.dataDir;
    await dispatch(core.handlers, 'prefs:set', { category: 'activity', sources: ['garmin', 'apple_health:Jane’s Apple Watch'], fillGaps: false });
    core.close();
    const reopened = tempCore({ dataDir });
    const activity = reopened.prefs.get('activity');
    expect(activity.sources).toEqual(['garmin', 'apple_health:Jane’s Apple Watch']);
    expect(activity.fillGaps).toBe(false);
    core = reopened;
  });

  it('refuses a source that cannot supply the category, naming both', async () => {
    core = tempCore();
    const res = await dispatch(core.handlers, 'prefs:set', { category: 'sleep', sources: ['strava'] });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('INVALID_INPUT');
    expect(res.error.message).toContain('Strava');
    expect(res.error.message).toContain('sleep');
    expect(core.prefs.get('sleep').sources).not.toContain('strava');
  });

  it('refuses unknown sources, duplicates and overrides for metrics of another category', async () => {
    core = tempCore();
    const unknown = await dispatch(core.handlers, 'prefs:set', { category: 'activity', sources: ['polar'] });
    expect(unknown.ok || unknown.error.message).toContain('"polar" is not a source');
    const dup = await dispatch(core.handlers, 'prefs:set', { category: 'activity', sources: ['garmin', 'garmin'] });
    expect(dup.ok || dup.error.message).toContain('appears twice');
    const override = await dispatch(core.handlers, 'prefs:set', {
      category: 'activity',
      overrides: { weight: { sources: ['withings'], fillGaps: true } },
    });
    expect(override.ok || override.error.message).toContain('not a metric of Activity');
  });

  it('keeps a per-metric override and resets to defaults', async () => {
    core = tempCore();
    const res = await dispatch(core.handlers, 'prefs:set', {
      category: 'activity',
      overrides: { steps: { sources: ['garmin', 'apple_health'], fillGaps: false } },
    });
    expect(res.ok).toBe(true);
    expect(core.prefs.get('activity').overrides.steps).toEqual({ sources: ['garmin', 'apple_health'], fillGaps: false });
    core.prefs.reset('activity');
    expect(core.prefs.get('activity').overrides).toEqual({});
  });
});
