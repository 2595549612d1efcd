import { z } from 'zod';
import { channel } from './define';

export const ImportStatusSchema = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted']);
export type ImportStatus = z.infer<typeof ImportStatusSchema>;

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
    'Start importing a file (Apple Health export.zip, export.xml or the unzipped folder); returns the job at once.',
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    ImportJobSchema,
  ),
  'imports:cancel': channel('Stop a running import; what was stored stays and a later import finishes it.', z.object({ id: z.number().int() }).strict(), ImportJobSchema),
  'imports:list': channel('Import jobs, newest first.', z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(), z.array(ImportJobSchema)),
  'imports:get': channel('One import job.', z.object({ id: z.number().int() }).strict(), ImportJobSchema),
};
