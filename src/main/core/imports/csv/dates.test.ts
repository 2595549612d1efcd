import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, localTimeToUtcMs, MINUTE, zoneOffsetMin } from '../../time/zones';
import { guessDateFormats, localDaySpan, parseDateTime, parseTimeOfDay, toInstant } from './dates';

const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY;

describe('parseDateTime', () => {
  it('reads the formats the importers meet', () => {
    expect(parseDateTime('2024-03-05', 'iso')).toEqual({ day: day(2024, 3, 5), msOfDay: null, offsetMin: null });
    expect(parseDateTime('2024-03-05 07:30', 'iso')).toEqual({ day: day(2024, 3, 5), msOfDay: 7.5 * HOUR, offsetMin: null });
    expect(parseDateTime('2024/03/05T07:30:15.250+05:30', 'iso')).toEqual({ day: day(2024, 3, 5), msOfDay: 7.5 * HOUR + 15_250, offsetMin: 330 });
    expect(parseDateTime('2024-03-05T07:30:00Z', 'iso')?.offsetMin).toBe(0);
    // Garmin (US) and Fitbit's "MM/DD/YY HH:MM:SS".
    expect(parseDateTime('3/5/2024 7:30', 'mdy')).toEqual({ day: day(2024, 3, 5), msOfDay: 7.5 * HOUR, offsetMin: null });
    expect(parseDateTime('03/05/24 23:59:59', 'mdy')).toEqual({ day: day(2024, 3, 5), msOfDay: DAY - 1000, offsetMin: null });
    expect(parseDateTime('3/5/2024 7:30 PM', 'mdy')?.msOfDay).toBe(19.5 * HOUR);
    expect(parseDateTime('3/5/2024 12:10 AM', 'mdy')?.msOfDay).toBe(10 * MINUTE);
    expect(parseDateTime('5.3.2024 07:30', 'dmy')).toEqual({ day: day(2024, 3, 5), msOfDay: 7.5 * HOUR, offsetMin: null });
    expect(parseDateTime('1709623800', 'epoch_s')).toMatchObject({ day: day(2024, 3, 5), msOfDay: 7.5 * HOUR, epoch: true });
  });

  it('refuses what is not a real date or time', () => {
    for (const [text, f] of [
      ['2024-02-30', 'iso'],
      ['2024-13-01', 'iso'],
      ['yesterday', 'iso'],
      ['2024-03-05 25:00', 'iso'],
      ['13/25/2024', 'mdy'],
      ['3/5/2024 13:00 PM', 'mdy'],
      ['2024-03-05T07:30+5', 'iso'],
    ] as const)
      expect(parseDateTime(text, f), text).toBeNull();
  });

  it('reads back any date and time written year-month-day, with a space or T, with or without seconds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2060, 0, 1) / 1000 }), fc.constantFrom(' ', 'T'), fc.boolean(), (s, sep, seconds) => {
        const ms = s * 1000 - (seconds ? 0 : (s % 60) * 1000);
        const iso = new Date(ms).toISOString();
        const text = `${iso.slice(0, 10)}${sep}${iso.slice(11, seconds ? 19 : 16)}`;
        const d = Math.floor(ms / DAY);
        expect(parseDateTime(text, 'iso')).toEqual({ day: d, msOfDay: ms - d * DAY, offsetMin: null });
        expect(parseDateTime(iso.slice(0, 10), 'iso')).toEqual({ day: d, msOfDay: null, offsetMin: null });
      }),
    );
  });

  it('parseTimeOfDay reads 24-hour and AM/PM times', () => {
    expect(parseTimeOfDay('13:45')).toBe(13 * HOUR + 45 * MINUTE);
    expect(parseTimeOfDay('1:45 pm')).toBe(13 * HOUR + 45 * MINUTE);
    expect(parseTimeOfDay('12:00 AM')).toBe(0);
    expect(parseTimeOfDay('24:00')).toBeNull();
  });

  it('guesses the formats a column can be read in; one bad row does not hide the date column', () => {
    expect(guessDateFormats(['2024-03-05', '2024-03-06', 'yesterday', '2024-03-08', '2024-03-09'])).toEqual(['iso']);
    expect(guessDateFormats(['03/05/2024', '04/05/2024'])).toEqual(['mdy', 'dmy']);
    expect(guessDateFormats(['25/05/2024'])).toEqual(['dmy']);
    expect(guessDateFormats(['1709623800'])).toEqual(['epoch_s']);
    expect(guessDateFormats(['72', '80'])).toEqual([]);
  });
});

