import { z } from 'zod';
import { CategoryIdSchema } from './app';
import { connectionsEvents } from './connections';
import { importEvents } from './imports';
import { metricsEvents } from './metrics';
import { exportEvents } from './export';
import { vaultEvents } from './vault';

/** Event channels: main -> renderer, each with its payload schema. */
export const events = {
  'prefs:changed': z.object({ category: CategoryIdSchema }),
  ...connectionsEvents,
  ...importEvents,
  ...metricsEvents,
  ...exportEvents,
  ...vaultEvents,
  'data:changed': z.object({ reason: z.string(), fromMs: z.number().nullable(), toMs: z.number().nullable() }),
};
