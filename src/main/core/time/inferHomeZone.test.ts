// The home zone VitalSync assumes when none is set, from what an export says about it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assumedHomeZoneWarning, contradictedHomeZoneWarning, exportZoneContradicting, inferHomeZone, localeCountry, type OffsetObservation } from './inferHomeZone';
import { canonicalZoneName, zoneOffsetMin } from './zones';

/** An offset written with a date: `at` is the local wall time, `off` the offset written with it ("-08:00"). */
function written(at: string, off: string): OffsetObservation {
  const ms = Date.parse(`${at}${off}`);
  const sign = off[0] === '-' ? -1 : 1;
  return { ms, offsetMin: sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6))) };
}

describe('inferring the home zone', () => {
  it('en_US with -08:00 in January and -07:00 in July is Los Angeles', () => {
    const offsets = [written('2024-01-15T09:00:00', '-08:00'), written('2024-07-15T09:00:00', '-07:00'), written('2024-11-20T09:00:00', '-08:00')];
    expect(inferHomeZone({ recordZones: {}, offsets, locale: 'en_US' })).toEqual({ zone: 'America/Los_Angeles', basis: 'offsets' });
  });

  it('en_US with -07:00 all year is Phoenix (no daylight saving time)', () => {
    const offsets = [written('2024-01-15T09:00:00', '-07:00'), written('2024-04-15T09:00:00', '-07:00'), written('2024-07-15T09:00:00', '-07:00')];
    expect(inferHomeZone({ recordZones: {}, offsets, locale: 'en_US' })?.zone).toBe('America/Phoenix');
  });

  it('en_US with -07:00 in April only is Los Angeles, the most populous zone that fits', () => {
    expect(inferHomeZone({ recordZones: {}, offsets: [written('2024-04-10T09:00:00', '-07:00')], locale: 'en_US' })?.zone).toBe('America/Los_Angeles');
  });

  it('en_GB is London', () => {
    const offsets = [written('2023-02-01T08:00:00', '+00:00'), written('2023-08-01T08:00:00', '+01:00')];
    expect(inferHomeZone({ recordZones: {}, offsets, locale: 'en_GB' })?.zone).toBe('Europe/London');
  });

  it('hi_IN with +05:30 is Kolkata', () => {
    const offsets = [written('2023-02-01T08:00:00', '+05:30'), written('2023-08-01T08:00:00', '+05:30')];
    expect(inferHomeZone({ recordZones: {}, offsets, locale: 'hi_IN' })?.zone).toBe('Asia/Kolkata');
  });

  it('prefers the zones of the locale’s country: de_DE in Central European time is Berlin, fr_FR is Paris', () => {
    const offsets = [written('2023-02-01T08:00:00', '+01:00'), written('2023-08-01T08:00:00', '+02:00')];
    expect(inferHomeZone({ recordZones: {}, offsets, locale: 'de_DE' })?.zone).toBe('Europe/Berlin');
    expect(inferHomeZone({ recordZones: {}, offsets, locale: 'fr_FR' })?.zone).toBe('Europe/Paris');
  });

  it('falls back to populous zones when the locale’s country does not fit (an en_US phone in Tokyo)', () => {
    const offsets = [written('2023-02-01T08:00:00', '+09:00'), written('2023-08-01T08:00:00', '+09:00')];
    expect(inferHomeZone({ recordZones: {}, offsets, locale: 'en_US' })?.zone).toBe('Asia/Tokyo');
  });

  it('a zone records carry that fits every written offset wins over the locale (Berlin, written at +01:00/+02:00, en_US)', () => {
    const offsets = [written('2023-02-01T08:00:00', '+01:00'), written('2023-08-01T08:00:00', '+02:00'), written('2023-11-01T08:00:00', '+01:00')];
    // Paris fits the offsets as well but fewer records carry it; New York fits none of them.
    const recordZones = { 'Europe/Berlin': 40, 'Europe/Paris': 3, 'America/New_York': 60, 'Not/AZone': 500 };
    expect(inferHomeZone({ recordZones, offsets, locale: 'en_US' })).toEqual({ zone: 'Europe/Berlin', basis: 'record-zones' });
  });

  it('one record made on a trip (HKTimeZone Asia/Tokyo) does not move a year of dates written in Los Angeles', () => {
    // A year of records written at -08:00 / -07:00 (daylight time from mid-March to early November),
    // one observation per month, as the parser keeps them.
    const offsets: OffsetObservation[] = [];
    for (let m = 1; m <= 12; m++) {
      const at = `2023-${String(m).padStart(2, '0')}-15T09:00:00`;
      offsets.push(written(at, m >= 3 && m <= 10 ? '-07:00' : '-08:00'));
    }
    expect(inferHomeZone({ recordZones: { 'Asia/Tokyo': 1 }, offsets, locale: 'en_US' })).toEqual({ zone: 'America/Los_Angeles', basis: 'offsets' });
    // Nor do more of them: a zone that disagrees with any written offset is never taken.
    expect(inferHomeZone({ recordZones: { 'Asia/Tokyo': 400, 'America/Los_Angeles': 2 }, offsets, locale: 'en_US' })).toEqual({
      zone: 'America/Los_Angeles',
      basis: 'record-zones',
    });
  });

  it('record zones that disagree with the offsets leave the offsets and locale to decide', () => {
    const offsets = [written('2024-01-15T09:00:00', '-08:00'), written('2024-07-15T09:00:00', '-07:00')];
    expect(inferHomeZone({ recordZones: { 'Europe/Paris': 40, 'America/New_York': 12 }, offsets, locale: 'en_US' })).toEqual({ zone: 'America/Los_Angeles', basis: 'offsets' });
    // None fits and no listed zone does either: the offset written most often.
    const odd = [written('2023-02-01T08:00:00', '+03:00'), written('2023-08-01T08:00:00', '+04:00'), written('2023-09-01T08:00:00', '+04:00')];
    expect(inferHomeZone({ recordZones: { 'Europe/Paris': 40 }, offsets: odd, locale: 'fr_FR' })).toEqual({ zone: '+04:00', basis: 'fixed-offset' });
  });

  it('with no written offsets at all, the zone most records carry', () => {
    const recordZones = { 'Europe/Paris': 40, 'America/New_York': 12, 'Not/AZone': 500 };
    expect(inferHomeZone({ recordZones, offsets: [], locale: 'en_US' })).toEqual({ zone: 'Europe/Paris', basis: 'record-zones' });
    expect(inferHomeZone({ recordZones: { 'Europe/Paris': 2, 'Europe/Berlin': 2 }, offsets: [], locale: null })?.zone).toBe('Europe/Berlin');
  });

  it('offsets no listed zone explains give a fixed-offset zone (the one written most often)', () => {
    // +03:00 in winter and +04:00 in summer: no zone in the tables has those rules.
    const offsets = [written('2023-02-01T08:00:00', '+03:00'), written('2023-08-01T08:00:00', '+04:00'), written('2023-09-01T08:00:00', '+04:00')];
    expect(inferHomeZone({ recordZones: {}, offsets, locale: 'xx_ZZ' })).toEqual({ zone: '+04:00', basis: 'fixed-offset' });
  });

  it('says nothing without evidence', () => {
    expect(inferHomeZone({ recordZones: {}, offsets: [], locale: 'en_US' })).toBeNull();
  });

  it('reads the country of the locales exports carry', () => {
    expect(localeCountry('en_US')).toBe('US');
    expect(localeCountry('en-GB')).toBe('GB');
    expect(localeCountry('zh-Hans_CN')).toBe('CN');
    expect(localeCountry('de_DE@calendar=gregorian')).toBe('DE');
    expect(localeCountry('en')).toBeNull();
    expect(localeCountry(null)).toBeNull();
  });

  it('warns in words a person can act on', () => {
    expect(assumedHomeZoneWarning({ zone: 'America/Los_Angeles', basis: 'offsets' })).toBe(
      'No home time zone was set: VitalSync assumed America/Los_Angeles (from the dates in this export). Days of records without their own zone are counted there; change it in Settings, or with `vitalsync settings set homeTimeZone <zone>`.',
    );
  });
});

