// Dates and time zones of Apple Health exports.
//
// Apple writes every date as `yyyy-MM-dd HH:mm:ss ±hhmm` with the phone's offset AT EXPORT
// TIME, not at recording: a January sample exported in July carries the summer offset. The
// instant is still exact (the offset matches the written wall time), so we read the instant
// from the bytes, but the sample's local day comes from its HKTimeZone metadata, else the
// user's home zone, with that zone's rules at the sample's instant.

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
/** Epoch ms of a UTC calendar day, cached (an export spans a few thousand days). */
function dayStart(y: number, mo: number, d: number): number {
  const key = y * 416 + mo * 32 + d;
  let v = days.get(key);
  if (v === undefined) {
    v = Date.UTC(y, mo - 1, d);
    if (days.size < 200_000) days.set(key, v);
  }
  return v;
}

export function parseAppleDateString(text: string): number {
  return parseAppleDate(Buffer.from(text, 'latin1'), 0, text.length);
}

const DAY = 86_400_000;

/**
 * UTC offsets of IANA zones at given instants, cached per zone per UTC day (Intl is slow;
 * a day whose two ends disagree holds a transition and is resolved per hour).
 */
export class ZoneOffsets {
  private readonly formatters = new Map<string, Intl.DateTimeFormat | null>();
  private readonly days = new Map<string, Map<number, number>>();
  private readonly hours = new Map<string, Map<number, number>>();

  /** True when this system knows the zone. */
  isValid(zone: string): boolean {
    return this.formatter(zone) !== null;
  }

  private formatter(zone: string): Intl.DateTimeFormat | null {
    let f = this.formatters.get(zone);
    if (f === undefined) {
      try {
        f = new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        });
      } catch {
        f = null;
      }
      this.formatters.set(zone, f);
    }
    return f;
  }

  private readonly nums = [0, 0, 0, 0, 0, 0];

  private exact(f: Intl.DateTimeFormat, ms: number): number {
    const t = Math.floor(ms / 1000) * 1000;
    // format() is about 3x cheaper than formatToParts(); en-US with numeric fields and h23
    // writes "M/D/YYYY, HH:MM:SS": read its six digit runs, else fall back to the parts.
    const text = f.format(t);
    const n = this.nums;
    let k = 0;
    let v = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) - 48 : -1;
      if (c >= 0 && c <= 9) v = v < 0 ? c : v * 10 + c;
      else if (v >= 0) {
        if (k < 6) n[k] = v;
        k++;
        v = -1;
      }
    }
    if (k === 6) return Math.round((Date.UTC(n[2], n[0] - 1, n[1], n[3] % 24, n[4], n[5]) - t) / 60_000);
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const p of f.formatToParts(new Date(t))) {
      if (p.type === 'year') year = Number(p.value);
      else if (p.type === 'month') month = Number(p.value);
      else if (p.type === 'day') day = Number(p.value);
      else if (p.type === 'hour') hour = Number(p.value);
      else if (p.type === 'minute') minute = Number(p.value);
      else if (p.type === 'second') second = Number(p.value);
    }
    const wall = Date.UTC(year, month - 1, day, hour % 24, minute, second);
    return Math.round((wall - t) / 60_000);
  }

  private readonly midnights = new Map<string, Map<number, number>>();

  private midnight(zone: string, f: Intl.DateTimeFormat, day: number): number {
    let m = this.midnights.get(zone);
    if (!m) this.midnights.set(zone, (m = new Map()));
    let v = m.get(day);
    if (v === undefined) m.set(day, (v = this.exact(f, day * DAY)));
    return v;
  }

  /** Offset from UTC in minutes of `zone` at instant `ms`; NaN for an unknown zone. */
  offsetAt(zone: string, ms: number): number {
    const f = this.formatter(zone);
    if (!f || !Number.isFinite(ms)) return NaN;
    const day = Math.floor(ms / DAY);
    let perDay = this.days.get(zone);
    if (!perDay) this.days.set(zone, (perDay = new Map()));
    let v = perDay.get(day);
    if (v === undefined) {
      // The offsets at this midnight and the next one (UTC) agree: no transition within the
      // day (two that cancel out within 24 hours do not exist). A transition exactly at the
      // next midnight makes them differ, and the hourly check below then resolves it. Each
      // midnight's offset is shared by the two days it bounds: one Intl call per day.
      const a = this.midnight(zone, f, day);
      const b = this.midnight(zone, f, day + 1);
      v = a === b ? a : 0x7fffffff;
      perDay.set(day, v);
    }
    if (v !== 0x7fffffff) return v;
    const hour = Math.floor(ms / 3_600_000);
    let perHour = this.hours.get(zone);
    if (!perHour) this.hours.set(zone, (perHour = new Map()));
    let h = perHour.get(hour);
    if (h === undefined) {
      // Transitions happen on the hour or half hour: check both ends of the hour.
      const a = this.exact(f, hour * 3_600_000);
      const b = this.exact(f, hour * 3_600_000 + 3_599_000);
      h = a === b ? a : 0x7fffffff;
      perHour.set(hour, h);
    }
    return h !== 0x7fffffff ? h : this.exact(f, ms);
  }

  /** The instant of local midnight starting `yyyy-mm-dd` in `zone`, and that zone's offset then. */
  localMidnight(zone: string, y: number, m: number, d: number): { ms: number; offsetMin: number } {
    const utc = Date.UTC(y, m - 1, d);
    let off = this.offsetAt(zone, utc);
    if (Number.isNaN(off)) off = 0;
    let ms = utc - off * 60_000;
    const off2 = this.offsetAt(zone, ms);
    if (!Number.isNaN(off2) && off2 !== off) {
      ms = utc - off2 * 60_000;
      off = off2;
    }
    return { ms, offsetMin: off };
  }
}
