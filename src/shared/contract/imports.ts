import { z } from 'zod';
import { METRIC_IDS, type MetricId } from '../catalog';
import { channel } from './define';

/** The importers VitalSync has (core/imports/registry.ts); each recognises its files by content. */
export const IMPORTER_IDS = ['apple_health', 'myfitnesspal', 'cronometer', 'fitbit', 'garmin', 'vitalsync', 'csv'] as const;
export const ImporterIdSchema = z.enum(IMPORTER_IDS);
export type ImporterId = z.infer<typeof ImporterIdSchema>;

/**
 * How a generic CSV's date column is written. `iso`: 2024-03-05, 2024-03-05 07:30[:00],
 * 2024-03-05T07:30:00+01:00 or …Z (also with slashes, 2024/03/05). `mdy`: 3/5/2024 [7:30[:00] [PM]]
 * (two-digit years are 20yy). `dmy`: 5/3/2024, 5.3.2024 or 5-3-2024 [07:30[:00]]. `epoch_s` /
 * `epoch_ms`: seconds or milliseconds since 1970-01-01 UTC.
 */
export const DATE_FORMATS = ['iso', 'mdy', 'dmy', 'epoch_s', 'epoch_ms'] as const;
export const DateFormatSchema = z.enum(DATE_FORMATS);
export type DateFormat = z.infer<typeof DateFormatSchema>;

const MetricIdSchema = z.enum(METRIC_IDS as [MetricId, ...MetricId[]]);
const Column = z.string().min(1).max(200);

/**
 * A generic CSV's columns mapped to VitalSync's metrics. `wide`: one row per time, one metric per
 * column (`columns`). `long`: one reading per row, the metric named in `metricColumn` and mapped
 * through `metricNames` (the unit from `unitColumn` when there is one, else the name's unit).
 * A row whose date has no time of day is that local date's total (or reading); times without an
 * offset are read in `zone` (null: the home zone).
 */
export const CsvMappingSchema = z
  .object({
    layout: z.enum(['wide', 'long']),
    date: z.object({ column: Column, format: DateFormatSchema }).strict(),
    /** A separate time-of-day column (13:45, 1:45 PM), or null. */
    time: Column.nullable().default(null),
    zone: z.string().max(64).nullable().default(null),
    /** The decimal mark of numbers ('1.5' or '1,5'); thousands separators are the other mark, or a space. */
    decimal: z.enum(['.', ',']).default('.'),
    columns: z.array(z.object({ column: Column, metric: MetricIdSchema, unit: z.string().max(32) }).strict()).max(200).default([]),
    metricColumn: Column.nullable().default(null),
    valueColumn: Column.nullable().default(null),
    unitColumn: Column.nullable().default(null),
    metricNames: z.record(z.string().max(200), z.object({ metric: MetricIdSchema, unit: z.string().max(32) }).strict()).default({}),
    /** The device or app the values come from, as it appears in Sources and Preferences. */
    origin: z.string().trim().min(1).max(100),
  })
  .strict();
export type CsvMapping = z.infer<typeof CsvMappingSchema>;
export type CsvMappingInput = z.input<typeof CsvMappingSchema>;

/** What comes with a start: the importer (else recognised from the content), and its choices. */
export const ImportChoicesSchema = z
  .object({
    importer: ImporterIdSchema.optional(),
    mapping: CsvMappingSchema.optional(),
    /** Zone for local times without an offset (default: the home zone). */
    zone: z.string().max(64).optional(),
    /** For exports that never say their weight unit (MyFitnessPal). */
    weightUnit: z.enum(['kg', 'lb']).optional(),
  })
  .strict();
export type ImportChoices = z.infer<typeof ImportChoicesSchema>;

/** One row the import could not use: where, and why. Good rows of the same file are kept. */
export const RowErrorSchema = z.object({
  entry: z.string(),
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  reason: z.string(),
});
export type RowError = z.infer<typeof RowErrorSchema>;

