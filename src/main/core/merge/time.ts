// Calendar arithmetic on local epoch days (days since 1970-01-01 where the samples were
// recorded): weeks, months and labels. Which day an instant falls on is time/zones' job.
import { DAY, HOUR } from '../time/zones';

export type BucketUnit = 'hour' | 'day' | 'week' | 'month';

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
