// Dates of Apple Health exports.
//
// Apple writes every date as `yyyy-MM-dd HH:mm:ss ±hhmm` (iOS 8: `yyyyMMddHHmmss±hhmm`) in the
// zone of the phone AT EXPORT TIME, with that zone's offset at the date's instant: not where the
// sample was recorded. The instant is exact, so we read it from the bytes; the sample's local
// day comes from its own zone (HKTimeZone) or the home zone, never from the written offset.
// The written offsets are still evidence of the exporting phone's zone: with no home zone set,
// the import infers one from them (core/time/inferHomeZone).

const D0 = 0x30;

function digits(buf: Uint8Array, p: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[p + i] - D0;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The exact UTC instant (epoch ms) of an Apple date written in buf[s..e), or NaN.
 * Reading the digits is exact and far cheaper than Date.parse (V8's legacy parser).
 * Accepts `yyyy-MM-dd HH:mm:ss ±hhmm`, with 'T' instead of the space, a `Z`, or no offset
 * (then read as UTC), and the compact form iOS 8 wrote (`yyyyMMddHHmmss±hhmm`).
 */
export function parseAppleDate(buf: Uint8Array, s: number, e: number): number {
  if (e - s < 14) return NaN;
  let y: number, mo: number, d: number, h: number, mi: number, se: number, p: number;
  if (buf[s + 4] === 0x2d) {
    if (e - s < 19) return NaN;
    y = digits(buf, s, 4);
    mo = digits(buf, s + 5, 2);
    d = digits(buf, s + 8, 2);
    h = digits(buf, s + 11, 2);
    mi = digits(buf, s + 14, 2);
    se = digits(buf, s + 17, 2);
    if (buf[s + 7] !== 0x2d || buf[s + 13] !== 0x3a || buf[s + 16] !== 0x3a) return NaN;
    p = s + 19;
  } else {
    // iOS 8: 20150615081000-0700.
    y = digits(buf, s, 4);
    mo = digits(buf, s + 4, 2);
    d = digits(buf, s + 6, 2);
    h = digits(buf, s + 8, 2);
    mi = digits(buf, s + 10, 2);
    se = digits(buf, s + 12, 2);
    p = s + 14;
  }
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 24 || mi < 0 || mi > 59 || se < 0 || se > 60) return NaN;
  let ms = 0;
  if (p < e && buf[p] === 0x2e) {
    // Fractional seconds (not written by Apple, but by some third-party files).
    p++;
    let scale = 100;
    while (p < e && buf[p] >= D0 && buf[p] <= D0 + 9) {
      ms += (buf[p] - D0) * scale;
      scale /= 10;
      p++;
    }
    ms = Math.round(ms);
  }
  while (p < e && buf[p] === 0x20) p++;
  let offsetMin = 0;
  if (p < e) {
    offsetMin = offsetAt(buf, p, e);
    if (Number.isNaN(offsetMin)) return NaN;
  }
  return dayStart(y, mo, d) + h * 3_600_000 + mi * 60_000 + se * 1000 + ms - offsetMin * 60_000;
}

/** `Z`, `±hhmm` or `±hh:mm` at p: minutes east of UTC, or NaN. */
function offsetAt(buf: Uint8Array, p: number, e: number): number {
  const sign = buf[p];
  if (sign === 0x5a /* Z */) return 0;
  if (sign !== 0x2b && sign !== 0x2d) return NaN;
  if (p + 5 > e) return NaN;
  const oh = digits(buf, p + 1, 2);
  const om = buf[p + 3] === 0x3a ? digits(buf, p + 4, 2) : digits(buf, p + 3, 2);
  if (oh < 0 || om < 0) return NaN;
  return (oh * 60 + om) * (sign === 0x2d ? -1 : 1);
}

/**
 * The UTC offset (minutes east) written with an Apple date, or NaN when it has none. Not a
 * sample's zone (see above): evidence of the export's zone, for inferring a home zone.
 */
export function writtenOffsetMin(buf: Uint8Array, s: number, e: number): number {
  let p = s + (buf[s + 4] === 0x2d ? 19 : 14);
  if (p < e && buf[p] === 0x2e) {
    p++;
    while (p < e && buf[p] >= D0 && buf[p] <= D0 + 9) p++;
  }
  while (p < e && buf[p] === 0x20) p++;
  return p < e ? offsetAt(buf, p, e) : NaN;
}

const days = new Map<number, number>();
/** Epoch ms of a UTC calendar day, cached (an export spans a few thousand days; the cap, 110 years, bounds memory on absurd dates). */
function dayStart(y: number, mo: number, d: number): number {
  const key = y * 416 + mo * 32 + d;
  let v = days.get(key);
  if (v === undefined) {
    v = Date.UTC(y, mo - 1, d);
    if (days.size < 40_000) days.set(key, v);
  }
  return v;
}

export function parseAppleDateString(text: string): number {
  return parseAppleDate(Buffer.from(text, 'latin1'), 0, text.length);
}

export function writtenOffsetOf(text: string): number {
  return writtenOffsetMin(Buffer.from(text, 'latin1'), 0, text.length);
}
