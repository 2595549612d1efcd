import { z } from 'zod';
import { MetricIdSchema } from './app';
import { channel } from './define';
import { DayStringSchema } from './metrics';

export const EXPORT_FORMATS = ['csv', 'json', 'fhir', 'sqlite'] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/**
 * merged: one value per metric and local day, with the sources that made it and their shares
 * (what the dashboard shows). raw: every stored sample, with its source, origin, device kind,
 * zone and day grain (the raw CSV can be imported again).
 */
export const ExportValuesSchema = z.enum(['merged', 'raw']);
export type ExportValues = z.infer<typeof ExportValuesSchema>;

/** What to export. The SQLite format ignores the rest: it is always the whole database. */
export const ExportRequestSchema = z
  .object({
    /** Local days, inclusive; both omitted = all the data. */
    from: DayStringSchema.optional(),
    to: DayStringSchema.optional(),
    /** Omitted or empty = every metric. */
    metrics: z.array(MetricIdSchema).max(100).optional(),
    format: ExportFormatSchema,
    values: ExportValuesSchema.default('merged'),
  })
  .strict();
export type ExportRequest = z.input<typeof ExportRequestSchema>;

export const ExportResultSchema = z.object({
  /** Where the file was written (empty for a browser download). */
  path: z.string(),
  format: ExportFormatSchema,
  values: ExportValuesSchema,
  /** Rows (CSV), records (JSON), Observations (FHIR) or database pages (SQLite) written. */
  rows: z.number().int(),
  bytes: z.number().int(),
  ms: z.number(),
  /** FHIR: metrics that had data but no sound LOINC code, so they are not in the bundle. */
  omitted: z.array(z.string()),
});
export type ExportResult = z.infer<typeof ExportResultSchema>;

/** An absolute path of the file to write; the folder must exist. */
const OutPathSchema = z.string().min(1).max(4096);

export const exportChannels = {
  'export:run': channel(
    'Writes an export (merged daily values or raw samples as CSV, JSON or FHIR; or the whole database as SQLite) to a file the caller names. The CLI and the main process only: a page never names a path to write.',
    z.object({ request: ExportRequestSchema, out: OutPathSchema }).strict(),
    ExportResultSchema,
  ),
  'export:save': channel(
    'Asks where to save (the desktop app’s save dialog), then writes the export there; null when the person cancels. Browser mode downloads instead (POST /api/export).',
    ExportRequestSchema,
    ExportResultSchema.nullable(),
  ),
};

/** Channels a renderer (IPC or browser mode) may not call: they write wherever they are told. */
export const MAIN_ONLY_CHANNELS: ReadonlySet<string> = new Set(['export:run']);

/** Sent while an export runs (about every 50,000 rows, and for SQLite every few pages). */
export const exportEvents = {
  'export:progress': z.object({ id: z.string(), done: z.number(), total: z.number().nullable(), unit: z.enum(['rows', 'pages']) }),
};
