// Durations as exports write them: a workout's time `1:02:03` (h:mm:ss), `35:20` (mm:ss), with
// tenths `00:07:43.2` or `00:07:43,2`; a pace `8:45` (minutes:seconds per km or mile). `--` and
// empty cells mean "no value" (csv/numbers isMissing).
import { isMissing } from './numbers';

const DURATION = /^(?:(\d+):)?(\d{1,3}):(\d{2})(?:[.,](\d{1,3}))?$/;

/**
 * A duration cell in seconds: `h:mm:ss` or `mm:ss`, each with optional fractions of a second
 * (`.2`, `,25`). null for a missing cell; NaN for text that is not a duration (`abc`, `1:75`).
 * Minutes may run past 59 only when there is no hour part (`75:20` is 75 minutes 20 seconds).
 */
export function parseDuration(text: string): number | null {
  if (isMissing(text)) return null;
  const m = DURATION.exec(text.trim());
  if (!m) return NaN;
  const h = m[1] === undefined ? 0 : Number(m[1]);
  const min = Number(m[2]);
  const s = Number(m[3]);
  if (s > 59 || (m[1] !== undefined && min > 59)) return NaN;
  const frac = m[4] ? Number(`0.${m[4]}`) : 0;
  return h * 3600 + min * 60 + s + frac;
}
