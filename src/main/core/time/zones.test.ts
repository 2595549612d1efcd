// Hand-computed local days and hours from the one zone module (ZoneClock, daySlots, hourSlots,
// localMidnightMs). Every expected instant below was worked out from the zone rules by hand and
// is written as an ISO string with its offset, so a reader can check it without running code.
// The same cases run twice more with process.env.TZ set to odd zones before the module is
// imported: nothing here may depend on the computer's zone.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as zonesAsImported from './zones';

type Zones = typeof zonesAsImported;

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The instant of an ISO date-time with an explicit offset. */
const at = (iso: string) => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad test instant ${iso}`);
  return t;
};
/** Epoch day of a calendar date (the local day number the module returns). */
const day = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`) / DAY;
/** Epoch hour of a local wall-clock hour `YYYY-MM-DDTHH` (how the module numbers local hours). */
const hour = (ymdh: string) => Date.parse(`${ymdh}:00:00Z`) / HOUR;

// Zone ids as the zones table would hold them (0 is always the home zone).
const PARIS = 1;
const NEW_YORK = 2;
const KOLKATA = 3;
const KATHMANDU = 4;
const APIA = 5;
const LOS_ANGELES = 6;
const TOKYO = 7;
const PLUS9 = 8;
const MINUS0330 = 9;
const MARS = 10;
const NAMES: [number, string][] = [
  [PARIS, 'Europe/Paris'],
  [NEW_YORK, 'America/New_York'],
  [KOLKATA, 'Asia/Kolkata'],
  [KATHMANDU, 'Asia/Kathmandu'],
  [APIA, 'Pacific/Apia'],
  [LOS_ANGELES, 'America/Los_Angeles'],
  [TOKYO, 'Asia/Tokyo'],
  [PLUS9, '+09:00'],
  [MINUS0330, '-03:30'],
  [MARS, 'Mars/Olympus'],
];

/** Walks a local day hour slot by hour slot with nextHour: the cuts and the distinct slots. */
function walkDay(z: Zones, clock: InstanceType<Zones['ZoneClock']>, zone: number, d: number) {
  const start = clock.dayStart(zone, d);
  const end = clock.dayStart(zone, d + 1);
  const cuts: number[] = [];
  const slots = new Set<number>();
  for (let t = start; t < end; t = clock.nextHour(zone, t)) {
    cuts.push(t);
    slots.add(clock.hour(zone, t));
    expect(clock.day(zone, t)).toBe(d);
    if (cuts.length > 30) throw new Error('nextHour does not advance');
  }
  // The slotting objects agree with the clock.
  const hs = z.hourSlots(clock);
  const ds = z.daySlots(clock);
  expect(hs.unit).toBe('hour');
  expect(ds.unit).toBe('day');
  for (const t of cuts) {
    expect(hs.slot(t, zone)).toBe(clock.hour(zone, t));
    expect(hs.next(t, zone)).toBe(clock.nextHour(zone, t));
    expect(ds.slot(t, zone)).toBe(d);
    expect(ds.next(t, zone)).toBe(end);
  }
  return { start, end, lengthH: (end - start) / HOUR, cuts, slots: [...slots].sort((a, b) => a - b) };
}

