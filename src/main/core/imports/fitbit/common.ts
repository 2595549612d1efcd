// What every Fitbit reader shares: the origins the export names, reading one JSON file whole
// (one file at a time, so memory is bounded by the largest file), and cell/field numbers.
import type { InputEntry, RecordSink } from '../importer';
import type { OriginRef } from '../../samples';
import { parseNumber } from '../csv/numbers';

/**
 * The Global Export Data JSON files never name the device. Fitbit's trackers are wrist bands
 * (and watches, which rank alike), so an unnamed origin is the band.
 */
export const FITBIT_BAND: OriginRef = { name: 'Fitbit', deviceKind: 'band' };

/**
 * A weight log's `source` (Global Export Data weight-*.json): "Aria" for Fitbit's Aria scales,
 * "Web" for an entry typed on fitbit.com or in the app, "API" for a weight another app wrote
 * into Fitbit (a third-party scale or MyFitnessPal, say). Other words are kept as they are.
 */
export function weightOrigin(source: unknown): OriginRef {
  const s = typeof source === 'string' ? source.trim() : '';
  if (/aria|scale/i.test(s)) return { name: /fitbit/i.test(s) ? s : `Fitbit ${s}`, deviceKind: 'scale' };
  if (/^(web|manual)$/i.test(s)) return { name: 'Fitbit (entered by hand)', deviceKind: 'manual' };
  if (/^api$/i.test(s)) return { name: 'Fitbit (from another app)', deviceKind: 'app' };
  return s ? { name: s, deviceKind: 'unknown' } : FITBIT_BAND;
}

/**
 * The origin of a row of the Google-era CSVs by their `data source` cell ("Pixel Watch 2",
 * "Charge 6", "MobileTrack" for the phone's own step counter, "Fitbit App"). Empty: the band.
 */
export function dataSourceOrigin(cell: string | undefined): OriginRef {
  const s = (cell ?? '').trim();
  if (!s) return FITBIT_BAND;
  if (/watch/i.test(s)) return { name: s, deviceKind: 'watch' };
  if (/aria|scale/i.test(s)) return { name: s, deviceKind: 'scale' };
  if (/mobiletrack|phone/i.test(s)) return { name: s, deviceKind: 'phone' };
  if (/\bapp\b|web|manual/i.test(s)) return { name: s, deviceKind: 'app' };
  return { name: s, deviceKind: 'band' };
}

/** Rows Fitbit received from other apps through Android's Health Connect ("Garmin Connect Health Connect"): another source's data, not Fitbit's. */
export function viaHealthConnect(cell: string | undefined): boolean {
  return /health connect\s*$/i.test((cell ?? '').trim());
}

/** A JSON field that may be a number or a numeric string (`"value" : "12"`); null when absent, NaN when not a number. */
export function fieldNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v === 'string') return parseNumber(v);
  return NaN;
}

/** Largest JSON file read whole: Fitbit's own are a few MB (a day of heart rate, a month of minutes). */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/**
 * A JSON file's content, parsed, or null after reporting why it could not be (too large, not
 * JSON, not an array). Fitbit's files are arrays of records.
 */
export async function readJsonArray(entry: InputEntry, sink: RecordSink, what: string): Promise<unknown[] | null> {
  if (entry.size > MAX_JSON_BYTES) {
    sink.reject(`${what}: file too large`, { entry: entry.path, detail: `The file is ${Math.round(entry.size / 1048576)} MB; VitalSync reads Fitbit files up to 256 MB. It was skipped.` });
    return null;
  }
  const chunks: Buffer[] = [];
  for await (const c of entry.stream()) chunks.push(c as Buffer);
  let data: unknown;
  try {
    data = JSON.parse(Buffer.concat(chunks).toString('utf8').replace(/^\ufeff/, ''));
  } catch (err) {
    sink.reject(`${what}: not valid JSON`, { entry: entry.path, detail: `The file is not valid JSON (${(err as Error).message}); it may be cut short. Export it again from Google Takeout.` });
    return null;
  }
  if (!Array.isArray(data)) {
    sink.reject(`${what}: not a list of records`, { entry: entry.path, detail: 'The file holds JSON, but not the list of records Fitbit writes. It was skipped.' });
    return null;
  }
  return data;
}

/** Rounds away binary noise (176.4 × 0.45359237) without losing a reading's precision. */
export const round = (v: number, digits = 10) => Number(v.toPrecision(digits));
