// Messages between the import threads. The parser worker reads and parses the file and sends
// batches (columns as transferred typed arrays) to the writer, which owns a SQLite connection;
// the writer acknowledges each committed batch so that at most a few are in flight (without
// that cap memory grows with the file).
import type { ImporterId, RowError, WrittenZone } from '../../../shared/contract';
import type { SampleRecord, WorkoutRecord } from '../samples';
import type { HomeZoneEvidence, InferredHomeZone } from '../time/inferHomeZone';
import type { ImportChoices } from './importer';
import type { DeviceFields } from './apple-health/device';

export interface DimType {
  local: number;
  rawType: string;
  unit: string;
  metric: string | null;
}
export interface DimOrigin {
  local: number;
  /** As the export writes it; the writer keys it through SampleDims (one normalisation for every source). */
  name: string;
  kind: string;
}
export interface DimDevice {
  local: number;
  fields: DeviceFields;
}
export interface DimCategory {
  local: number;
  value: string;
}
/** A zone a record carries itself (HKTimeZone). Local zone 0 is the home zone and is never sent. */
export interface DimZone {
  local: number;
  name: string;
}

export interface RoutePoints {
  time: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  /** NaN when unknown. */
  ele: Float64Array;
  speed: Float64Array;
}

export interface WorkoutKey {
  originLocal: number;
  activityType: string;
  startMs: number;
  endMs: number;
}

export interface WorkoutRow extends WorkoutKey {
  deviceLocal: number;
  /** Local zone (DimZone); 0 = the home zone. */
  zone: number;
  durationS: number;
  distanceKm: number | null;
  energyKcal: number | null;
  avgHeartRate: number | null;
  maxHeartRate: number | null;
  detailsJson: string;
  /** Old exports' inline <Location> route. */
  points: RoutePoints | null;
}

export interface BatchMsg {
  t: 'batch';
  n: number;
  type: Int32Array;
  origin: Int32Array;
  device: Int32Array;
  start: Float64Array;
  end: Float64Array;
  /** Local zone (DimZone); 0 = the home zone (zone_src home), else the record's own (zone_src record). */
  zone: Int32Array;
  value: Float64Array;
  cat: Int32Array;
  /** Rows (index into the columns) that carry details, and their JSON. */
  detailRows: number[];
  detailJson: string[];
  /** Per detail: true when it is a low-cardinality metadata set, stored once and shared. */
  detailShared: boolean[];
  dims: { types: DimType[]; origins: DimOrigin[]; devices: DimDevice[]; categories: DimCategory[]; zones: DimZone[] };
  /** Totals Apple keeps per named local date (ActivitySummary): stored by the day-revision rule. */
  daily: DailyRow[];
  workouts: WorkoutRow[];
  /** Byte offset in the main XML after the last element in this batch: where a resumed run starts. */
  resumeOffset: number;
  /** With no home zone set: the home-zone evidence so far (bounded), kept with the job for a resumed run. */
  evidence: HomeZoneEvidence | null;
  /** Input bytes consumed when the batch was sent (compressed bytes for a zip). */
  inputBytes: number;
  /** Records read per Apple type since the previous batch. */
  read: Record<string, number>;
  rejected: Record<string, number>;
  notes: Record<string, number>;
}

/** A total for a local date (ActivitySummary), in the home zone: a newer export's row for the same day replaces it. */
export interface DailyRow {
  type: number;
  origin: number;
  /** The date, as an epoch day. */
  day: number;
  /** That day's local midnights in the home zone. */
  startMs: number;
  endMs: number;
  value: number;
}

export interface RouteFile {
  workout: WorkoutKey;
  /** The workout's origin as a database id (routes of workouts stored by an interrupted run). */
  originId?: number;
  file: string;
  points: RoutePoints;
}

/** Several route files in one message, stored in one transaction (one per file was 2.5 s of a 1 GB import). */
export interface RoutesMsg {
  t: 'routes';
  routes: RouteFile[];
}

