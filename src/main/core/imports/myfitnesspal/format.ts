// MyFitnessPal's Premium "File Export" (Settings → Export data → a zip of three CSVs), as real
// exports show it (../shared/corpus/providers/myfitnesspal: marcus-furius/health-intel 2024–2026,
// kari0219/health_stats 2019 with "Pounds", mtmk/mfp_nut_csv_parser 2018 with a Time column):
// - Nutrition-Summary: Date, Meal, [Time,] Calories, Fat (g), Saturated Fat, Polyunsaturated Fat,
//   Monounsaturated Fat, Trans Fat, Cholesterol, Sodium (mg), Potassium, Carbohydrates (g), Fiber,
//   Sugar, Protein (g), Vitamin A, Vitamin C, Calcium, Iron, [Note]. One row per meal (or per
//   logged time) per date; a meal's name is the person's own ("Snack (1)", "Preworkout/Workout").
//   The Note is the day's note, repeated on every row, unquoted and over several lines.
// - Exercise-Summary: Date, Exercise, Type, Exercise Calories, Exercise Minutes, Sets, Reps Per Set,
//   Kilograms|Pounds, Steps, Note. Names with a comma come as `"""Walking, 3.5 mph"""` (the quotes
//   are part of the text), and strength training is often logged as Cardio.
// - Measurement-Summary: Date, Weight, [other measurements]. No unit anywhere: the account's.
// Dates are year-month-day, with no time and no zone.
import type { MetricId } from '../../../../shared/catalog';
import { unitSpelling } from '../../../../shared/units';

export type MfpFile = 'Nutrition-Summary' | 'Exercise-Summary' | 'Measurement-Summary';

/** Which of the three files a header row is, from its column names (never the file name); null for none. */
export function mfpFileOf(header: readonly string[]): MfpFile | null {
  const has = (name: string) => header.includes(name);
  if (header[0] !== 'Date') return null;
  if (has('Meal') && has('Calories') && (has('Fat (g)') || has('Protein (g)') || has('Carbohydrates (g)'))) return 'Nutrition-Summary';
  if (has('Exercise') && has('Exercise Calories') && has('Exercise Minutes')) return 'Exercise-Summary';
  // Weight with no unit in its name, and no column naming a unit: a "Date,Weight (kg)" spreadsheet is not this.
  if (has('Weight') && !header.some((h) => /\(.+\)/.test(h) || /^(time|unit|units)$/i.test(h))) return 'Measurement-Summary';
  return null;
}

/** The unit the Exercise-Summary writes strength weights in: its `Kilograms` or `Pounds` column (the account's unit). */
export function exerciseWeightUnit(header: readonly string[]): 'kg' | 'lb' | null {
  if (header.includes('Kilograms')) return 'kg';
  if (header.includes('Pounds')) return 'lb';
  return null;
}

export interface NutrientColumn {
  /** samples' raw type: the column as MyFitnessPal names it. */
  rawType: string;
  metric: MetricId | null;
  /** The unit of the column's values (the metric's canonical unit when mapped). */
  unit: string;
}

// Columns without a unit in their name, and their units as MyFitnessPal's food diary shows them:
// fats and carbohydrate parts in g, cholesterol and potassium in mg; vitamin A, vitamin C, calcium
// and iron as a percentage of the daily value (issue #10; MyFitnessPal's nutrition panel).
const UNITLESS: Record<string, { metric: MetricId | null; unit: string }> = {
  Calories: { metric: 'dietary_energy', unit: 'kcal' },
  'Saturated Fat': { metric: null, unit: 'g' },
  'Polyunsaturated Fat': { metric: null, unit: 'g' },
  'Monounsaturated Fat': { metric: null, unit: 'g' },
  'Trans Fat': { metric: null, unit: 'g' },
  Cholesterol: { metric: null, unit: 'mg' },
  Potassium: { metric: null, unit: 'mg' },
  Fiber: { metric: 'fiber', unit: 'g' },
  Sugar: { metric: 'sugar', unit: 'g' },
  'Vitamin A': { metric: null, unit: '%DV' },
  'Vitamin C': { metric: null, unit: '%DV' },
  Calcium: { metric: null, unit: '%DV' },
  Iron: { metric: null, unit: '%DV' },
};

const WITH_UNIT: Record<string, MetricId> = { Fat: 'fat', Sodium: 'sodium', Carbohydrates: 'carbohydrates', Protein: 'protein' };

/** Columns of the Nutrition-Summary that are not nutrients. */
const NOT_NUTRIENTS = new Set(['Date', 'Meal', 'Time', 'Note']);

/**
 * What a Nutrition-Summary column holds: a canonical metric in its unit, or a nutrient kept raw in
 * the unit it is written in (`Cholesterol` mg, `Vitamin A` %DV, an unknown `Zinc (mg)` mg, an
 * unknown column without a unit ''). null for the columns that are not nutrients.
 */
export function nutrientColumn(header: string): NutrientColumn | null {
  const name = header.trim();
  if (NOT_NUTRIENTS.has(name) || !name) return null;
  const known = UNITLESS[name];
  if (known) return { rawType: name, ...known };
  const m = /^(.*?)\s*\(([^)]+)\)$/.exec(name);
  if (m) return { rawType: name, metric: WITH_UNIT[m[1]] ?? null, unit: unitSpelling(m[2]) };
  return { rawType: name, metric: null, unit: '' };
}

/**
 * An exercise's name as the person saw it: MyFitnessPal writes names that hold a comma with their
 * quotes doubled inside the quoting (`"""Walking, 3.5 mph"""`), so the read cell keeps a pair of
 * literal quotes around the name.
 */
export function exerciseName(cell: string): string {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/**
 * Entries MyFitnessPal adds itself from a linked tracker ("Health Connect calorie adjustment",
 * "Fitbit calorie adjustment"): the tracker's steps turned into extra calories, one a day with a
 * nominal minute (corpus: 1 minute, 9,840 steps). They are no workout.
 */
export function isCalorieAdjustment(name: string): boolean {
  return /calorie adjustment$/i.test(name.trim());
}
