import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS, getMetric, METRICS, SOURCES, sourceCategories } from './catalog';
import { normalizeOriginName, parseSourceKey } from './sourceKey';

describe('catalog', () => {
  it('knows the ten sources by their ids', () => {
    expect(SOURCES.map((s) => s.id)).toEqual(['apple_health', 'csv', 'myfitnesspal', 'cronometer', 'withings', 'oura', 'whoop', 'strava', 'fitbit', 'garmin']);
  });

  it('every source supplies only catalog metrics, and every unavailable source says why', () => {
    for (const s of SOURCES) {
      for (const id of s.metrics) expect(getMetric(id), `${s.id} -> ${id}`).toBeDefined();
      if (!s.available) expect(s.unavailableReason).toBeTruthy();
    }
  });

  it('keeps SDNN and RMSSD apart and gives every metric a category, kind and unit', () => {
    expect(getMetric('hrv_sdnn')!.id).not.toBe(getMetric('hrv_rmssd')!.id);
    for (const m of METRICS) {
      expect(CATEGORY_IDS).toContain(m.category);
      expect(m.unit).toBeTruthy();
    }
  });

  it('Strava supplies workouts but not sleep', () => {
    const strava = SOURCES.find((s) => s.id === 'strava')!;
    expect(sourceCategories(strava)).toContain('workouts');
    expect(sourceCategories(strava)).not.toContain('sleep');
  });
});

describe('source keys', () => {
  it('parses a source and a source with an origin that contains colons', () => {
    expect(parseSourceKey('garmin')).toEqual({ source: 'garmin', origin: null });
    expect(parseSourceKey('apple_health:Jane’s Watch: Ultra')).toEqual({ source: 'apple_health', origin: 'Jane’s Watch: Ultra' });
    expect(parseSourceKey('polar')).toBeNull();
    expect(parseSourceKey('apple_health:')).toBeNull();
  });

  it('treats curly and straight apostrophes as one origin', () => {
    expect(normalizeOriginName('Jane’s Apple Watch')).toBe(normalizeOriginName("Jane's  Apple Watch"));
  });
});
