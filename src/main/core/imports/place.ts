// Where a record read from an export sits in time: the one rule every file importer uses for a
// local date or date-time (core/time/zones does the arithmetic).
// - A date without a time is that local date's total (or reading): the sample spans the date's
//   two midnights and carries `day`, so it is never sliced into hours, and a later export's value
//   for the same date replaces it. In the home zone it moves with the home zone.
// - A local time without an offset is read in the import's zone and keeps that zone.
// - A time with an offset (or Z) is an instant; its offset is its zone.
import { MAX_WORKOUT_S } from '../merge/workouts';
import { HOME_ZONE, type ZoneRef } from '../samples';
import { fixedOffsetZone, ZONE_SRC } from '../time/zones';
import { localDaySpan, toInstant, type LocalDateTime } from './csv/dates';
import type { ImportChoices } from './importer';

export interface Placed {
  startMs: number;
  endMs: number;
  zone: ZoneRef;
  /** The local date for a date-only value, else null. */
  day: number | null;
}

export function importZone(choices: Pick<ImportChoices, 'zone' | 'zoneIsHome'>): ZoneRef {
  return choices.zoneIsHome ? HOME_ZONE : { name: choices.zone, src: ZONE_SRC.record };
}

/**
 * A parsed date (and time) placed in time, lasting `durationMs` from its start (0 for a reading);
 * null when the zone is unknown. A date-only value spans its whole local date whatever `durationMs`.
 */
export function placeLocal(t: LocalDateTime, choices: Pick<ImportChoices, 'zone' | 'zoneIsHome'>, durationMs = 0): Placed | null {
  if (t.msOfDay === null && t.offsetMin === null) {
    const span = localDaySpan(t.day, choices.zone);
    return span && { ...span, zone: importZone(choices), day: t.day };
  }
  const startMs = toInstant(t, choices.zone);
  if (startMs === null) return null;
  const zone: ZoneRef = t.offsetMin !== null && !t.epoch ? { name: fixedOffsetZone(t.offsetMin), src: ZONE_SRC.offset } : { name: choices.zone, src: ZONE_SRC.record };
  return { startMs, endMs: startMs + durationMs, zone, day: null };
}

/**
 * A session (a workout) an export names only by its local date, with no time of day
 * (MyFitnessPal's and Cronometer's exercise logs): it spans the date from its local midnight, so
 * the merge's overlap rule (merge/workouts) takes a device's session of the same activity that
 * date for the same one instead of counting both. The span ends at the next midnight, or 24 hours
 * after the first on a 25-hour daylight-saving date (a longer session is set aside as impossible,
 * MAX_WORKOUT_S). null when the zone is unknown.
 */
export function placeDateSession(day: number, choices: Pick<ImportChoices, 'zone' | 'zoneIsHome'>): Omit<Placed, 'day'> | null {
  const span = localDaySpan(day, choices.zone);
  if (!span) return null;
  return { startMs: span.startMs, endMs: Math.min(span.endMs, span.startMs + MAX_WORKOUT_S * 1000), zone: importZone(choices) };
}
