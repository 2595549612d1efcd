// Local-time arithmetic without the machine's zone. A sample's day is decided by the offset it
// was recorded with (samples.utc_offset_min), never by where this computer is now, so nothing
// here may call Date's local getters or Intl with the default zone.

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export type BucketUnit = 'hour' | 'day' | 'week' | 'month';

/** Local epoch day (days since 1970-01-01 where the sample was recorded) of instant `t`. */
export function localDay(t: number, offsetMin: number): number {
  return Math.floor((t + offsetMin * MINUTE) / DAY);
}

/** Local epoch hour of instant `t` at the given offset. */
export function localHour(t: number, offsetMin: number): number {
  return Math.floor((t + offsetMin * MINUTE) / HOUR);
}

/** A fixed-size local slot (an hour or a day): which slot `t` is in, and when the next begins. */
export interface Slotting {
  size: number;
  slot(t: number, offsetMin: number): number;
  /** The UTC instant at which the slot after the one holding `t` begins, at that offset. */
  next(t: number, offsetMin: number): number;
}

function slotting(size: number): Slotting {
  return {
    size,
    slot: (t, off) => Math.floor((t + off * MINUTE) / size),
    next: (t, off) => (Math.floor((t + off * MINUTE) / size) + 1) * size - off * MINUTE,
  };
}
export const DAYS = slotting(DAY);
export const HOURS = slotting(HOUR);

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses YYYY-MM-DD to an epoch day; null when it is not a real date. */
export function parseDay(text: string): number | null {
  const m = ISO_DAY.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = ms / DAY;
  return formatDay(d) === text ? d : null;
}

export function formatDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** YYYY-MM-DDTHH:00 of a local epoch hour. */
export function formatHour(hour: number): string {
  return new Date(hour * HOUR).toISOString().slice(0, 13) + ':00';
}

/** Monday of the week holding `day` (1970-01-01 was a Thursday). */
export function weekStart(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

export function monthStart(day: number): number {
  const d = new Date(day * DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY;
}

/** The first day of the week/month/day bucket holding `day`. */
export function bucketStartDay(day: number, unit: Exclude<BucketUnit, 'hour'>): number {
  if (unit === 'week') return weekStart(day);
  if (unit === 'month') return monthStart(day);
  return day;
}

/** The first day after the bucket that starts on `start`. */
export function bucketEndDay(start: number, unit: Exclude<BucketUnit, 'hour'>): number {
  if (unit === 'week') return start + 7;
  if (unit === 'month') {
    const d = new Date(start * DAY);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY;
  }
  return start + 1;
}
