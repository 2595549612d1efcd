// MyFitnessPal's "File Export" (format.ts says what it holds and where that is established): the
// zip, its folder, or any one of its CSVs. Meals are summed into each date's totals, exercise
// entries become workouts on their date, weights are readings of their date in the account's unit.
import type { ImportInput, Importer, InputEntry, RecordSink } from '../importer';
import { ImportInputError } from '../apple-health/parser';
import { convertUnit } from '../../../../shared/units';
import { getMetric } from '../../../../shared/catalog';
import { parseDateTime } from '../csv/dates';
import { isMissing, parseNumber } from '../csv/numbers';
import { csvHead, looksLikeCsv, readCsv } from '../csv/read';
import { placeDateSession, placeLocal } from '../place';
import { exerciseName, exerciseWeightUnit, isCalorieAdjustment, mfpFileOf, nutrientColumn, type MfpFile, type NutrientColumn } from './format';

export const MFP_ORIGIN = { name: 'MyFitnessPal', deviceKind: 'app' } as const;

/** A day's rows start with a date: a line that does not continues the Note of the row before. */
const startsWithDate = (cells: string[]) => /^\d{4}-\d{2}-\d{2}$/.test((cells[0] ?? '').trim());

/**
 * The header row of an entry that reads as a CSV, else null. In a folder or zip only `.csv`
 * entries are opened (an Apple Health zip holds thousands of GPX files, and a damaged or
 * bomb-like entry must stay the business of the importer it belongs to); a file given alone is
 * read whatever its name. An entry that cannot be read is not this export's.
 */
export async function csvHeaderOf(input: ImportInput, entry: InputEntry): Promise<string[] | null> {
  if (input.kind !== 'file' && !/\.csv$/i.test(entry.path)) return null;
  try {
    if (!looksLikeCsv(await entry.head())) return null;
    return (await csvHead(entry.stream(), 0)).header;
  } catch {
    return null;
  }
}

/** The export's CSVs, each with what it is and its header. */
async function findFiles(input: ImportInput): Promise<{ entry: InputEntry; file: MfpFile; header: string[] }[]> {
  const found: { entry: InputEntry; file: MfpFile; header: string[] }[] = [];
  for (const entry of input.entries) {
    const header = await csvHeaderOf(input, entry);
    const file = header && mfpFileOf(header);
    if (header && file) found.push({ entry, file, header });
  }
  // "Date,Weight" alone is what any weight spreadsheet looks like: a Measurement-Summary is taken
  // for MyFitnessPal's only beside another of its files, or under its own name.
  if (!found.some((f) => f.file !== 'Measurement-Summary')) return found.filter((f) => /Measurement-Summary/i.test(f.entry.path));
  return found;
}

/** The unit of the Measurement-Summary's weights: the Exercise-Summary's column says the account's; else the person's choice. */
function weightUnitOf(files: { file: MfpFile; header: string[] }[], chosen: 'kg' | 'lb' | null): 'kg' | 'lb' | null {
  for (const f of files) if (f.file === 'Exercise-Summary' && exerciseWeightUnit(f.header)) return exerciseWeightUnit(f.header);
  return chosen;
}

const NEEDS_UNIT =
  'MyFitnessPal writes weights without their unit, and this export has no Exercise-Summary to tell it. Choose the unit your ' +
  'MyFitnessPal account uses (kg or lb) on the Imports page, or run the import again with --weight-unit kg (or lb).';

