// One colour per device (origin), the same in every chart, legend, tooltip and panel, and the
// same after a reload: derived from the origin's key (`source:origin`), never from the order
// in which origins happen to be seen.
import { formatSourceKey } from '../../../shared/sourceKey';

/** Okabe–Ito (without yellow, unreadable on white) plus darker companions: all distinguishable with common colour-vision deficiencies. */
export const DEVICE_PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#7A5195', '#8C6D31', '#4D4D4D', '#2F7F5F'] as const;

/** FNV-1a, 32 bit: a small, stable string hash. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The origin key a legend entry carries (`source:origin`), made from a bucket's source. */
export function originKey(source: string, origin: string): string {
  return formatSourceKey({ source: source as never, origin });
}

/**
 * Every device's colour given all the devices there are: in key order, each takes its hash's
 * colour, or the next one no device has taken yet (so a watch and a phone never share one
 * while the palette lasts). The same keys always give the same colours, whatever their order.
 */
export function assignDeviceColors(keys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<number>();
  for (const key of [...new Set(keys)].sort()) {
    let i = hashString(key) % DEVICE_PALETTE.length;
    if (taken.size < DEVICE_PALETTE.length) while (taken.has(i)) i = (i + 1) % DEVICE_PALETTE.length;
    taken.add(i);
    out.set(key, DEVICE_PALETTE[i]);
  }
  return out;
}

let known = new Map<string, string>();
/** The devices in the database (sources:list's origins); the dashboard sets them before drawing. */
export function setKnownDevices(keys: readonly string[]): void {
  known = assignDeviceColors(keys);
}

/** The colour of one device, by its key (`source:origin`): the same in every chart, legend, tooltip and panel. */
export function deviceColor(key: string): string {
  return known.get(key) ?? DEVICE_PALETTE[hashString(key) % DEVICE_PALETTE.length];
}

/** The colour of a device named by its source and origin name. */
export function sourceColor(source: string, origin: string): string {
  return deviceColor(originKey(source, origin));
}
