// The one zone module: every local day, local hour and local midnight VitalSync computes comes
// from here (docs/merging.md "Days and time zones": days follow the sample's zone rules, never the
// computer's zone). A sample names its zone by id (samples.zone_id → zones.name); id 0 is the
// person's home zone, resolved when the day is computed, so changing the home zone re-dates
// those samples without re-import. Offsets come from ZoneOffsets (cached Intl lookups).
import { ZoneOffsets } from './zoneOffsets';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** samples.zone_id meaning "the home zone, whatever it is now". */
export const HOME_ZONE_ID = 0;

/** Where a sample's zone came from (samples.zone_src). */
export const ZONE_SRC = {
  /** No zone of its own: the home zone applies (and moves with it). */
  home: 0,
  /** The record's own zone (Apple's HKTimeZone metadata). */
  record: 1,
  /** A provider's zone field (Withings' `timezone`). */
  provider: 2,
  /** Only a UTC offset was known; it is kept as a fixed-offset zone such as `+09:00`. */
  offset: 3,
} as const;
export type ZoneSrc = (typeof ZONE_SRC)[keyof typeof ZONE_SRC];

/** The zone used when no home zone is set: UTC, said out loud wherever it matters, never the computer's zone. */
export const FALLBACK_HOME_ZONE = 'UTC';

const FIXED = /^([+-])(\d{2}):(\d{2})$/;