export const myFitnessPalImporter: Importer = {
  id: 'myfitnesspal',
  label: 'MyFitnessPal',
  source: 'myfitnesspal',
  async sniff(input) {
    const files = await findFiles(input);
    if (!files.length) return null;
    const what = { 'Nutrition-Summary': 'nutrition', 'Exercise-Summary': 'exercise', 'Measurement-Summary': 'weight' };
    return {
      importer: 'myfitnesspal',
      entries: files.map((f) => ({ path: f.entry.path, kind: f.file })),
      description: `MyFitnessPal export: ${[...new Set(files.map((f) => what[f.file]))].join(', ')}`,
    };
  },
  async needs(input, recognition) {
    const wanted = new Set(recognition.entries.map((e) => e.path));
    const files = (await findFiles(input)).filter((f) => wanted.has(f.entry.path));
    return files.some((f) => f.file === 'Measurement-Summary') && !weightUnitOf(files, null) ? ['weightUnit'] : [];
  },
  async run(input, recognition, sink) {
    const wanted = new Set(recognition.entries.map((e) => e.path));
    const files = (await findFiles(input)).filter((f) => wanted.has(f.entry.path));
    const unit = weightUnitOf(files, sink.choices.weightUnit);
    if (files.some((f) => f.file === 'Measurement-Summary')) {
      if (!unit) throw new ImportInputError(NEEDS_UNIT);
      if (sink.choices.weightUnit && sink.choices.weightUnit !== unit) {
        sink.warn(`The export's Exercise-Summary says the account weighs in ${unit}; its weights were read in ${unit}, not in the ${sink.choices.weightUnit} chosen.`);
      }
    }
    for (const f of files) {
      if (sink.cancelled) return;
      if (f.file === 'Nutrition-Summary') await readNutrition(f.entry, sink);
      else if (f.file === 'Exercise-Summary') await readExercise(f.entry, sink);
      else await readMeasurements(f.entry, unit!, sink);
    }
  },
};

/** The date of a row (year-month-day), or null after reporting it. */
function rowDay(cells: string[], at: number, row: number, entry: string, sink: RecordSink, file: MfpFile): number | null {
  const text = cells[at] ?? '';
  const t = parseDateTime(text, 'iso');
  if (t && t.msOfDay === null) return t.day;
  sink.reject(`${file}: no readable date`, { entry, row, column: 'Date', detail: isMissing(text) ? 'no date' : `"${text.slice(0, 40)}" is not a date written as year-month-day` });
  return null;
}

/**
 * Nutrition-Summary: the meals of each date summed into that date's totals, one sample per
 * nutrient and date (`day` set). Kept in memory (dates × nutrients is small) and written at the
 * end: a later export of a longer range then replaces a date's totals (samples' day rule), never
 * adds to them. A cell that is not a number leaves its nutrient out of that date's total (a total
 * missing a meal would replace a right one).
 */
async function readNutrition(entry: InputEntry, sink: RecordSink): Promise<void> {
  let columns: (NutrientColumn | null)[] = [];
  let dateAt = 0;
  const totals = new Map<number, Map<number, number>>();
  const spoilt = new Set<string>();
  let n = 0;
  for await (const rec of readCsv(entry.stream(), { recordStart: startsWithDate })) {
    if (sink.cancelled) return;
    if (rec.row === 1) {
      const header = rec.cells.map((c) => c.trim());
      columns = header.map(nutrientColumn);
      dateAt = header.indexOf('Date');
      continue;
    }
    sink.read('Nutrition-Summary meal');
    const day = rowDay(rec.cells, dateAt, rec.row, entry.path, sink, 'Nutrition-Summary');
    if (day === null) continue;
    let sums = totals.get(day);
    if (!sums) totals.set(day, (sums = new Map()));
    columns.forEach((c, i) => {
      if (!c) return;
      const v = parseNumber(rec.cells[i] ?? '');
      if (v === null) return;
      if (Number.isNaN(v) || v < 0) {
        spoilt.add(`${day}:${i}`);
        sink.reject(`Nutrition-Summary: ${c.rawType} not a number`, { entry: entry.path, row: rec.row, column: c.rawType, detail: `"${(rec.cells[i] ?? '').slice(0, 40)}" is not an amount; this date's ${c.rawType} total is left out` });
        return;
      }
      sums.set(i, (sums.get(i) ?? 0) + v);
    });
    if (++n % 512 === 0) await sink.pace();
  }
  for (const [day, sums] of totals) {
    const placed = placeLocal({ day, msOfDay: null, offsetMin: null }, sink.choices);
    if (!placed) throw new ImportInputError(`The time zone "${sink.choices.zone}" is unknown: choose another on the Imports page.`);
    for (const [i, sum] of sums) {
      if (spoilt.has(`${day}:${i}`)) continue;
      const c = columns[i]!;
      // Sums of one-decimal amounts: rounded to 3 decimals so 518.0 + 561.0 + 489.0 + 628.8 is 2196.8, not 2196.7999….
      const value = Math.round(sum * 1000) / 1000;
      sink.sample({ rawType: `nutrition:${c.rawType}`, metric: c.metric, unit: c.unit, origin: MFP_ORIGIN, ...placed, value });
    }
    await sink.pace();
  }
  sink.note('dates of meals summed into daily totals', totals.size);
}

