// UTC offsets of IANA zones at given instants: the one place core turns a zone name into the
// offset that decides a sample's local day (Apple Health imports and provider syncs alike).

const DAY = 86_400_000;
/**
 * Entries kept per zone and cache (about 270 years of days). Real data spans a few decades, but
 * a broken or hostile file can hold dates across millennia: memory must not follow it.
 */
const MAX_CACHED = 100_000;

/**
 * One formatter per zone name for every ZoneOffsets (null: a name this system does not know).
 * Making one costs far more than using it, and a query builds a new clock each time. Bounded,
 * because zone names come from files.
 */
const FORMATTERS = new Map<string, Intl.DateTimeFormat | null>();
const MAX_FORMATTERS = 1_000;

/** Sets key in a per-zone cache, starting the cache over when it is full. */
function remember(cache: Map<number, number>, key: number, value: number): number {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
  return value;
}

/**
 * UTC offsets of IANA zones at given instants, cached per zone per UTC day (Intl is slow;
 * a day whose two ends disagree holds a transition and is resolved per hour).
 */
export class ZoneOffsets {
  private readonly days = new Map<string, Map<number, number>>();
  private readonly hours = new Map<string, Map<number, number>>();

  /** True when this system knows the zone. */
  isValid(zone: string): boolean {
    return this.formatter(zone) !== null;
  }

  private formatter(zone: string): Intl.DateTimeFormat | null {
    let f = FORMATTERS.get(zone);
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
      if (FORMATTERS.size >= MAX_FORMATTERS) FORMATTERS.clear();
      FORMATTERS.set(zone, f);
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
    const v = m.get(day);
    return v ?? remember(m, day, this.exact(f, day * DAY));
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
      v = remember(perDay, day, a === b ? a : 0x7fffffff);
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
      h = remember(perHour, hour, a === b ? a : 0x7fffffff);
    }
    return h !== 0x7fffffff ? h : this.exact(f, ms);
  }

  /** How many offsets are cached, over all zones (memory must stay bounded). */
  get cachedEntries(): number {
    let n = 0;
    for (const caches of [this.days, this.hours, this.midnights]) for (const m of caches.values()) n += m.size;
    return n;
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
