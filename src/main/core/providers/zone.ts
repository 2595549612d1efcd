// Time-zone arithmetic for provider records that name an IANA zone (Withings does, per record
// or per day). A record's offset is the zone's offset at that instant, so its local day is the
// day where it was recorded, whatever zone this machine is in now.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      return null;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** Minutes east of UTC in `zone` at the instant `ms`; null for a zone this system does not know. */
export function zoneOffsetMin(zone: string, ms: number): number | null {
  const f = formatter(zone);
  if (!f) return null;
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The UTC instant of local midnight starting `ymd` (YYYY-MM-DD) in `zone`. */
export function localMidnightMs(ymd: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return null;
  const naive = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Two passes settle days where the offset changes (DST starts or ends that day).
  let guess = naive - (zoneOffsetMin(zone, naive) ?? 0) * 60_000;
  const off = zoneOffsetMin(zone, guess);
  if (off === null) return null;
  guess = naive - off * 60_000;
  return guess;
}

/** The next calendar day of YYYY-MM-DD. */
export function nextDay(ymd: string): string {
  const [y, mo, d] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y, mo - 1, d + 1)).toISOString().slice(0, 10);
}