interface ExerciseDay {
  day: number;
  name: string;
  type: string;
  entries: number;
  minutes: number;
  kcal: number | null;
  sets: number | null;
  reps: number | null;
  weightKg: number | null;
  steps: number | null;
}

/**
 * Exercise-Summary: each exercise of a date becomes one workout spanning that date (no time of
 * day is given; place.ts placeDateSession says why that never double counts a device's session).
 * Entries of the same exercise on one date are one workout with their minutes, calories, sets,
 * reps and steps summed: they cannot be told apart by time, and the workouts' natural key (origin,
 * activity, start, end) would keep only the first.
 */
async function readExercise(entry: InputEntry, sink: RecordSink): Promise<void> {
  let col: Record<string, number> = {};
  let unit: 'kg' | 'lb' | null = null;
  const days = new Map<string, ExerciseDay>();
  let adjustments = 0;
  let n = 0;
  for await (const rec of readCsv(entry.stream(), { recordStart: startsWithDate })) {
    if (sink.cancelled) return;
    if (rec.row === 1) {
      const header = rec.cells.map((c) => c.trim());
      col = Object.fromEntries(header.map((h, i) => [h, i]));
      unit = exerciseWeightUnit(header);
      continue;
    }
    sink.read('Exercise-Summary entry');
    const day = rowDay(rec.cells, col.Date, rec.row, entry.path, sink, 'Exercise-Summary');
    if (day === null) continue;
    const name = exerciseName(rec.cells[col.Exercise] ?? '');
    if (!name) {
      sink.reject('Exercise-Summary: no exercise name', { entry: entry.path, row: rec.row, column: 'Exercise', detail: 'no exercise name' });
      continue;
    }
    if (isCalorieAdjustment(name)) {
      adjustments++;
      continue;
    }
    const num = (column: string): number | null | 'bad' => {
      const at = col[column];
      if (at === undefined) return null;
      const v = parseNumber(rec.cells[at] ?? '');
      if (v !== null && (Number.isNaN(v) || v < 0)) {
        sink.reject(`Exercise-Summary: ${column} not a number`, { entry: entry.path, row: rec.row, column, detail: `"${(rec.cells[at] ?? '').slice(0, 40)}" is not a number` });
        return 'bad';
      }
      return v;
    };
    const values = { minutes: num('Exercise Minutes'), kcal: num('Exercise Calories'), sets: num('Sets'), reps: num('Reps Per Set'), weight: unit ? num(unit === 'kg' ? 'Kilograms' : 'Pounds') : null, steps: num('Steps') };
    // An unreadable cell is reported and left out; the workout stays unless its minutes are
    // what cannot be read (a session with no duration says nothing).
    if (values.minutes === 'bad') continue;
    const v = Object.fromEntries(Object.entries(values).map(([k, x]) => [k, x === 'bad' ? null : x])) as Record<keyof typeof values, number | null>;
    const key = `${day}|${name}`;
    const d = days.get(key) ?? { day, name, type: (rec.cells[col.Type] ?? '').trim(), entries: 0, minutes: 0, kcal: null, sets: null, reps: null, weightKg: null, steps: null };
    const add = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);
    d.entries++;
    d.minutes += v.minutes ?? 0;
    d.kcal = add(d.kcal, v.kcal);
    d.sets = add(d.sets, v.sets);
    // Total repetitions: sets × reps per set (a set count alone says one set).
    d.reps = add(d.reps, v.reps === null ? null : v.reps * (v.sets ?? 1));
    const kg = v.weight === null || v.weight === 0 ? null : convertUnit(v.weight, unit!, 'kg');
    if (kg !== null) d.weightKg = Math.max(d.weightKg ?? 0, Math.round(kg * 100) / 100);
    d.steps = add(d.steps, v.steps);
    days.set(key, d);
    if (++n % 512 === 0) await sink.pace();
  }
  for (const d of days.values()) {
    const placed = placeDateSession(d.day, sink.choices);
    if (!placed) throw new ImportInputError(`The time zone "${sink.choices.zone}" is unknown: choose another on the Imports page.`);
    sink.workout({
      origin: MFP_ORIGIN,
      activityType: d.name,
      ...placed,
      durationS: Math.round(d.minutes * 60),
      distanceKm: null,
      energyKcal: d.kcal,
      avgHeartRate: null,
      maxHeartRate: null,
      details: { type: d.type, entries: d.entries, sets: d.sets, reps: d.reps, weightKg: d.weightKg, steps: d.steps, timeOfDay: 'unknown (date only)' },
    });
  }
  if (adjustments) sink.note('calorie adjustments from a linked tracker skipped (not workouts)', adjustments);
}

