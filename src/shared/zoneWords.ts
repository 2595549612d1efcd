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
