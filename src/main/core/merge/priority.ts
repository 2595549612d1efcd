// From the user's preferences to a number per origin: lower wins. An origin's rank is the first
// entry of the priority list that names it (`source:origin` or the bare `source`); origins of
// one entry (an iPhone and a Watch inside `apple_health`) are ordered by device kind, so a
// dedicated device beats a phone's estimate, and they always fill each other's gaps.
import { getMetric, type CategoryId } from '../../../shared/catalog';
import type { CategoryPreference } from '../../../shared/contract';
import { normalizeOriginName, parseSourceKey, UNASSIGNED_DEVICE_KIND } from '../../../shared/sourceKey';

export interface OriginInfo {
  id: number;
  source: string;
  originKey: string;
  name: string;
  deviceKind: string;
}

/**
 * Inside one list entry: worn and dedicated devices first, then a source's own daily summary
 * (Apple's activity rings), then a device VitalSync cannot name (still a device), then the
 * phone's estimate, apps and typed-in values.
 */
const DEVICE_ORDER: Record<string, number> = { watch: 0, ring: 1, band: 1, scale: 2, cuff: 2, sleep_mat: 2, monitor: 2, thermometer: 2, summary: 3, unknown: 4, phone: 5, app: 6, manual: 7 };
const TIE_SPAN = 10_000_000;

export interface PriorityList {
  sources: string[];
  fillGaps: boolean;
}

/**
 * Metrics that are halves of one reading: both halves always follow the first one's list, so
 * one source supplies both (a systolic from one cuff and a diastolic from another is no reading).
 */
export const PAIRED_METRICS: Record<string, string> = {
  blood_pressure_systolic: 'blood_pressure_diastolic',
  blood_pressure_diastolic: 'blood_pressure_systolic',
};
const PAIR_LEADER: Record<string, string> = { blood_pressure_diastolic: 'blood_pressure_systolic' };

/** The list that applies to a metric: its per-metric override, else its category's. */
export function listFor(metric: string, prefs: CategoryPreference[]): PriorityList {
  const leader = PAIR_LEADER[metric] ?? metric;
  const def = getMetric(leader);
  const pref = prefs.find((p) => p.category === (def?.category as CategoryId));
  if (!pref) return { sources: [], fillGaps: true };
  return pref.overrides[leader] ?? { sources: pref.sources, fillGaps: pref.fillGaps };
}

/**
 * The list entry (0 = first) that names this origin, or -1 when none does. A bare source
 * entry does not take measures a device could not assign to the person (Withings' attrib 1,
 * kept as an 'unassigned' origin): those count only where the person lists them by their key.
 */
export function entryOf(origin: OriginInfo, list: PriorityList): number {
  for (let i = 0; i < list.sources.length; i++) {
    const key = parseSourceKey(list.sources[i]);
    if (!key || key.source !== origin.source) continue;
    if (key.origin === null ? origin.deviceKind !== UNASSIGNED_DEVICE_KIND : normalizeOriginName(key.origin) === origin.originKey) return i;
  }
  return -1;
}

export interface Ranking {
  /** origin id -> prio (lower wins, unique per origin); Infinity when the origin is not listed. */
  prio: Map<number, number>;
  /** origin id -> list entry, -1 when not listed. */
  entry: Map<number, number>;
  /** With fill-gaps off, only the day's top entry supplies that day (decided per day, by the merge). */
  fillGaps: boolean;
}

/** Ranks origins by the list. Which of them supplies a given day is the merge's per-day decision. */
export function rankOrigins(origins: Iterable<OriginInfo>, list: PriorityList): Ranking {
  const prio = new Map<number, number>();
  const entry = new Map<number, number>();
  for (const o of origins) {
    const e = entryOf(o, list);
    entry.set(o.id, e);
    if (e < 0) {
      prio.set(o.id, Infinity);
      continue;
    }
    const kind = DEVICE_ORDER[o.deviceKind] ?? DEVICE_ORDER.unknown;
    // Unique per origin (ties between origins of one kind go by id; ids stay far below 100,000).
    prio.set(o.id, e * TIE_SPAN + kind * 100_000 + (o.id % 100_000));
  }
  return { prio, entry, fillGaps: list.fillGaps };
}
