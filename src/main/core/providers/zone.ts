// Time-zone arithmetic for provider records that name an IANA zone (Withings does, per record
// or per day). A record's offset is the zone's offset at that instant, so its local day is the
// day where it was recorded, whatever zone this machine is in now.

import { ZoneOffsets } from '../time/zoneOffsets';

const offsets = new ZoneOffsets();

/** Minutes east of UTC in `zone` at the instant `ms`; null for a zone this system does not know. */
export function zoneOffsetMin(zone: string, ms: number): number | null {
  const v = offsets.offsetAt(zone, ms);
  return Number.isNaN(v) ? null : v;
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
