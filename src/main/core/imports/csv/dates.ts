// Dates and times as exports write them, read as local wall-clock time (or an instant when the
// text carries an offset), then placed in a zone through the one zone module (core/time/zones).
import type { DateFormat } from '../../../../shared/contract';
import { DAY, HOUR, localMidnightMs, localTimeToUtcMs, MINUTE } from '../../time/zones';

export interface LocalDateTime {
  /** Epoch day of the local date. */
  day: number;
  /** Milliseconds since local midnight, or null when the text names only a date. */
  msOfDay: number | null;
  /** Minutes east of UTC when the text carries an offset (`+01:00`, `Z`), else null. */
  offsetMin: number | null;
  /** An epoch number: an instant with no zone of its own (it takes the import's zone). */
  epoch?: boolean;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function epochDay(y: number, m: number, d: number): number | null {
  if (m < 1 || m > 12 || d < 1) return null;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > MONTH_DAYS[m - 1] + (leap ? 1 : 0)) return null;
  return Date.UTC(y, m - 1, d) / DAY;
}

/** Digits of `t` from `at` to `at + n` as a number, or -1 when one is not a digit. */
function digits(t: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * `2024-03-05`, `2024-03-05 07:30` and `2024-03-05 07:30:15` (or with T) read without regular
 * expressions: a big CSV has millions of them. Anything else goes the general way (null here).
 */
function fastIso(t: string): LocalDateTime | null {
  const n = t.length;
  if ((n !== 10 && n !== 16 && n !== 19) || t[4] !== '-' || t[7] !== '-') return null;
  const y = digits(t, 0, 4);
  const mo = digits(t, 5, 2);
  const d = digits(t, 8, 2);
  if (y < 0 || mo < 0 || d < 0) return null;
  const day = epochDay(y, mo, d);
  if (day === null) return null;
  if (n === 10) return { day, msOfDay: null, offsetMin: null };
  if ((t[10] !== ' ' && t[10] !== 'T') || t[13] !== ':' || (n === 19 && t[16] !== ':')) return null;
  const h = digits(t, 11, 2);
  const mi = digits(t, 14, 2);
  const sec = n === 19 ? digits(t, 17, 2) : 0;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return null;
  return { day, msOfDay: h * HOUR + mi * MINUTE + sec * 1000, offsetMin: null };
}

const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

/** `13:45`, `13:45:10`, `1:45 PM`, `07:30:00.250`; milliseconds since midnight, or null. */
export function parseTimeOfDay(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?\s*([AaPp]\.?[Mm]\.?)?$/.exec(text.trim());
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] ? Number(m[3]) : 0;
  const frac = m[4] ? Number(m[4].padEnd(3, '0')) : 0;
  if (m[5]) {
    if (h < 1 || h > 12) return null;
    const pm = m[5][0].toLowerCase() === 'p';
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (h > 23 || min > 59 || s > 59) return null;
  return h * HOUR + min * MINUTE + s * 1000 + frac;
}

function offsetOf(text: string | undefined): number | null {
  if (!text) return null;
  if (text === 'Z' || text === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return NaN;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}

const ISO = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)\s*(Z|z|[+-]\d{2}:?\d{2})?)?$/;
const MDY_DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T,]+(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,3})?)?(?:\s*[AaPp]\.?[Mm]\.?)?))?$/;

/** A date (and time) cell in `format`, or null when it is not one. Epoch formats give an instant (offset 0). */
export function parseDateTime(text: string, format: DateFormat): LocalDateTime | null {
  const t = text.trim();
  if (format === 'epoch_s' || format === 'epoch_ms') {
    if (!/^\d+(\.\d+)?$/.test(t)) return null;
    const ms = format === 'epoch_s' ? Number(t) * 1000 : Number(t);
    const day = Math.floor(ms / DAY);
    return { day, msOfDay: ms - day * DAY, offsetMin: 0, epoch: true };
  }
  if (format === 'iso') {
    const fast = fastIso(t);
    if (fast) return fast;
    const m = ISO.exec(t);
    if (!m) return null;
    const day = epochDay(Number(m[1]), Number(m[2]), Number(m[3]));
    if (day === null) return null;
    const msOfDay = m[4] ? parseTimeOfDay(m[4].replace(/([.,]\d{3})\d+$/, '$1')) : null;
    if (m[4] && msOfDay === null) return null;
    const offsetMin = offsetOf(m[5]);
    if (Number.isNaN(offsetMin)) return null;
    return { day, msOfDay, offsetMin };
  }
  const m = MDY_DMY.exec(t);
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[2])];
  const day = format === 'mdy' ? epochDay(fullYear(m[3]), a, b) : epochDay(fullYear(m[3]), b, a);
  if (day === null) return null;
  const msOfDay = m[4] ? parseTimeOfDay(m[4]) : null;
  if (m[4] && msOfDay === null) return null;
  return { day, msOfDay, offsetMin: null };
}

/**
 * The formats a column's values can be read in, from a sample of them, most likely first (a
 * column of 03/05/2024 reads as both mdy and dmy: mdy first, the person can switch). A format
 * qualifies when at least 80 % of the non-empty values read in it: one bad row does not hide
 * the date column.
 */
export function guessDateFormats(values: readonly string[]): DateFormat[] {
  const sample = values.map((v) => v.trim()).filter((v) => v !== '');
  if (!sample.length) return [];
  const order: DateFormat[] = ['iso', 'mdy', 'dmy', 'epoch_ms', 'epoch_s'];
  const plausibleEpoch = (f: DateFormat, v: string) => {
    // Epoch numbers must look like dates between 2000 and 2100, not counts.
    const ms = f === 'epoch_s' ? Number(v) * 1000 : Number(v);
    return ms > 946_684_800_000 && ms < 4_102_444_800_000;
  };
  return order.filter((f) => {
    const ok = sample.filter((v) => parseDateTime(v, f) !== null && (f.startsWith('epoch') ? plausibleEpoch(f, v) : true)).length;
    return ok >= Math.max(1, Math.ceil(sample.length * 0.8));
  });
}

/**
 * The instant of a local date and time in `zone` (an offset in the text wins over the zone), or
 * null for an unknown zone. A date without a time is its local midnight.
 */
export function toInstant(t: LocalDateTime, zone: string): number | null {
  if (t.offsetMin !== null) return t.day * DAY + (t.msOfDay ?? 0) - t.offsetMin * MINUTE;
  if (t.msOfDay === null) return localMidnightMs(zone, t.day);
  return localTimeToUtcMs(zone, t.day, t.msOfDay);
}

/** A named local date's span in `zone` (its two midnights: 23 or 25 hours on a DST day). */
export function localDaySpan(day: number, zone: string): { startMs: number; endMs: number } | null {
  const startMs = localMidnightMs(zone, day);
  const endMs = localMidnightMs(zone, day + 1);
  return startMs === null || endMs === null ? null : { startMs, endMs };
}
