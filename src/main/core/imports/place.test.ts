// Where a session named only by its date sits (placeDateSession): hand-computed from the zones' rules.
import { describe, expect, it } from 'vitest';
import { HOME_ZONE } from '../samples';
import { ZONE_SRC } from '../time/zones';
import { placeDateSession } from './place';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('placeDateSession', () => {
  it('spans the local date from midnight to midnight, in the home zone when the import zone is it', () => {
    // Kolkata is UTC+5:30 all year: 1 March midnight is 28 February 18:30 UTC.
    expect(placeDateSession(day('2024-03-01'), { zone: 'Asia/Kolkata', zoneIsHome: true })).toEqual({
      startMs: Date.parse('2024-02-29T18:30:00Z'),
      endMs: Date.parse('2024-03-01T18:30:00Z'),
      zone: HOME_ZONE,
    });
  });

  it('lasts 23 hours on a spring-forward date, and at most 24 on a 25-hour date (no "impossible" session)', () => {
    // Paris, 31 March 2024: 00:00 CET (23:00 UTC the day before) to 00:00 CEST (22:00 UTC) = 23 h.
    expect(placeDateSession(day('2024-03-31'), { zone: 'Europe/Paris', zoneIsHome: false })).toEqual({
      startMs: Date.parse('2024-03-30T23:00:00Z'),
      endMs: Date.parse('2024-03-31T22:00:00Z'),
      zone: { name: 'Europe/Paris', src: ZONE_SRC.record },
    });
    // Paris, 27 October 2024: 00:00 CEST (22:00 UTC the day before) to 00:00 CET (23:00 UTC) = 25 h, cut at 24 h (22:00 UTC).
    const autumn = placeDateSession(day('2024-10-27'), { zone: 'Europe/Paris', zoneIsHome: false })!;
    expect([autumn.startMs, autumn.endMs]).toEqual([Date.parse('2024-10-26T22:00:00Z'), Date.parse('2024-10-27T22:00:00Z')]);
  });

  it('is null for a zone VitalSync does not know', () => {
    expect(placeDateSession(day('2024-03-01'), { zone: 'Mars/Olympus', zoneIsHome: false })).toBeNull();
  });
});