describe('an export whose dates contradict the home zone that is set', () => {
  const losAngeles = [written('2024-01-15T09:00:00', '-08:00'), written('2024-04-10T20:00:00', '-07:00'), written('2024-07-15T09:00:00', '-07:00')];

  it('names the zone the dates were written in when the home zone never had those offsets (a computer’s UTC accepted on the first run)', () => {
    expect(exportZoneContradicting('UTC', { recordZones: {}, offsets: losAngeles, locale: 'en_US' })).toEqual({ zone: 'America/Los_Angeles', basis: 'offsets', home: 'UTC' });
    expect(exportZoneContradicting('Asia/Tokyo', { recordZones: {}, offsets: losAngeles, locale: 'en_US' })?.zone).toBe('America/Los_Angeles');
  });

  it('says nothing when the home zone had every written offset at its instant, daylight saving time included', () => {
    expect(exportZoneContradicting('America/Los_Angeles', { recordZones: {}, offsets: losAngeles, locale: 'en_US' })).toBeNull();
    // Vancouver keeps Los Angeles' offsets: the dates cannot tell them apart, and need not.
    expect(exportZoneContradicting('America/Vancouver', { recordZones: {}, offsets: losAngeles, locale: 'en_US' })).toBeNull();
    // Kathmandu's +05:45 (a 45-minute offset) written in Kathmandu.
    expect(exportZoneContradicting('Asia/Kathmandu', { recordZones: {}, offsets: [written('2024-03-01T08:00:00', '+05:45')], locale: 'ne_NP' })).toBeNull();
  });

  it('says nothing without written offsets: record zones alone are trips, not a contradiction', () => {
    expect(exportZoneContradicting('Europe/Paris', { recordZones: { 'Asia/Tokyo': 40 }, offsets: [], locale: 'fr_FR' })).toBeNull();
  });

  it('names the zone as settings:set stores it, so taking it silences the notice (Kolkata may be Asia/Calcutta)', () => {
    const kolkata = [written('2024-02-01T08:00:00', '+05:30'), written('2024-08-01T08:00:00', '+05:30')];
    const w = exportZoneContradicting('UTC', { recordZones: {}, offsets: kolkata, locale: 'hi_IN' });
    expect(w).toEqual({ zone: canonicalZoneName('Asia/Kolkata'), basis: 'offsets', home: 'UTC' });
    expect(exportZoneContradicting(w!.zone, { recordZones: {}, offsets: kolkata, locale: 'hi_IN' })).toBeNull();
  });

  it('tells a Phoenix home from Los Angeles dates by their winter offset', () => {
    expect(exportZoneContradicting('America/Phoenix', { recordZones: {}, offsets: losAngeles, locale: 'en_US' })?.zone).toBe('America/Los_Angeles');
  });

  it('for any zone and any instants, the dates a zone writes never contradict that zone', () => {
    const zones = ['UTC', 'America/Los_Angeles', 'America/St_Johns', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Europe/London', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.array(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2030, 0, 1) }), { minLength: 1, maxLength: 12 }), (zone, instants) => {
        const offsets = instants.map((ms) => ({ ms, offsetMin: zoneOffsetMin(zone, ms) ?? Number.NaN }));
        expect(offsets.every((o) => Number.isFinite(o.offsetMin))).toBe(true);
        expect(exportZoneContradicting(zone, { recordZones: {}, offsets, locale: null })).toBeNull();
      }),
    );
  });

  it('warns in words a person can act on, naming both zones and the command', () => {
    const text = contradictedHomeZoneWarning({ zone: 'America/Los_Angeles', basis: 'offsets', home: 'UTC' });
    expect(text).toContain('written in America/Los_Angeles time, but your home time zone is UTC');
    expect(text).toContain('vitalsync settings set homeTimeZone America/Los_Angeles');
    const fixed = contradictedHomeZoneWarning({ zone: '-07:00', basis: 'fixed-offset', home: 'UTC' });
    expect(fixed).toContain('written at UTC-07:00');
    expect(fixed).toContain("set your home time zone in Settings to that place's zone name");
    expect(fixed).not.toContain('settings set homeTimeZone -07:00');
  });
});