/** `+09:00` / `-05:30` for a fixed offset in minutes east of UTC. */
export function fixedOffsetZone(offsetMin: number): string {
  const a = Math.abs(Math.round(offsetMin));
  return `${offsetMin < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Minutes east of UTC of a fixed-offset zone name, or null when the name is not one. */
export function parseFixedOffset(name: string): number | null {
  const m = FIXED.exec(name);
  if (!m) return null;
  const v = Number(m[2]) * 60 + Number(m[3]);
  if (v > 18 * 60) return null;
  return m[1] === '-' ? -v : v;
}

const sharedOffsets = new ZoneOffsets();

/** True for an IANA zone this system knows, or a fixed offset such as `+05:30`. */
export function isKnownZone(name: string): boolean {
  return parseFixedOffset(name) !== null || sharedOffsets.isValid(name);
}

/** Minutes east of UTC of a zone (IANA or fixed offset) at instant `ms`; null for an unknown zone. */
export function zoneOffsetMin(zone: string, ms: number): number | null {
  const fixed = parseFixedOffset(zone);
  if (fixed !== null) return fixed;
  const v = sharedOffsets.offsetAt(zone, ms);
  return Number.isNaN(v) ? null : v;
}

/** Epoch day of a YYYY-MM-DD date (days since 1970-01-01), or null when it is not a real date. */
export function parseDay(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = ms / DAY;
  return formatDay(d) === text ? d : null;
}

export function formatDay(day: number): string {
  let text = dayTexts.get(day);
  if (text === undefined) {
    text = new Date(day * DAY).toISOString().slice(0, 10);
    if (dayTexts.size < 100_000) dayTexts.set(day, text);
  }
  return text;
}
/** Day texts once made: a dashboard's year asks for the same 365 per chart and per switch. */
const dayTexts = new Map<number, string>();

/** The instant local day `day` (epoch day) begins in `zone`; null for an unknown zone. */
export function localMidnightMs(zone: string, day: number): number | null {
  const naive = day * DAY;
  // Two passes settle days whose offset changes (DST starts or ends that day).
  const first = zoneOffsetMin(zone, naive);
  if (first === null) return null;
  let guess = naive - first * MINUTE;
  const off = zoneOffsetMin(zone, guess)!;
  guess = naive - off * MINUTE;
  // A zone whose midnight falls in a skipped hour begins the day at the transition.
  const check = zoneOffsetMin(zone, guess)!;
  if (Math.floor((guess + check * MINUTE) / DAY) !== day) guess = naive - check * MINUTE;
  return guess;
}

/**
 * The instant a local wall-clock time (`day` as an epoch day, `msOfDay` since its midnight) is in
 * `zone`; null for an unknown zone. A time the clocks skip (02:30 on a spring-forward night) is
 * read with the offset before the change, as a clock that was not yet turned forward would show
 * it; a time that happens twice (the autumn hour) is its first occurrence.
 */
export function localTimeToUtcMs(zone: string, day: number, msOfDay: number): number | null {
  const naive = day * DAY + msOfDay;
  const before = zoneOffsetMin(zone, naive - DAY);
  const after = zoneOffsetMin(zone, naive + DAY);
  if (before === null || after === null) return null;
  // Try the offsets in force around that time; the first that maps back to the same wall time wins.
  for (const off of before === after ? [before] : [Math.max(before, after), Math.min(before, after)]) {
    const t = naive - off * MINUTE;
    if (zoneOffsetMin(zone, t) === off) return t;
  }
  // Inside a skipped hour: the offset before the change.
  return naive - before * MINUTE;
}

/**
 * Local time of samples by zone id: day and hour slots that follow each zone's rules (a DST day
 * has 23 or 25 hours; Asia/Kolkata's day starts at 18:30 UTC). `names` maps zone ids to names
 * (the zones table); id 0 is `home`. Unknown names fall back to the home zone.
 */
export class ZoneClock {
  private readonly names: string[] = [];
  private readonly fixed: (number | null)[] = [];
  private readonly offsets = new ZoneOffsets();
  readonly home: string;

  constructor(names: Iterable<[number, string]>, home: string | null | undefined) {
    this.home = home && isKnownZone(home) ? home : FALLBACK_HOME_ZONE;
    this.set(HOME_ZONE_ID, this.home);
    for (const [id, name] of names) if (id !== HOME_ZONE_ID) this.set(id, isKnownZone(name) ? name : this.home);
  }

  /** Per zone id: the last UTC day looked up, and its offset when constant all that day (else NaN). */
  private readonly lastDay: number[] = [];
  private readonly lastOff: number[] = [];

  private set(id: number, name: string): void {
    this.names[id] = name;
    this.fixed[id] = parseFixedOffset(name);
    this.lastDay[id] = NaN;
    this.lastOff[id] = NaN;
  }

  /** The zone name behind an id (the home zone's name for 0). */
  name(zoneId: number): string {
    return this.names[zoneId] ?? this.home;
  }

  /** Minutes east of UTC at instant `t` in zone `zoneId`. */
  offset(zoneId: number, t: number): number {
    const f = this.fixed[zoneId];
    if (f !== null && f !== undefined) return f;
    // The merge asks in time order, zone by zone: remember the UTC day (a hot path).
    const day = Math.floor(t / DAY);
    if (day === this.lastDay[zoneId] && !Number.isNaN(this.lastOff[zoneId])) return this.lastOff[zoneId];
    const name = this.names[zoneId] ?? this.home;
    const v = this.offsets.offsetAt(name, t);
    if (Number.isNaN(v)) return 0;
    if (this.names[zoneId] !== undefined) {
      const a = this.offsets.offsetAt(name, day * DAY);
      const b = this.offsets.offsetAt(name, day * DAY + DAY - 1);
      this.lastDay[zoneId] = day;
      this.lastOff[zoneId] = a === b ? a : NaN;
    }
    return v;
  }

  /** Local epoch day of instant `t`. */
  day(zoneId: number, t: number): number {
    return Math.floor((t + this.offset(zoneId, t) * MINUTE) / DAY);
  }

  /** Local epoch hour of instant `t` (an hour repeated when clocks go back is one slot). */
  hour(zoneId: number, t: number): number {
    return Math.floor((t + this.offset(zoneId, t) * MINUTE) / HOUR);
  }

  /** The instant local day `day` begins. */
  dayStart(zoneId: number, day: number): number {
    const f = this.fixed[zoneId];
    if (f !== null && f !== undefined) return day * DAY - f * MINUTE;
    return localMidnightMs(this.names[zoneId] ?? this.home, day) ?? day * DAY;
  }

  /** The first instant after `t` that lies in a later local day. */
  nextDay(zoneId: number, t: number): number {
    return this.dayStart(zoneId, this.day(zoneId, t) + 1);
  }

  /** The first instant after `t` that may lie in another local hour (an offset change is also a cut). */
  nextHour(zoneId: number, t: number): number {
    const off = this.offset(zoneId, t);
    const cand = (Math.floor((t + off * MINUTE) / HOUR) + 1) * HOUR - off * MINUTE;
    const off2 = this.offset(zoneId, cand - 1);
    if (off2 === off) return cand;
    // The offset changed before the hour ended. Real transitions fall on a quarter hour: cut
    // at the first quarter hour after `t` with the new offset.
    const Q = 15 * MINUTE;
    for (let q = (Math.floor(t / Q) + 1) * Q; q < cand; q += Q) if (this.offset(zoneId, q) !== off) return q;
    return cand;
  }
}

/** Slots of one size (local days or local hours) over a ZoneClock: what the merge cuts by. */
export interface Slotting {
  unit: 'day' | 'hour';
  /** The slot (local epoch day or hour) holding instant `t` in zone `zoneId`. */
  slot(t: number, zoneId: number): number;
  /** The first instant after `t` that may lie in another slot. */
  next(t: number, zoneId: number): number;
}

export function daySlots(clock: ZoneClock): Slotting {
  return { unit: 'day', slot: (t, z) => clock.day(z, t), next: (t, z) => clock.nextDay(z, t) };
}

export function hourSlots(clock: ZoneClock): Slotting {
  return { unit: 'hour', slot: (t, z) => clock.hour(z, t), next: (t, z) => clock.nextHour(z, t) };
}

/**
 * The canonical IANA name of a zone a person typed ("europe/paris" -> "Europe/Paris",
 * "US/Pacific" -> "America/Los_Angeles"), a fixed offset as `+05:30`, or null when it is neither. Abbreviations such as
 * PST or EST are refused: they are ambiguous, and ICU maps EST to a zone without daylight saving.
 */
export function canonicalZoneName(name: string): string | null {
  const trimmed = name.trim();
  // A fixed offset ("+05:30") is a zone VitalSync can count days in, without daylight saving.
  const fixed = parseFixedOffset(trimmed);
  if (fixed !== null) return fixedOffsetZone(fixed);
  if (!trimmed.includes('/') && !/^(utc|gmt)$/i.test(trimmed)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The home zone to use for a settings value: the setting when it is a known zone, else UTC. */
export function resolveHomeZone(setting: string | null | undefined): string {
  return setting && isKnownZone(setting) ? setting : FALLBACK_HOME_ZONE;
}