function zoneCases(get: () => Zones): void {
  let z: Zones;
  let clock: InstanceType<Zones['ZoneClock']>;
  beforeAll(() => {
    z = get();
    clock = new z.ZoneClock(NAMES, 'Europe/Paris');
  });

  describe('Europe/Paris, 2025-03-30: clocks go forward at 02:00, a 23-hour day', () => {
    it('the day runs from 00:00+01:00 to 00:00+02:00, 23 hours', () => {
      expect(clock.dayStart(PARIS, day('2025-03-30'))).toBe(at('2025-03-29T23:00:00Z'));
      expect(clock.dayStart(PARIS, day('2025-03-31'))).toBe(at('2025-03-30T22:00:00Z'));
      expect(z.localMidnightMs('Europe/Paris', day('2025-03-30'))).toBe(at('2025-03-29T23:00:00Z'));
      expect(clock.day(PARIS, at('2025-03-29T22:59:59.999Z'))).toBe(day('2025-03-29'));
      expect(clock.day(PARIS, at('2025-03-29T23:00:00Z'))).toBe(day('2025-03-30'));
      expect(clock.day(PARIS, at('2025-03-30T21:59:59.999Z'))).toBe(day('2025-03-30'));
      expect(clock.day(PARIS, at('2025-03-30T22:00:00Z'))).toBe(day('2025-03-31'));
      expect(clock.nextDay(PARIS, at('2025-03-30T12:00:00Z'))).toBe(at('2025-03-30T22:00:00Z'));
      expect(clock.nextDay(PARIS, at('2025-03-29T23:00:00Z'))).toBe(at('2025-03-30T22:00:00Z'));
    });

    it('local 01:xx is followed by 03:00: no instant falls in the 02:00 slot', () => {
      expect(clock.offset(PARIS, at('2025-03-30T00:59:59Z'))).toBe(60);
      expect(clock.offset(PARIS, at('2025-03-30T01:00:00Z'))).toBe(120);
      expect(clock.hour(PARIS, at('2025-03-30T00:30:00Z'))).toBe(hour('2025-03-30T01'));
      expect(clock.hour(PARIS, at('2025-03-30T01:00:00Z'))).toBe(hour('2025-03-30T03'));
      expect(clock.nextHour(PARIS, at('2025-03-30T00:30:00Z'))).toBe(at('2025-03-30T01:00:00Z'));
      expect(clock.nextHour(PARIS, at('2025-03-30T01:00:00Z'))).toBe(at('2025-03-30T02:00:00Z'));
      const w = walkDay(z, clock, PARIS, day('2025-03-30'));
      expect(w.lengthH).toBe(23);
      expect(w.cuts.length).toBe(23);
      expect(w.slots.length).toBe(23);
      expect(w.slots).not.toContain(hour('2025-03-30T02'));
      expect(w.slots[0]).toBe(hour('2025-03-30T00'));
      expect(w.slots[22]).toBe(hour('2025-03-30T23'));
    });
  });

  describe('Europe/Paris, 2025-10-26: clocks go back at 03:00, a 25-hour day', () => {
    it('the day runs from 00:00+02:00 to 00:00+01:00, 25 hours', () => {
      expect(clock.dayStart(PARIS, day('2025-10-26'))).toBe(at('2025-10-25T22:00:00Z'));
      expect(clock.dayStart(PARIS, day('2025-10-27'))).toBe(at('2025-10-26T23:00:00Z'));
      expect(z.localMidnightMs('Europe/Paris', day('2025-10-27'))).toBe(at('2025-10-26T23:00:00Z'));
      expect(clock.day(PARIS, at('2025-10-26T22:59:59.999Z'))).toBe(day('2025-10-26'));
      expect(clock.day(PARIS, at('2025-10-26T23:00:00Z'))).toBe(day('2025-10-27'));
      expect(clock.nextDay(PARIS, at('2025-10-26T00:30:00Z'))).toBe(at('2025-10-26T23:00:00Z'));
    });

    it('the 02:00 hour happens twice (00:00Z-01:00Z at +02:00, 01:00Z-02:00Z at +01:00) and is one slot', () => {
      expect(clock.hour(PARIS, at('2025-10-26T00:30:00Z'))).toBe(hour('2025-10-26T02'));
      expect(clock.hour(PARIS, at('2025-10-26T01:30:00Z'))).toBe(hour('2025-10-26T02'));
      expect(clock.hour(PARIS, at('2025-10-26T02:00:00Z'))).toBe(hour('2025-10-26T03'));
      // nextHour cuts at the offset change too (a cut inside one slot is harmless).
      expect(clock.nextHour(PARIS, at('2025-10-26T00:30:00Z'))).toBe(at('2025-10-26T01:00:00Z'));
      expect(clock.nextHour(PARIS, at('2025-10-26T01:00:00Z'))).toBe(at('2025-10-26T02:00:00Z'));
      const w = walkDay(z, clock, PARIS, day('2025-10-26'));
      expect(w.lengthH).toBe(25);
      expect(w.cuts.length).toBe(25);
      expect(w.slots.length).toBe(24);
      expect(w.slots).toEqual(Array.from({ length: 24 }, (_, i) => hour('2025-10-26T00') + i));
    });
  });

  describe('America/New_York', () => {
    it('2025-03-09 has 23 hours: 01:59 EST is followed by 03:00 EDT', () => {
      expect(clock.dayStart(NEW_YORK, day('2025-03-09'))).toBe(at('2025-03-09T05:00:00Z'));
      expect(clock.dayStart(NEW_YORK, day('2025-03-10'))).toBe(at('2025-03-10T04:00:00Z'));
      expect(clock.hour(NEW_YORK, at('2025-03-09T06:59:00Z'))).toBe(hour('2025-03-09T01'));
      expect(clock.hour(NEW_YORK, at('2025-03-09T07:00:00Z'))).toBe(hour('2025-03-09T03'));
      const w = walkDay(z, clock, NEW_YORK, day('2025-03-09'));
      expect(w.lengthH).toBe(23);
      expect(w.slots).not.toContain(hour('2025-03-09T02'));
      expect(w.slots.length).toBe(23);
    });

    it('2025-11-02 has 25 hours: the 01:00 hour (05:00Z-07:00Z) is one slot', () => {
      expect(clock.dayStart(NEW_YORK, day('2025-11-02'))).toBe(at('2025-11-02T04:00:00Z'));
      expect(clock.dayStart(NEW_YORK, day('2025-11-03'))).toBe(at('2025-11-03T05:00:00Z'));
      expect(clock.hour(NEW_YORK, at('2025-11-02T05:10:00Z'))).toBe(hour('2025-11-02T01'));
      expect(clock.hour(NEW_YORK, at('2025-11-02T06:10:00Z'))).toBe(hour('2025-11-02T01'));
      expect(clock.hour(NEW_YORK, at('2025-11-02T07:00:00Z'))).toBe(hour('2025-11-02T02'));
      const w = walkDay(z, clock, NEW_YORK, day('2025-11-02'));
      expect(w.lengthH).toBe(25);
      expect(w.slots.length).toBe(24);
    });
  });

  describe('zones off the whole hour', () => {
    it('Asia/Kolkata (+05:30): the local day starts at 18:30 UTC, hours turn at :30 UTC', () => {
      expect(clock.dayStart(KOLKATA, day('2025-06-11'))).toBe(at('2025-06-10T18:30:00Z'));
      expect(clock.day(KOLKATA, at('2025-06-10T18:29:59.999Z'))).toBe(day('2025-06-10'));
      expect(clock.day(KOLKATA, at('2025-06-10T18:30:00Z'))).toBe(day('2025-06-11'));
      expect(clock.hour(KOLKATA, at('2025-06-10T18:30:00Z'))).toBe(hour('2025-06-11T00'));
      expect(clock.hour(KOLKATA, at('2025-06-10T18:29:00Z'))).toBe(hour('2025-06-10T23'));
      expect(clock.nextHour(KOLKATA, at('2025-06-10T18:45:00Z'))).toBe(at('2025-06-10T19:30:00Z'));
      expect(clock.nextDay(KOLKATA, at('2025-06-10T12:00:00Z'))).toBe(at('2025-06-10T18:30:00Z'));
      const w = walkDay(z, clock, KOLKATA, day('2025-06-11'));
      expect(w.lengthH).toBe(24);
      expect(w.cuts[1]).toBe(at('2025-06-10T19:30:00Z'));
    });

    it('Asia/Kathmandu (+05:45): the local day starts at 18:15 UTC, hours turn at :15 UTC', () => {
      expect(clock.offset(KATHMANDU, at('2025-06-10T12:00:00Z'))).toBe(345);
      expect(clock.dayStart(KATHMANDU, day('2025-06-11'))).toBe(at('2025-06-10T18:15:00Z'));
      expect(clock.day(KATHMANDU, at('2025-06-10T18:14:59.999Z'))).toBe(day('2025-06-10'));
      expect(clock.day(KATHMANDU, at('2025-06-10T18:15:00Z'))).toBe(day('2025-06-11'));
      expect(clock.hour(KATHMANDU, at('2025-06-10T19:14:00Z'))).toBe(hour('2025-06-11T00'));
      expect(clock.nextHour(KATHMANDU, at('2025-06-10T18:20:00Z'))).toBe(at('2025-06-10T19:15:00Z'));
    });
  });

  describe('the date line', () => {
    it('Pacific/Apia skipped 2011-12-30: 23:59:59 on the 29th (-10:00) is followed by 00:00 on the 31st (+14:00)', () => {
      expect(clock.offset(APIA, at('2011-12-30T09:59:59Z'))).toBe(-600);
      expect(clock.offset(APIA, at('2011-12-30T10:00:00Z'))).toBe(840);
      expect(clock.day(APIA, at('2011-12-30T09:59:59Z'))).toBe(day('2011-12-29'));
      expect(clock.day(APIA, at('2011-12-30T10:00:00Z'))).toBe(day('2011-12-31'));
      expect(clock.dayStart(APIA, day('2011-12-29'))).toBe(at('2011-12-29T10:00:00Z'));
      expect(clock.dayStart(APIA, day('2011-12-31'))).toBe(at('2011-12-30T10:00:00Z'));
      // The skipped day is empty: it starts where the next one starts.
      expect(clock.dayStart(APIA, day('2011-12-30'))).toBe(at('2011-12-30T10:00:00Z'));
      expect(clock.nextDay(APIA, at('2011-12-30T09:00:00Z'))).toBe(at('2011-12-30T10:00:00Z'));
      expect(clock.day(APIA, clock.nextDay(APIA, at('2011-12-30T09:00:00Z')))).toBe(day('2011-12-31'));
      // The 29th still had its 24 hours.
      expect(walkDay(z, clock, APIA, day('2011-12-29')).lengthH).toBe(24);
    });

    it('a trip Los Angeles -> Tokyo: each instant keeps the day of its own zone', () => {
      // Steps before boarding at LAX (Tuesday 10 June, 09:30 PDT)...
      const beforeFlight = at('2025-06-10T09:30:00-07:00');
      // ...and after landing at Haneda (Wednesday 11 June, 15:00 JST), 13.5 hours later.
      const afterLanding = at('2025-06-11T15:00:00+09:00');
      expect(afterLanding - beforeFlight).toBe(13.5 * HOUR);
      expect(clock.day(LOS_ANGELES, beforeFlight)).toBe(day('2025-06-10'));
      expect(clock.day(TOKYO, afterLanding)).toBe(day('2025-06-11'));
      // One UTC instant is a different local day on each side of the Pacific.
      const mid = at('2025-06-10T20:00:00Z');
      expect(clock.day(LOS_ANGELES, mid)).toBe(day('2025-06-10'));
      expect(clock.day(TOKYO, mid)).toBe(day('2025-06-11'));
      expect(clock.hour(LOS_ANGELES, mid)).toBe(hour('2025-06-10T13'));
      expect(clock.hour(TOKYO, mid)).toBe(hour('2025-06-11T05'));
      expect(clock.dayStart(TOKYO, day('2025-06-11'))).toBe(at('2025-06-10T15:00:00Z'));
      expect(clock.dayStart(LOS_ANGELES, day('2025-06-10'))).toBe(at('2025-06-10T07:00:00Z'));
    });
  });

  describe('fixed-offset zone names', () => {
    it('+09:00 and -03:30 are zones of their own, with no DST', () => {
      expect(clock.name(PLUS9)).toBe('+09:00');
      expect(clock.offset(PLUS9, at('2025-01-15T00:00:00Z'))).toBe(540);
      expect(clock.offset(MINUS0330, at('2025-07-15T00:00:00Z'))).toBe(-210);
      expect(clock.day(PLUS9, at('2025-06-10T14:59:59Z'))).toBe(day('2025-06-10'));
      expect(clock.day(PLUS9, at('2025-06-10T15:00:00Z'))).toBe(day('2025-06-11'));
      expect(clock.dayStart(PLUS9, day('2025-06-11'))).toBe(at('2025-06-10T15:00:00Z'));
      expect(clock.dayStart(MINUS0330, day('2025-06-10'))).toBe(at('2025-06-10T03:30:00Z'));
      expect(clock.hour(MINUS0330, at('2025-06-10T03:30:00Z'))).toBe(hour('2025-06-10T00'));
      expect(clock.hour(MINUS0330, at('2025-06-10T03:29:00Z'))).toBe(hour('2025-06-09T23'));
      expect(clock.nextHour(MINUS0330, at('2025-06-10T03:45:00Z'))).toBe(at('2025-06-10T04:30:00Z'));
      expect(clock.nextDay(MINUS0330, at('2025-06-10T12:00:00Z'))).toBe(at('2025-06-11T03:30:00Z'));
      expect(z.localMidnightMs('-03:30', day('2025-06-10'))).toBe(at('2025-06-10T03:30:00Z'));
    });

    it('the names round-trip through fixedOffsetZone / parseFixedOffset', () => {
      expect(z.fixedOffsetZone(540)).toBe('+09:00');
      expect(z.fixedOffsetZone(-210)).toBe('-03:30');
      expect(z.fixedOffsetZone(0)).toBe('+00:00');
      expect(z.parseFixedOffset('+05:45')).toBe(345);
      expect(z.parseFixedOffset('-03:30')).toBe(-210);
      expect(z.parseFixedOffset('+19:00')).toBeNull();
      expect(z.parseFixedOffset('UTC')).toBeNull();
      expect(z.zoneOffsetMin('+09:00', 0)).toBe(540);
      expect(z.zoneOffsetMin('Mars/Olympus', 0)).toBeNull();
      expect(z.localMidnightMs('Mars/Olympus', 0)).toBeNull();
    });
  });

  describe('zone id 0 is the home zone', () => {
    it('id 0 and unknown names follow the home zone; known ids keep their own', () => {
      expect(clock.home).toBe('Europe/Paris');
      expect(clock.name(z.HOME_ZONE_ID)).toBe('Europe/Paris');
      expect(clock.name(MARS)).toBe('Europe/Paris');
      // An id the table does not hold at all falls back to the home zone too.
      expect(clock.name(99)).toBe('Europe/Paris');
      const t = at('2025-06-10T22:30:00Z'); // 00:30 on the 11th in Paris, 23:30 on the 10th in London/UTC
      expect(clock.day(0, t)).toBe(day('2025-06-11'));
      expect(clock.day(MARS, t)).toBe(day('2025-06-11'));
      expect(clock.day(99, t)).toBe(day('2025-06-11'));
      expect(clock.dayStart(0, day('2025-10-26'))).toBe(at('2025-10-25T22:00:00Z'));
      expect(clock.hour(MARS, at('2025-10-26T01:30:00Z'))).toBe(hour('2025-10-26T02'));
    });

    it('changing the home zone re-dates home-zone samples only', () => {
      const t = at('2025-06-10T20:00:00Z');
      const inParis = new z.ZoneClock(NAMES, 'Europe/Paris');
      const inTokyo = new z.ZoneClock(NAMES, 'Asia/Tokyo');
      const inLA = new z.ZoneClock(NAMES, 'America/Los_Angeles');
      expect(inParis.day(0, t)).toBe(day('2025-06-10'));
      expect(inTokyo.day(0, t)).toBe(day('2025-06-11'));
      expect(inLA.day(0, t)).toBe(day('2025-06-10'));
      expect(inLA.hour(0, t)).toBe(hour('2025-06-10T13'));
      // A sample with its own zone does not move.
      for (const c of [inParis, inTokyo, inLA]) expect(c.day(KOLKATA, t)).toBe(day('2025-06-11'));
    });

    it('a names table cannot redefine id 0; an unknown or missing home zone is UTC, never the computer zone', () => {
      const c = new z.ZoneClock([[0, 'Asia/Tokyo']], 'Europe/Paris');
      expect(c.name(0)).toBe('Europe/Paris');
      for (const home of ['Nowhere/Else', '', null, undefined]) {
        const u = new z.ZoneClock(NAMES, home);
        expect(u.home).toBe('UTC');
        expect(u.name(0)).toBe('UTC');
        expect(u.name(MARS)).toBe('UTC');
        expect(u.day(0, at('2025-06-10T23:59:59Z'))).toBe(day('2025-06-10'));
        expect(u.dayStart(0, day('2025-06-10'))).toBe(at('2025-06-10T00:00:00Z'));
      }
      expect(z.resolveHomeZone('Asia/Kathmandu')).toBe('Asia/Kathmandu');
      expect(z.resolveHomeZone('+05:30')).toBe('+05:30');
      expect(z.resolveHomeZone('Nowhere/Else')).toBe('UTC');
      expect(z.resolveHomeZone(null)).toBe('UTC');
    });
  });

  it('calendar days parse and print without any zone', () => {
    expect(z.parseDay('2025-10-26')).toBe(day('2025-10-26'));
    expect(z.parseDay('2025-02-29')).toBeNull();
    expect(z.parseDay('2024-02-29')).toBe(day('2024-02-29'));
    expect(z.formatDay(day('2011-12-30'))).toBe('2011-12-30');
    // A minute is a minute, whatever the zone.
    expect(clock.nextHour(PARIS, at('2025-06-10T10:59:00Z')) - at('2025-06-10T10:59:00Z')).toBe(1 * MIN);
  });
}

describe('zones (process TZ as the test runner left it)', () => {
  zoneCases(() => zonesAsImported);
});

// Odd process zones, set before a fresh copy of the module is imported: the same answers.
describe.each([
  // January is summer in Chatham: +13:45, so getTimezoneOffset() is -825.
  ['Pacific/Chatham', -825],
  // Newfoundland in January: -03:30.
  ['America/St_Johns', 210],
] as const)('zones with process.env.TZ = %s set before importing', (tz, januaryOffset) => {
  let fresh: Zones | null = null;
  const saved = process.env.TZ;
  beforeAll(async () => {
    process.env.TZ = tz;
    vi.resetModules();
    fresh = await import('./zones');
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('the process really runs in that zone', () => {
    expect(new Date(Date.UTC(2025, 0, 15, 12)).getTimezoneOffset()).toBe(januaryOffset);
    expect(fresh).not.toBe(zonesAsImported);
  });

  zoneCases(() => fresh!);
});
