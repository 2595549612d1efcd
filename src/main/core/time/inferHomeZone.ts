// Inferring a person's home zone from what an export says about it, for when none is set
// (docs/merging.md: never use the computer's zone silently). Pure: the import collects the evidence,
// this decides, and the caller stores the answer as an assumption the person can change.
//
// The offsets Apple wrote in the export's dates say which zone the phone was in when it
// exported (each date is written with the offset that zone had at that instant, so a DST zone
// shows two offsets over a year). A record's own zone (HKTimeZone) says where that one record
// was made, which may be a trip. The rule, in order:
// 1. the zones records carry themselves (HKTimeZone) that agree with every written offset at
//    the instant it was written for: the one most records carry (one record made in Tokyo does
//    not outvote a year of dates written in Los Angeles);
// 2. else the zones whose offsets match every written offset: first the main zones of the
//    locale's country, then a short list of populous zones;
// 3. else a fixed-offset zone (`-07:00`) from the offset written most often;
// 4. with no written offsets at all, the zone most records carry themselves.
import type { WrittenZone } from '../../../shared/contract';
import { writtenZoneAdvice, writtenZoneSentence } from '../../../shared/zoneWords';
import { canonicalZoneName, fixedOffsetZone, isKnownZone, zoneOffsetMin } from './zones';

export interface OffsetObservation {
  /** The instant a date was written for (UTC epoch ms). */
  ms: number;
  /** The offset written with it, in minutes east of UTC. */
  offsetMin: number;
}

export interface HomeZoneEvidence {
  /** How many records carried each zone of their own (HKTimeZone). */
  recordZones: Record<string, number>;
  /** Offsets written in the export's dates, at a bounded set of instants. */
  offsets: readonly OffsetObservation[];
  /** The export's locale (`en_US`, `hi_IN`), or null. */
  locale: string | null;
}

export type InferredBasis = 'record-zones' | 'offsets' | 'fixed-offset';

export interface InferredHomeZone {
  zone: string;
  basis: InferredBasis;
}

/** Main zones per country, most populous first (a modest table: the fallback lists follow). */
const COUNTRY_ZONES: Record<string, readonly string[]> = {
  US: ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Denver', 'America/Phoenix', 'America/Anchorage', 'Pacific/Honolulu'],
  CA: ['America/Toronto', 'America/Vancouver', 'America/Edmonton', 'America/Winnipeg', 'America/Halifax', 'America/Regina', 'America/St_Johns'],
  MX: ['America/Mexico_City', 'America/Tijuana', 'America/Cancun', 'America/Hermosillo', 'America/Mazatlan'],
  BR: ['America/Sao_Paulo', 'America/Fortaleza', 'America/Manaus', 'America/Rio_Branco'],
  AR: ['America/Argentina/Buenos_Aires'],
  CL: ['America/Santiago'],
  CO: ['America/Bogota'],
  GB: ['Europe/London'],
  IE: ['Europe/Dublin'],
  FR: ['Europe/Paris'],
  DE: ['Europe/Berlin'],
  ES: ['Europe/Madrid', 'Atlantic/Canary'],
  IT: ['Europe/Rome'],
  NL: ['Europe/Amsterdam'],
  BE: ['Europe/Brussels'],
  CH: ['Europe/Zurich'],
  AT: ['Europe/Vienna'],
  SE: ['Europe/Stockholm'],
  NO: ['Europe/Oslo'],
  DK: ['Europe/Copenhagen'],
  FI: ['Europe/Helsinki'],
  PL: ['Europe/Warsaw'],
  PT: ['Europe/Lisbon', 'Atlantic/Azores'],
  GR: ['Europe/Athens'],
  TR: ['Europe/Istanbul'],
  RU: ['Europe/Moscow'],
  IL: ['Asia/Jerusalem'],
  AE: ['Asia/Dubai'],
  ZA: ['Africa/Johannesburg'],
  IN: ['Asia/Kolkata'],
  CN: ['Asia/Shanghai'],
  HK: ['Asia/Hong_Kong'],
  TW: ['Asia/Taipei'],
  JP: ['Asia/Tokyo'],
  KR: ['Asia/Seoul'],
  SG: ['Asia/Singapore'],
  AU: ['Australia/Sydney', 'Australia/Melbourne', 'Australia/Brisbane', 'Australia/Perth', 'Australia/Adelaide', 'Australia/Hobart', 'Australia/Darwin'],
  NZ: ['Pacific/Auckland'],
};

/** Populous zones, tried when the locale's country gives no match (or there is no country). */
const POPULOUS_ZONES: readonly string[] = [
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Denver',
  'America/Phoenix',
  'America/Mexico_City',
  'America/Sao_Paulo',
  'America/Bogota',
  'America/Argentina/Buenos_Aires',
  'America/Toronto',
  'America/Halifax',
  'America/St_Johns',
  'America/Anchorage',
  'Pacific/Honolulu',
  'Europe/London',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Athens',
  'Europe/Istanbul',
  'Europe/Moscow',
  'Africa/Lagos',
  'Africa/Cairo',
  'Africa/Johannesburg',
  'Africa/Nairobi',
  'Asia/Dubai',
  'Asia/Tehran',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Dhaka',
  'Asia/Bangkok',
  'Asia/Jakarta',
  'Asia/Shanghai',
  'Asia/Manila',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Australia/Perth',
  'Australia/Adelaide',
  'Australia/Brisbane',
  'Australia/Sydney',
  'Pacific/Auckland',
];