/** What the importers made of a file before importing it (the Imports page's preview). */
export const ImportPreviewSchema = z.object({
  fileName: z.string(),
  /** Importers that recognise it, best first; empty when none does. */
  recognised: z.array(z.object({ importer: ImporterIdSchema, label: z.string(), description: z.string(), entries: z.number().int() })),
  /** When nothing recognises it: what VitalSync saw, and what to do. */
  message: z.string().nullable(),
  /** For a CSV: its header and first rows (as text), a suggested mapping, and a saved one for this header. */
  csv: z
    .object({
      header: z.array(z.string()),
      rows: z.array(z.array(z.string())),
      suggested: CsvMappingSchema.nullable(),
      saved: CsvMappingSchema.nullable(),
    })
    .nullable(),
  /** Questions the import needs answered before it can start ("weightUnit"). */
  needs: z.array(z.enum(['weightUnit', 'mapping', 'homeZone'])),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

/** Checks a mapping against a file's first rows: what each would become, and the problems. */
export const MappingCheckSchema = z.object({
  ok: z.boolean(),
  /** Up to 20 values the first rows give (metric, local time, value in the canonical unit). */
  values: z.array(z.object({ row: z.number().int(), metric: z.string(), time: z.string(), value: z.number(), unit: z.string() })),
  errors: z.array(RowErrorSchema),
});
export type MappingCheck = z.infer<typeof MappingCheckSchema>;

export const ImportStatusSchema = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted']);
export type ImportStatus = z.infer<typeof ImportStatusSchema>;

/**
 * The zone an export's dates were written in (canonical name, or a fixed offset such as
 * "-07:00" when no named zone fits them), how that was judged, and the home zone they contradicted.
 */
export const WrittenZoneSchema = z.object({ zone: z.string(), basis: z.enum(['record-zones', 'offsets', 'fixed-offset']), home: z.string() });
export type WrittenZone = z.infer<typeof WrittenZoneSchema>;

const InsertedDuplicates = z.object({ inserted: z.number().int(), duplicates: z.number().int() });

/** What an import brought in: stored, skipped as already there, and refused with reasons. */
export const ImportSummarySchema = z.object({
  samples: InsertedDuplicates,
  workouts: InsertedDuplicates,
  routes: InsertedDuplicates.extend({ points: z.number().int(), missing: z.number().int() }),
  /** Records that could not be stored, with how many per reason. */
  rejected: z.object({ total: z.number().int(), reasons: z.record(z.string(), z.number().int()) }),
  /** Per record type (Apple's identifier): how many were read, stored and were already there. */
  byType: z.record(z.string(), z.object({ read: z.number().int(), inserted: z.number().int(), duplicates: z.number().int() })),
  /** Correlation children (also present at top level, so not stored twice), ActivitySummary days, etc. */
  notes: z.record(z.string(), z.number().int()),
  exportDate: z.string().nullable(),
  exportVersion: z.string().nullable(),
  locale: z.string().nullable(),
  /** Where reading stopped early (truncated file), in bytes of the main XML. */
  stoppedAt: z.number().int().nullable(),
  warnings: z.array(z.string()),
  /** The first rows that could not be used (CSV and JSON importers), with where and why. */
  rowErrors: z.array(RowErrorSchema).optional(),
  /** Local times without an offset were read in this zone (the home zone unless chosen). */
  zone: z.string().optional(),
  /**
   * Apple Health, with a home zone set: the zone the export's dates were written in, when it is
   * not the home zone (the phone was elsewhere when it exported, or the home zone is not the
   * person's). Its days are still counted in the home zone; the summary's warnings say so.
   */
  writtenZone: WrittenZoneSchema.optional(),
  /** Where the time of the last run went, in seconds (for "why is my import slow?"). */
  timing: z
    .object({
      opening: z.number(),
      /** The parser thread: parsing, waiting for input (disk, inflate), waiting for the writer. */
      parsing: z.number(),
      waitingForInput: z.number(),
      waitingForWriter: z.number(),
      routes: z.number(),
      /** The writer thread: in SQLite, and idle waiting for batches. */
      writing: z.number(),
      writerIdle: z.number(),
    })
    .optional(),
});
export type ImportSummary = z.infer<typeof ImportSummarySchema>;

export const ImportJobSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  /** The file's name (not its full path, which may hold the user's name). */
  fileName: z.string(),
  status: ImportStatusSchema,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  bytesTotal: z.number(),
  bytesRead: z.number(),
  summary: ImportSummarySchema,
  error: z.string().nullable(),
});
export type ImportJob = z.infer<typeof ImportJobSchema>;

export const ImportProgressSchema = z.object({
  job: z.number().int(),
  status: ImportStatusSchema,
  phase: z.enum(['opening', 'records', 'routes', 'finishing', 'done']),
  bytesRead: z.number(),
  bytesTotal: z.number(),
  records: z.number().int(),
  /** Records per second over the last few seconds. */
  rate: z.number(),
  /** Seconds left, or null while unknown. */
  etaSeconds: z.number().nullable(),
  fileName: z.string(),
  error: z.string().nullable(),
});
export type ImportProgress = z.infer<typeof ImportProgressSchema>;

export const importEvents = {
  'import:progress': ImportProgressSchema,
};

export const importsChannels = {
  'imports:start': channel(
    'Start importing a file, zip or folder (the importer is recognised from the content unless named); returns the job at once.',
    z.object({ path: z.string().min(1).max(4096), choices: ImportChoicesSchema.optional() }).strict(),
    ImportJobSchema,
  ),
  'imports:preview': channel(
    'What VitalSync recognises in a file, zip or folder, and for a CSV its first rows and a suggested mapping.',
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    ImportPreviewSchema,
  ),
  'imports:check-mapping': channel(
    "A CSV mapping tried on the file's first rows: the values it gives and the rows it cannot read.",
    z.object({ path: z.string().min(1).max(4096), mapping: CsvMappingSchema }).strict(),
    MappingCheckSchema,
  ),
  'imports:cancel': channel('Stop a running import; what was stored stays and a later import finishes it.', z.object({ id: z.number().int() }).strict(), ImportJobSchema),
  'imports:list': channel('Import jobs, newest first.', z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(), z.array(ImportJobSchema)),
  'imports:get': channel('One import job.', z.object({ id: z.number().int() }).strict(), ImportJobSchema),
};
