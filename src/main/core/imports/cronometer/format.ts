// Cronometer's exports (web: More → Account → Export Data; each a CSV): dailysummary, servings,
// exercises, biometrics, notes. Column names are those of jrmycanady/gocronometer's parse.go
// (ParseServingsExport, ParseExerciseExport, ParseBiometricRecordsExport: it finds columns by
// name, not position, so the order is not relied on here either) and of the export's users
// (milldr/crono, jonh-a/cronometer-analysis: "Energy (kcal)", "Protein (g)", "Carbs (g)", "Fat (g)",
// dailysummary's "Date" and "Completed"); ../shared/corpus/providers/cronometer holds the headers.
// - dailysummary: Date, one column per nutrient with its unit in the name, Completed. A row is a date's totals.
// - servings: Day, Time, Group, Food Name, Amount, the same nutrient columns, Category. A row is a food.
// - exercises: Day, Time, Group, Exercise, Minutes, Calories Burned.
// - biometrics: Day, Time, Group, Metric, Unit, Amount (long: one row per reading; blood pressure as "120/80").
// - notes: Day, Time, Group, Note (the note unquoted, possibly over several lines).
// Days are year-month-day; times "07:30 AM" or empty; no zone.
import type { MetricId } from '../../../../shared/catalog';
import { unitSpelling } from '../../../../shared/units';

export type CronometerFile = 'dailysummary' | 'servings' | 'exercises' | 'biometrics' | 'notes';

/** Which export a header row is, from its column names in any order; null for none. */
export function cronometerFileOf(header: readonly string[]): CronometerFile | null {
  const has = (...names: string[]) => names.every((n) => header.includes(n));
  if (has('Day', 'Food Name', 'Energy (kcal)')) return 'servings';
  if (has('Date', 'Energy (kcal)') && !header.includes('Meal')) return 'dailysummary';
  if (has('Day', 'Exercise', 'Minutes', 'Calories Burned')) return 'exercises';
  if (has('Day', 'Metric', 'Unit', 'Amount')) return 'biometrics';
  if (has('Day', 'Note') && header.length <= 5 && header.every((h) => ['Day', 'Time', 'Group', 'Note', ''].includes(h))) return 'notes';
  return null;
}

export interface NutrientColumn {
  /** samples' raw type, shared by dailysummary and servings so a date's total from one replaces the other's. */
  rawType: string;
  metric: MetricId | null;
  /** The unit of the values as written ('kcal', 'g', 'mg', 'mcg', 'IU'). */
  unit: string;
}

/** Nutrient names (the column's name before its unit) VitalSync charts. */
const METRICS: Record<string, MetricId> = {
  Energy: 'dietary_energy',
  Protein: 'protein',
  Carbs: 'carbohydrates',
  Fat: 'fat',
  Fiber: 'fiber',
  Sugars: 'sugar',
  Sodium: 'sodium',
  Water: 'water',
  Caffeine: 'caffeine',
};

/** Columns of dailysummary and servings that are not nutrients. */
const NOT_NUTRIENTS = new Set(['Date', 'Day', 'Time', 'Group', 'Food Name', 'Amount', 'Category', 'Completed']);

/**
 * A nutrient column ("Energy (kcal)", "B12 (Cobalamin) (µg)": the unit is the last parenthesis),
 * or null for the other columns and for names without a unit.
 */
export function nutrientColumn(header: string): NutrientColumn | null {
  const name = header.trim();
  if (NOT_NUTRIENTS.has(name)) return null;
  const m = /^(.*?)\s*\(([^()]+)\)$/.exec(name);
  if (!m) return null;
  return { rawType: name, metric: METRICS[m[1]] ?? null, unit: unitSpelling(m[2]) };
}

/** A biometric's canonical metric from Cronometer's name for it; 'bp' for a "120/80" blood pressure; null to keep it raw. */
export function biometricMetric(name: string): MetricId | 'bp' | null {
  const n = name.trim().toLowerCase();
  if (/systolic/.test(n)) return 'blood_pressure_systolic';
  if (/diastolic/.test(n)) return 'blood_pressure_diastolic';
  if (/^blood pressure$/.test(n)) return 'bp';
  if (/^(body )?weight$/.test(n)) return 'weight';
  if (/^body fat( %| percentage)?$/.test(n)) return 'body_fat';
  if (/^resting (heart rate|hr)$/.test(n)) return 'resting_heart_rate';
  if (/^(heart rate|pulse)$/.test(n)) return 'heart_rate';
  if (/^(blood )?glucose$/.test(n)) return 'blood_glucose';
  if (/^(body )?temperature$/.test(n)) return 'body_temperature';
  if (/^(oxygen saturation|blood oxygen|spo2)$/.test(n)) return 'spo2';
  if (/^height$/.test(n)) return 'height';
  return null;
}

/** "120/80" (a blood pressure in one cell) as [systolic, diastolic], or null. */
export function splitBloodPressure(text: string): [number, number] | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : null;
}
