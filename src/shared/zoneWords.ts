// The words for an export whose dates were written in another zone than the home zone: one
// sentence for the import's warning (core) and the dashboard's notice (renderer).
import type { WrittenZone } from './contract';

/**
 * "The dates in export.zip were written in America/Los_Angeles time, but your home time zone is
 * UTC, so days of records without their own zone are counted in UTC." A zone known only by its
 * offset reads "written at UTC-07:00".
 */
export function writtenZoneSentence(from: string, w: WrittenZone): string {
  const where = w.basis === 'fixed-offset' ? `at UTC${w.zone}` : `in ${w.zone} time`;
  return `The dates in ${from} were written ${where}, but your home time zone is ${w.home}, so days of records without their own zone are counted in ${w.home}.`;
}

/**
 * What to do about it: "If you live in America/Los_Angeles, make it your home time zone and the
 * days are counted again." With `command`, where and how (Settings, or the CLI's command). A
 * zone known only by its offset is not offered as such: it has no daylight saving time.
 */
export function writtenZoneAdvice(w: WrittenZone, command: boolean): string {
  if (w.basis === 'fixed-offset') return `If you live at UTC${w.zone}, set your home time zone in Settings to that place's zone name (it keeps daylight saving time right) and the days are counted again.`;
  const how = command ? ` in Settings (or \`vitalsync settings set homeTimeZone ${w.zone}\`)` : '';
  return `If you live in ${w.zone}, make it your home time zone${how} and the days are counted again.`;
}
