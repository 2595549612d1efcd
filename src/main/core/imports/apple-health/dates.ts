// Dates and time zones of Apple Health exports.
//
// Apple writes every date as `yyyy-MM-dd HH:mm:ss ±hhmm` with the phone's offset AT EXPORT
// TIME, not at recording: a January sample exported in July carries the summer offset. The
// instant is still exact (the offset matches the written wall time), so we read the instant
// from the bytes, but the sample's local day comes from its HKTimeZone metadata, else the
// user's home zone, with that zone's rules at the sample's instant.

// (Zone offsets live in core/time/zoneOffsets.ts, shared with the provider syncs.)

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
 * (then read as UTC).
 */
export function parseAppleDate(buf: Uint8Array, s: number, e: number): number {
  if (e - s < 19) return NaN;
  const y = digits(buf, s, 4);
  const mo = digits(buf, s + 5, 2);
  const d = digits(buf, s + 8, 2);
  const h = digits(buf, s + 11, 2);
  const mi = digits(buf, s + 14, 2);
  const se = digits(buf, s + 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 24 || mi < 0 || mi > 59 || se < 0 || se > 60) return NaN;
  if (buf[s + 4] !== 0x2d || buf[s + 7] !== 0x2d || buf[s + 13] !== 0x3a || buf[s + 16] !== 0x3a) return NaN;
  let p = s + 19;
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
    const sign = buf[p];
    if (sign === 0x5a /* Z */) {
      offsetMin = 0;
    } else if (sign === 0x2b || sign === 0x2d) {
      const oh = digits(buf, p + 1, 2);
      const om = buf[p + 3] === 0x3a ? digits(buf, p + 4, 2) : digits(buf, p + 3, 2);
      if (oh < 0 || om < 0) return NaN;
      offsetMin = (oh * 60 + om) * (sign === 0x2d ? -1 : 1);
    } else return NaN;
  }
  return dayStart(y, mo, d) + h * 3_600_000 + mi * 60_000 + se * 1000 + ms - offsetMin * 60_000;
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
