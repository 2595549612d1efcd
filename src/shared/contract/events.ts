import { z } from 'zod';
import { CategoryIdSchema } from './app';

/** Event channels: main -> renderer, each with its payload schema. */
export const events = {
  'prefs:changed': z.object({ category: CategoryIdSchema }),
  'data:changed': z.object({ reason: z.string(), fromMs: z.number().nullable(), toMs: z.number().nullable() }),
};
