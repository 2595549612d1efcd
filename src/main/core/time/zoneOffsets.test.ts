import { describe, expect, it } from 'vitest';
import { ZoneOffsets } from './zoneOffsets';

/** The slow, obvious answer: read the wall clock in the zone and compare with UTC. */
function reference(zone: string, ms: number): number {
  const t = Math.floor(ms / 1000) * 1000;
  const parts: Record<string, number> = {};
  const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  for (const p of f.formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Math.round((Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second) - t) / 60_000);
}

describe('zone offsets', () => {
  it('agree with the zone rules around every transition, half-hour and odd zones included', () => {
    const zones = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'Asia/Kolkata', 'Africa/Casablanca', 'UTC'];
    const offsets = new ZoneOffsets();
    const from = Date.UTC(2021, 0, 1);
    const to = Date.UTC(2024, 0, 1);
    const step = 7 * 3_600_000 + 13 * 60_000; // not a divisor of a day, so every hour gets visited
    for (const zone of zones) {
      for (let ms = from; ms < to; ms += step) expect(offsets.offsetAt(zone, ms), `${zone} at ${new Date(ms).toISOString()}`).toBe(reference(zone, ms));
    }
  });

  it('keeps its caches bounded when dates span millennia (a broken or hostile file), and stays right', () => {
    const offsets = new ZoneOffsets();
    const from = Date.UTC(1000, 0, 1);
    const days = 250_000; // about 680 years
    for (let d = 0; d < days; d++) offsets.offsetAt('UTC', from + d * 86_400_000);
    // days + midnights, each capped at 100,000: memory does not follow the span of the dates.
    expect(offsets.cachedEntries).toBeLessThanOrEqual(200_000);
    expect(offsets.offsetAt('Europe/Paris', Date.UTC(2023, 6, 1))).toBe(120);
  });

  it('answers the minutes either side of a change exactly (Paris, end of summer time 2023)', () => {
    const offsets = new ZoneOffsets();
    const change = Date.UTC(2023, 9, 29, 1, 0, 0); // 03:00 CEST becomes 02:00 CET
    expect(offsets.offsetAt('Europe/Paris', change - 60_000)).toBe(120);
    expect(offsets.offsetAt('Europe/Paris', change)).toBe(60);
  });

  it('says NaN for a zone the system does not know', () => {
    expect(new ZoneOffsets().offsetAt('Mars/Olympus', Date.now())).toBeNaN();
  });
});
