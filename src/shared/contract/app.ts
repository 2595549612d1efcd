import { z } from 'zod';
import { CATEGORY_IDS, METRIC_IDS, SOURCE_IDS } from '../catalog';
import { channel } from './define';

export const CategoryIdSchema = z.enum(CATEGORY_IDS);
export const SourceIdSchema = z.enum(SOURCE_IDS);
export const MetricIdSchema = z.enum(METRIC_IDS as [string, ...string[]]);

export const SourceStateSchema = z.object({
  id: SourceIdSchema,
  name: z.string(),
  kind: z.enum(['oauth', 'file']),
  categories: z.array(CategoryIdSchema),
  metrics: z.array(z.string()),
  redirect: z.enum(['custom-scheme', 'loopback', 'https-bounce', 'none']),
  available: z.boolean(),
  unavailableReason: z.string().optional(),
  note: z.string().optional(),
  /** What VitalSync holds from it now. */
  samples: z.number().int(),
  origins: z.array(z.object({ key: z.string(), name: z.string(), samples: z.number().int() })),
  connection: z
    .object({ status: z.string(), lastSyncAt: z.number().nullable(), lastError: z.string().nullable() })
    .nullable(),
});
export type SourceState = z.infer<typeof SourceStateSchema>;

export const StatusSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  database: z.object({
    path: z.string(),
    schemaVersion: z.number().int(),
    migrationsApplied: z.number().int(),
    sizeBytes: z.number().int(),
    samples: z.number().int(),
    workouts: z.number().int(),
    importJobs: z.number().int(),
    connections: z.number().int(),
  }),
  sources: z.array(SourceStateSchema),
});
export type Status = z.infer<typeof StatusSchema>;

export const appChannels = {
  'app:status': channel('The database and every catalog source with what VitalSync holds from it.', z.object({}).strict(), StatusSchema),
  'sources:list': channel('Every source in the catalog with its state.', z.object({}).strict(), z.array(SourceStateSchema)),
};
