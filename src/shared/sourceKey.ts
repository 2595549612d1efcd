import { isSourceId, type SourceId } from './catalog';

/**
 * A source key names where data comes from in preferences: `<source>` or
 * `<source>:<origin>` (an origin is a device or app inside a source, such as
 * "Jane’s Apple Watch" inside Apple Health). The UI, the CLI and the contract all use it.
 */
export interface SourceKey {
  source: SourceId;
  origin: string | null;
}

export function parseSourceKey(key: string): SourceKey | null {
  const colon = key.indexOf(':');
  const source = colon < 0 ? key : key.slice(0, colon);
  if (!isSourceId(source)) return null;
  if (colon < 0) return { source, origin: null };
  const origin = key.slice(colon + 1).trim();
  if (!origin) return null;
  return { source, origin };
}

export function formatSourceKey(key: SourceKey): string {
  return key.origin ? `${key.source}:${key.origin}` : key.source;
}

/**
 * The form of an origin name used to match it. Apple writes the same device both as
 * "Jane's Apple Watch" and "Jane’s Apple Watch" across iOS versions; either spelling
 * must name one origin.
 */
export function normalizeOriginName(name: string): string {
  return name
    .replace(/[\u2018\u2019\u201B\u02BC\u2032\u00B4`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * The device kind of an origin holding records the source could not attribute to this person
 * (Withings' `attrib` 1: a scale measure that may belong to someone else on the same scale).
 * They are stored so the person can claim them, but never merged as theirs: the merge counts an
 * origin of this kind only when the person lists it by its own key (`<source>:<origin>`), never
 * through the bare source.
 */
export const UNASSIGNED_DEVICE_KIND = 'unassigned';
