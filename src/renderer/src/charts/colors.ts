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

/** The colour of one device, by its key (`source:origin`). */
export function deviceColor(key: string): string {
  return DEVICE_PALETTE[hashString(key) % DEVICE_PALETTE.length];
}

/** The colour of a device named by its source and origin name. */
export function sourceColor(source: string, origin: string): string {
  return deviceColor(originKey(source, origin));
}
