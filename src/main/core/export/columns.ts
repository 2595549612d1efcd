// The raw CSV export's shape, shared by the exporter and the `vitalsync-export` importer. Kept
// apart from the exporter so the import's parser thread loads no SQLite.
import { ZONE_SRC } from '../time/zones';

/** The raw CSV's columns, in order. The `vitalsync-export` importer recognises a file by this header. */
export const RAW_CSV_COLUMNS = [
  'metric',
  'source',
  'origin',
  'device_kind',
  'device',
  'raw_type',
  'unit',
  'start',
  'end',
  'day',
  'zone',
  'zone_source',
  'value',
  'category',
  'duration_s',
  'distance_km',
  'energy_kcal',
  'avg_heart_rate',
  'max_heart_rate',
] as const;

/** ZONE_SRC by name, as the raw export writes it. */
export const ZONE_SOURCE_NAMES = ['home', 'record', 'provider', 'offset'] as const;
export type ZoneSourceName = (typeof ZONE_SOURCE_NAMES)[number];
export const zoneSourceName = (src: number): ZoneSourceName => ZONE_SOURCE_NAMES[src] ?? 'home';
export const zoneSourceOf = (name: string): number | null => {
  const i = (ZONE_SOURCE_NAMES as readonly string[]).indexOf(name);
  return i < 0 ? null : (Object.values(ZONE_SRC) as number[])[i];
};

