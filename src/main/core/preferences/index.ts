// Preferences: per category, which source wins and whether lower ones fill gaps.
import { eq } from 'drizzle-orm';
import {
  CATEGORY_IDS,
  CATEGORY_LABELS,
  getMetric,
  getSource,
  SOURCES,
  sourceSuppliesCategory,
  type CategoryId,
  type SourceId,
} from '../../../shared/catalog';
import type { CategoryPreference } from '../../../shared/contract';
import { parseSourceKey } from '../../../shared/sourceKey';
import type { Db } from '../db/open';
import { preferences } from '../db/schema';
import { invalidInput } from '../errors';

/**
 * Default priority, most trusted first: a dedicated device beats a phone's estimate, a food
 * log beats a generic spreadsheet. Sources that cannot supply a category are left out of it.
 */
const DEFAULT_ORDER: Record<CategoryId, SourceId[]> = {
  activity: ['apple_health', 'garmin', 'fitbit', 'oura', 'whoop', 'withings', 'strava', 'csv'],
  sleep: ['oura', 'whoop', 'withings', 'apple_health', 'garmin', 'fitbit', 'csv'],
  heart: ['apple_health', 'oura', 'whoop', 'garmin', 'fitbit', 'withings', 'strava', 'csv'],
  body: ['withings', 'apple_health', 'garmin', 'fitbit', 'cronometer', 'myfitnesspal', 'whoop', 'csv'],
  vitals: ['withings', 'apple_health', 'oura', 'whoop', 'garmin', 'fitbit', 'csv'],
  nutrition: ['cronometer', 'myfitnesspal', 'apple_health', 'csv'],
  workouts: ['strava', 'apple_health', 'garmin', 'whoop', 'oura', 'withings', 'fitbit', 'cronometer', 'myfitnesspal'],
  recovery: ['oura', 'whoop', 'withings'],
};

export function defaultPreference(category: CategoryId): CategoryPreference {
  const sources = DEFAULT_ORDER[category].filter((id) => sourceSuppliesCategory(getSource(id)!, category));
  // Any catalog source that supplies the category but is missing from the order goes last.
  for (const s of SOURCES) if (!sources.includes(s.id) && sourceSuppliesCategory(s, category)) sources.push(s.id);
  return { category, sources, fillGaps: true, overrides: {} };
}

/** Checks a priority list against the catalog; throws INVALID_INPUT naming the offending source. */
function validateSources(keys: string[], category: CategoryId, metric?: string): void {
  const seen = new Set<string>();
  for (const key of keys) {
    const parsed = parseSourceKey(key);
    if (!parsed) {
      throw invalidInput(
        `"${key}" is not a source VitalSync knows. Use a source id (${SOURCES.map((s) => s.id).join(', ')}) or <source>:<origin>.`,
      );
    }
    const source = getSource(parsed.source)!;
    const where = metric ? `${getMetric(metric)?.label ?? metric}` : CATEGORY_LABELS[category];
    const supplies = metric ? source.metrics.includes(metric as never) : sourceSuppliesCategory(source, category);
    if (!supplies) {
      throw invalidInput(`${source.name} (${source.id}) cannot supply ${where} (${metric ?? category}); choose a source that records it.`);
    }
    if (seen.has(key)) throw invalidInput(`"${key}" appears twice in the ${where} list; list each source once.`);
    seen.add(key);
  }
}

function validateOverrides(category: CategoryId, overrides: CategoryPreference['overrides']): void {
  for (const [metric, list] of Object.entries(overrides)) {
    const def = getMetric(metric);
    if (!def || def.category !== category) {
      throw invalidInput(`"${metric}" is not a metric of ${CATEGORY_LABELS[category]}; overrides must name one of its metrics.`);
    }
    validateSources(list.sources, category, metric);
  }
}

export class Preferences {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** Every category, stored values where set, defaults elsewhere, in catalog order. */
  getAll(): CategoryPreference[] {
    const rows = this.db.select().from(preferences).all();
    const byCategory = new Map(rows.map((r) => [r.category, r]));
    return CATEGORY_IDS.map((category) => {
      const row = byCategory.get(category);
      if (!row) return defaultPreference(category);
      return {
        category,
        sources: JSON.parse(row.sourcesJson) as string[],
        fillGaps: row.fillGaps,
        overrides: JSON.parse(row.overridesJson) as CategoryPreference['overrides'],
      };
    });
  }

  get(category: CategoryId): CategoryPreference {
    return this.getAll().find((p) => p.category === category)!;
  }

  /** Replaces what is given (sources, fill-gaps, overrides) for one category, after validation. */
  set(input: { category: CategoryId; sources?: string[]; fillGaps?: boolean; overrides?: CategoryPreference['overrides'] }): CategoryPreference {
    const current = this.get(input.category);
    const next: CategoryPreference = {
      category: input.category,
      sources: input.sources ?? current.sources,
      fillGaps: input.fillGaps ?? current.fillGaps,
      overrides: input.overrides ?? current.overrides,
    };
    validateSources(next.sources, next.category);
    validateOverrides(next.category, next.overrides);
    const row = {
      category: next.category,
      sourcesJson: JSON.stringify(next.sources),
      fillGaps: next.fillGaps,
      overridesJson: JSON.stringify(next.overrides),
      updatedAt: this.now(),
    };
    this.db
      .insert(preferences)
      .values(row)
      .onConflictDoUpdate({ target: preferences.category, set: row })
      .run();
    return next;
  }

  reset(category?: CategoryId): CategoryPreference[] {
    if (category) this.db.delete(preferences).where(eq(preferences.category, category)).run();
    else this.db.delete(preferences).run();
    return this.getAll();
  }
}