describe('local times in a zone', () => {
  it('places hand-checked local times: DST days in Paris, a 30-minute zone, Lord Howe (30-minute DST)', () => {
    // Paris 2024-03-31: clocks go 02:00 -> 03:00 (01:00Z). 01:30 is CET (+1), 03:30 CEST (+2).
    expect(localTimeToUtcMs('Europe/Paris', day(2024, 3, 31), 1.5 * HOUR)).toBe(Date.parse('2024-03-31T00:30:00Z'));
    expect(localTimeToUtcMs('Europe/Paris', day(2024, 3, 31), 3.5 * HOUR)).toBe(Date.parse('2024-03-31T01:30:00Z'));
    // 02:30 does not exist that night: read with the offset before the change (+1), as 01:30Z.
    expect(localTimeToUtcMs('Europe/Paris', day(2024, 3, 31), 2.5 * HOUR)).toBe(Date.parse('2024-03-31T01:30:00Z'));
    // Paris 2024-10-27: 02:30 happens twice; its first occurrence is CEST, 00:30Z.
    expect(localTimeToUtcMs('Europe/Paris', day(2024, 10, 27), 2.5 * HOUR)).toBe(Date.parse('2024-10-27T00:30:00Z'));
    expect(localTimeToUtcMs('Asia/Kolkata', day(2024, 3, 5), 7 * HOUR)).toBe(Date.parse('2024-03-05T01:30:00Z'));
    // Lord Howe: +10:30 standard, +11:00 in summer (January).
    expect(localTimeToUtcMs('Australia/Lord_Howe', day(2024, 1, 15), 12 * HOUR)).toBe(Date.parse('2024-01-15T01:00:00Z'));
    expect(localTimeToUtcMs('Australia/Lord_Howe', day(2024, 7, 15), 12 * HOUR)).toBe(Date.parse('2024-07-15T01:30:00Z'));
    expect(localTimeToUtcMs('Not/AZone', day(2024, 1, 1), 0)).toBeNull();
  });

  it('a date is its two local midnights (23 hours on a spring-forward day)', () => {
    expect(localDaySpan(day(2024, 3, 31), 'Europe/Paris')).toEqual({ startMs: Date.parse('2024-03-30T23:00:00Z'), endMs: Date.parse('2024-03-31T22:00:00Z') });
    expect(toInstant({ day: day(2024, 3, 5), msOfDay: 7 * HOUR, offsetMin: -300 }, 'Asia/Tokyo')).toBe(Date.parse('2024-03-05T12:00:00Z'));
  });

  it('any instant, written as its local wall time, reads back as itself (except the second pass of a repeated hour) (property)', () => {
    const zones = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Asia/Kathmandu', 'UTC', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2000, 0, 1) / MINUTE, max: Date.UTC(2037, 0, 1) / MINUTE }), (zone, minute) => {
        const t = minute * MINUTE;
        const off = zoneOffsetMin(zone, t)!;
        const wall = t + off * MINUTE;
        const d = Math.floor(wall / DAY);
        const back = localTimeToUtcMs(zone, d, wall - d * DAY)!;
        // The same wall time maps to one instant: t itself, or (in an autumn's repeated hour)
        // its earlier occurrence, which shows the same wall time.
        if (back !== t) {
          expect(back).toBeLessThan(t);
          expect(back + zoneOffsetMin(zone, back)! * MINUTE).toBe(wall);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
