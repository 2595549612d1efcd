// From the user's preferences to a number per origin: lower wins. An origin's rank is the first
// entry of the priority list that names it (`source:origin` or the bare `source`); origins of
// one entry (an iPhone and a Watch inside `apple_health`) are ordered by device kind, so a
// dedicated device beats a phone's estimate, and they always fill each other's gaps.
import { getMetric, type CategoryId } from '../../../shared/catalog';
import type { CategoryPreference } from '../../../shared/contract';
import { normalizeOriginName, parseSourceKey } from '../../../shared/sourceKey';

export interface OriginInfo {
  id: number;
  source: string;
  originKey: string;
  name: string;
  deviceKind: string;
}

const DEVICE_ORDER: Record<string, number> = { watch: 0, ring: 1, band: 1, scale: 2, cuff: 2, phone: 3, app: 4, manual: 5 };
const TIE_SPAN = 1_000_000;

export interface PriorityList {
  sources: string[];
  fillGaps: boolean;
}

/** The list that applies to a metric: its per-metric override, else its category's. */
export function listFor(metric: string, prefs: CategoryPreference[]): PriorityList {
  const def = getMetric(metric);
  const pref = prefs.find((p) => p.category === (def?.category as CategoryId));
  if (!pref) return { sources: [], fillGaps: true };
  return pref.overrides[metric] ?? { sources: pref.sources, fillGaps: pref.fillGaps };
}

/** The list entry (0 = first) that names this origin, or -1 when none does. */
export function entryOf(origin: OriginInfo, list: PriorityList): number {
  for (let i = 0; i < list.sources.length; i++) {
    const key = parseSourceKey(list.sources[i]);
    if (!key || key.source !== origin.source) continue;
    if (key.origin === null || normalizeOriginName(key.origin) === origin.originKey) return i;
  }
  return -1;
}

export interface Ranking {
  /** origin id -> prio (lower wins); Infinity when the origin may not count. */
  prio: Map<number, number>;
  /** origin id -> list entry, -1 when not listed. */
  entry: Map<number, number>;
  /** With fill-gaps off: the one entry allowed to supply (the highest that has data), else null. */
  onlyEntry: number | null;
}

/**
 * Ranks the origins that have data for a metric. With fill-gaps off, only the highest listed
 * entry that has any data counts; the others are ignored rather than filling its gaps.
 */
export function rankOrigins(origins: OriginInfo[], list: PriorityList): Ranking {
  const prio = new Map<number, number>();
  const entry = new Map<number, number>();
  let top = Infinity;
  for (const o of origins) {
    const e = entryOf(o, list);
    entry.set(o.id, e);
    if (e >= 0 && e < top) top = e;
  }
  const onlyEntry = list.fillGaps || top === Infinity ? null : top;
  for (const o of origins) {
    const e = entry.get(o.id)!;
    if (e < 0 || (onlyEntry !== null && e !== onlyEntry)) {
      prio.set(o.id, Infinity);
      continue;
    }
    const kind = DEVICE_ORDER[o.deviceKind] ?? 6;
    prio.set(o.id, e * TIE_SPAN + kind * 100_000 + (o.id % 100_000));
  }
  return { prio, entry, onlyEntry };
}

/** Why an origin did not count, for "Why this number?". */
export function exclusionReason(originId: number, ranking: Ranking): 'not-listed' | 'fill-gaps-off' | null {
  const e = ranking.entry.get(originId);
  if (e === undefined || e < 0) return 'not-listed';
  if (ranking.onlyEntry !== null && e !== ranking.onlyEntry) return 'fill-gaps-off';
  return null;
}
