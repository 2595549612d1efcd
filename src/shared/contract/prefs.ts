import { z } from 'zod';
import { CategoryIdSchema } from './app';
import { channel } from './define';

/** `<source>` or `<source>:<origin>`; checked against the catalog by the core. */
export const SourceKeyStringSchema = z.string().min(1).max(200);

export const SourcePriorityListSchema = z.object({
  sources: z.array(SourceKeyStringSchema).max(50),
  fillGaps: z.boolean(),
});

export const CategoryPreferenceSchema = z.object({
  category: CategoryIdSchema,
  /** Highest priority first. */
  sources: z.array(SourceKeyStringSchema).max(50),
  /** When on, lower-priority sources fill the intervals or buckets the higher ones leave empty. */
  fillGaps: z.boolean(),
  /** Per-metric overrides of the category's list (metric id -> list). */
  overrides: z.record(z.string(), SourcePriorityListSchema),
});
export type CategoryPreference = z.infer<typeof CategoryPreferenceSchema>;

export const PreferencesSchema = z.array(CategoryPreferenceSchema);

export const prefsChannels = {
  'prefs:get': channel('Every category’s source priority list and fill-gaps flag.', z.object({}).strict(), PreferencesSchema),
  'prefs:set': channel(
    'Replace one category’s source list and/or fill-gaps flag; rejected if a source cannot supply the category.',
    z
      .object({
        category: CategoryIdSchema,
        sources: z.array(SourceKeyStringSchema).max(50).optional(),
        fillGaps: z.boolean().optional(),
        overrides: z.record(z.string(), SourcePriorityListSchema).optional(),
      })
      .strict(),
    CategoryPreferenceSchema,
  ),
  'prefs:reset': channel('Restore one category (or all) to the defaults.', z.object({ category: CategoryIdSchema.optional() }).strict(), PreferencesSchema),
};