/**
 * Measurement-Summary: each date's weight in the account's `unit`, as that date's reading (`day`
 * set: a later export's value for the date replaces it). A "Body Fat" column is a percentage;
 * other measurements (waist, neck, the person's own) have no stated unit and are kept raw.
 */
async function readMeasurements(entry: InputEntry, unit: 'kg' | 'lb', sink: RecordSink): Promise<void> {
  let header: string[] = [];
  let n = 0;
  for await (const rec of readCsv(entry.stream())) {
    if (sink.cancelled) return;
    if (rec.row === 1) {
      header = rec.cells.map((c) => c.trim());
      continue;
    }
    sink.read('Measurement-Summary row');
    const day = rowDay(rec.cells, header.indexOf('Date'), rec.row, entry.path, sink, 'Measurement-Summary');
    if (day === null) continue;
    const placed = placeLocal({ day, msOfDay: null, offsetMin: null }, sink.choices);
    if (!placed) throw new ImportInputError(`The time zone "${sink.choices.zone}" is unknown: choose another on the Imports page.`);
    header.forEach((h, i) => {
      if (h === 'Date' || !h) return;
      const v = parseNumber(rec.cells[i] ?? '');
      if (v === null) return;
      if (Number.isNaN(v)) {
        sink.reject(`Measurement-Summary: ${h} not a number`, { entry: entry.path, row: rec.row, column: h, detail: `"${(rec.cells[i] ?? '').slice(0, 40)}" is not a number` });
        return;
      }
      const [metric, from] = h === 'Weight' ? (['weight', unit] as const) : /^body ?fat( ?%)?$/i.test(h) ? (['body_fat', '%'] as const) : [null, ''];
      if (!metric) return sink.sample({ rawType: `measurement:${h}`, metric: null, unit: '', origin: MFP_ORIGIN, ...placed, value: v });
      const canonical = getMetric(metric)!.unit;
      sink.sample({ rawType: `measurement:${h}`, metric, unit: canonical, origin: MFP_ORIGIN, ...placed, value: Math.round(convertUnit(v, from, canonical)! * 10000) / 10000 });
    });
    if (++n % 512 === 0) await sink.pace();
  }
}