export interface MetaMsg {
  t: 'meta';
  exportDate: string | null;
  exportVersion: string | null;
  locale: string | null;
  me: Record<string, string> | null;
}

/** The parser thread's share of ImportSummary['timing'], in milliseconds. */
export interface ParserTiming {
  opening: number;
  parsing: number;
  waitingForInput: number;
  waitingForWriter: number;
  routes: number;
}

export interface EndMsg {
  t: 'end';
  timing: ParserTiming;
  outcome: 'completed' | 'cancelled' | 'failed';
  error: string | null;
  stoppedAt: number | null;
  warnings: string[];
  rejected: Record<string, number>;
  notes: Record<string, number>;
  routesMissing: number;
  /** With no home zone set: the one the export points to (core/time/inferHomeZone), else null. */
  homeZone: InferredHomeZone | null;
  /** With a home zone set: the zone the export's dates were written in, when not that one (core/time/inferHomeZone), else null. */
  writtenZone: WrittenZone | null;
}

/**
 * Records from a file importer (imports/importer.ts), written through core/samples' SampleWriter
 * of `source` in one transaction. Apple Health's columns (BatchMsg) are its bulk twin.
 */
export interface RecordsMsg {
  t: 'records';
  source: string;
  samples: SampleRecord[];
  workouts: WorkoutRecord[];
  /** Records read per importer type since the previous message. */
  read: Record<string, number>;
  rejected: Record<string, number>;
  notes: Record<string, number>;
  /** Rejected rows with where they were (the runner keeps only the first few hundred). */
  rowErrors: RowError[];
  inputBytes: number;
}

/** Row errors kept per job, with where they were; beyond that they are only counted. */
export const MAX_ROW_ERRORS = 200;

export type ToWriter = BatchMsg | RecordsMsg | RoutesMsg | MetaMsg | EndMsg;
export type ToParser = { t: 'ack' } | { t: 'cancel' };

/** Parser/writer -> main thread. */
export type ToMain =
  | { t: 'parse-progress'; bytesRead: number; bytesTotal: number; phase: 'opening' | 'records' | 'routes' }
  | { t: 'write-progress'; records: number }
  | { t: 'parse-error'; message: string }
  | { t: 'done'; status: 'completed' | 'failed' | 'cancelled'; error: string | null; fromMs: number | null; toMs: number | null; inserted: number };

export interface ImportLimits {
  /** Refuse zip entries that inflate beyond this many bytes. */
  maxEntryBytes: number;
  /** Refuse zip entries whose inflated/compressed ratio exceeds this. */
  maxRatio: number;
  /** Refuse a single XML element (with its children) larger than this. */
  maxElementBytes: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxEntryBytes: 64 * 1024 ** 3,
  // Real export.xml compresses 15-30x; a ratio far above that is a bomb, not an export.
  maxRatio: 200,
  maxElementBytes: 32 * 1024 ** 2,
};

export interface ParseWorkerData {
  role: 'parse';
  path: string;
  /** The importer that reads it (recognised on the main thread, or chosen by the person). */
  importer: ImporterId;
  /** Record importers: the choices, resolved (zone, mapping, weight unit). */
  choices: ImportChoices;
  /** settings.homeTimeZone, or null when the person has not set one (the parser infers one). */
  homeZone: string | null;
  resumeOffset: number;
  limits: ImportLimits;
  batchSize: number;
  maxInFlight: number;
  /** Resuming: routes of workouts the interrupted run stored (their XML is skipped this time). */
  storedRoutes: { originId: number; activityType: string; startMs: number; endMs: number; path: string }[];
  /** Resuming: the home-zone evidence the interrupted run kept with the job. */
  evidence: HomeZoneEvidence | null;
}

export interface WriteWorkerData {
  role: 'write';
  dbFile: string;
  migrationsDir: string;
  jobId: number;
  /** Test hook: PRAGMA max_page_count, to see how a full disk is handled. */
  maxPageCount?: number;
}