/** The country of a locale such as `en_US`, `en-GB`, `zh-Hans_CN` or `de_DE@calendar=…`; null when it names none. */
export function localeCountry(locale: string | null | undefined): string | null {
  if (!locale) return null;
  const m = /[_-]([A-Za-z]{2})(?=$|[@._-])/.exec(locale.split('@')[0].slice(2));
  return m ? m[1].toUpperCase() : null;
}

function matchesAll(zone: string, offsets: readonly OffsetObservation[]): boolean {
  for (const o of offsets) if (zoneOffsetMin(zone, o.ms) !== o.offsetMin) return false;
  return true;
}

/** The known zone most records carry among those `accept` allows (ties: the first by name), or null. */
function mostCarried(recordZones: Record<string, number>, accept: (zone: string) => boolean): string | null {
  let best: string | null = null;
  let bestN = 0;
  for (const [zone, n] of Object.entries(recordZones)) {
    if (!(n > 0) || !isKnownZone(zone) || !accept(zone)) continue;
    if (n > bestN || (n === bestN && best !== null && zone < best)) {
      best = zone;
      bestN = n;
    }
  }
  return best;
}

function readable(offsets: readonly OffsetObservation[]): OffsetObservation[] {
  return offsets.filter((o) => Number.isFinite(o.ms) && Number.isFinite(o.offsetMin));
}

/** The home zone the evidence points to, or null when it says nothing. */
export function inferHomeZone(e: HomeZoneEvidence): InferredHomeZone | null {
  const offsets = readable(e.offsets);
  if (!offsets.length) {
    const carried = mostCarried(e.recordZones, () => true);
    return carried ? { zone: carried, basis: 'record-zones' } : null;
  }
  const agreeing = mostCarried(e.recordZones, (zone) => matchesAll(zone, offsets));
  if (agreeing) return { zone: agreeing, basis: 'record-zones' };

  const country = localeCountry(e.locale);
  const candidates = [...(country ? (COUNTRY_ZONES[country] ?? []) : []), ...POPULOUS_ZONES];
  for (const zone of candidates) if (isKnownZone(zone) && matchesAll(zone, offsets)) return { zone, basis: 'offsets' };

  const counts = new Map<number, number>();
  let common = offsets[0].offsetMin;
  for (const o of offsets) {
    const n = (counts.get(o.offsetMin) ?? 0) + 1;
    counts.set(o.offsetMin, n);
    if (n > (counts.get(common) ?? 0)) common = o.offsetMin;
  }
  return { zone: fixedOffsetZone(common), basis: 'fixed-offset' };
}

const BASIS_TEXT: Record<InferredBasis, (from: string) => string> = {
  'record-zones': (from) => `from the time zones recorded with the samples in ${from}`,
  offsets: (from) => `from the dates in ${from}`,
  'fixed-offset': (from) => `from the UTC offsets of the dates in ${from}; no named zone matched them`,
};

/** What the import tells the person when it assumed their home zone. */
export function assumedHomeZoneWarning(z: InferredHomeZone, from = 'this export'): string {
  return (
    `No home time zone was set: VitalSync assumed ${z.zone} (${BASIS_TEXT[z.basis](from)}). ` +
    'Days of records without their own zone are counted there; change it in Settings, or with `vitalsync settings set homeTimeZone <zone>`.'
  );
}

/**
 * With a home zone set: the zone an export's dates were written in, when it is not the home zone.
 * Every written offset is the exporting phone's zone's offset at that instant (see above), so
 * one that the home zone did not have at that instant means the phone was in another zone when
 * it exported: the person was travelling, or the home zone set (a computer's zone accepted on
 * the first run, say) is not theirs. Null when the home zone had every written offset, or when
 * there are none (nothing contradicts it). The zone is named as settings:set would store it
 * (canonicalZoneName: Asia/Kolkata may be Asia/Calcutta), so taking it makes the two equal.
 */
export function exportZoneContradicting(homeZone: string, e: HomeZoneEvidence): WrittenZone | null {
  const offsets = readable(e.offsets);
  if (!offsets.length || matchesAll(homeZone, offsets)) return null;
  const inferred = inferHomeZone({ ...e, offsets });
  const zone = inferred ? canonicalZoneName(inferred.zone) : null;
  return inferred && zone && zone !== homeZone ? { zone, basis: inferred.basis, home: homeZone } : null;
}

/** What the import tells the person when the export's dates were written in another zone than their home zone. */
export function contradictedHomeZoneWarning(w: WrittenZone, from = 'this export'): string {
  return `${writtenZoneSentence(from, w)} ${writtenZoneAdvice(w, true)} If the phone was only travelling when you exported, nothing needs doing.`;
}
