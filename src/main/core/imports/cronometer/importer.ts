// Cronometer's exports (format.ts says what each holds and where that is established), given as
// a folder, a zip or one file. Daily summaries are each date's nutrition totals; servings are
// summed into the same totals only when no daily summary comes with them; exercises are workouts;
// biometrics are readings; notes are read and counted (VitalSync has nowhere to keep them yet).
import { getMetric } from '../../../../shared/catalog';
import { convertUnit, unitSpelling } from '../../../../shared/units';
import { ImportInputError } from '../apple-health/parser';
import { parseDateTime, parseTimeOfDay, type LocalDateTime } from '../csv/dates';
import { isMissing, parseNumber } from '../csv/numbers';
import { readCsv, type CsvRecord } from '../csv/read';
import type { ImportInput, Importer, InputEntry, RecordSink } from '../importer';
import { csvHeaderOf } from '../myfitnesspal/importer';
import { placeDateSession, placeLocal } from '../place';
import { biometricMetric, cronometerFileOf, nutrientColumn, splitBloodPressure, type CronometerFile, type NutrientColumn } from './format';

export const CRONOMETER_ORIGIN = { name: 'Cronometer', deviceKind: 'app' } as const;

/** A record starts with its day: a line that does not continues the note before it. */
const startsWithDay = (cells: string[]) => /^\d{4}-\d{2}-\d{2}$/.test((cells[0] ?? '').trim());

async function findFiles(input: ImportInput): Promise<{ entry: InputEntry; file: CronometerFile }[]> {
  const found: { entry: InputEntry; file: CronometerFile }[] = [];
  for (const entry of input.entries) {
    const header = await csvHeaderOf(input, entry);
    const file = header && cronometerFileOf(header);
    if (file) found.push({ entry, file });
  }
  return found;
}

const WHAT: Record<CronometerFile, string> = { dailysummary: 'daily nutrition', servings: 'foods', exercises: 'exercises', biometrics: 'biometrics', notes: 'notes' };
const unknownZone = (zone: string) => new ImportInputError(`The time zone "${zone}" is unknown: choose another on the Imports page.`);
const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

export const cronometerImporter: Importer = {
  id: 'cronometer',
  label: 'Cronometer',
  source: 'cronometer',
  async sniff(input) {
    const files = await findFiles(input);
    if (!files.length) return null;
    return {
      importer: 'cronometer',
      entries: files.map((f) => ({ path: f.entry.path, kind: f.file })),
      description: `Cronometer export: ${[...new Set(files.map((f) => WHAT[f.file]))].join(', ')}`,
    };
  },
  async run(input, recognition, sink) {
    const kinds = new Map(recognition.entries.map((e) => [e.path, e.kind as CronometerFile]));
    const files = input.entries.filter((e) => kinds.has(e.path)).map((entry) => ({ entry, file: kinds.get(entry.path)! }));
    // The daily summary holds the same totals the servings add up to: summing both would count every food twice.
    const hasDaily = files.some((f) => f.file === 'dailysummary');
    for (const { entry, file } of files) {
      if (sink.cancelled) return;
      if (file === 'dailysummary' || (file === 'servings' && !hasDaily)) await readNutrition(entry, file, sink);
      else if (file === 'servings') sink.note('servings files not summed (the daily summary beside them has the same totals)');
      else if (file === 'exercises') await readExercises(entry, sink);
      else if (file === 'biometrics') await readBiometrics(entry, sink);
      else await readNotes(entry, sink);
    }
  },
};

/** Reads a file's records with its header as a name → index map. */
async function* records(entry: InputEntry, sink: RecordSink, recordStart?: (cells: string[]) => boolean): AsyncGenerator<{ rec: CsvRecord; col: Map<string, number> }> {
  let col = new Map<string, number>();
  let n = 0;
  for await (const rec of readCsv(entry.stream(), { recordStart })) {
    if (sink.cancelled) return;
    if (rec.row === 1) {
      col = new Map(rec.cells.map((c, i) => [c.trim(), i]));
      continue;
    }
    yield { rec, col };
    if (++n % 512 === 0) await sink.pace();
  }
}

/** A record's day and time (Time may be absent or empty), or null after reporting it. */
function when(rec: CsvRecord, col: Map<string, number>, dayColumn: 'Day' | 'Date', entry: string, sink: RecordSink, file: CronometerFile, withTime = true): LocalDateTime | null {
  const text = rec.cells[col.get(dayColumn) ?? -1] ?? '';
  const t = parseDateTime(text, 'iso');
  if (!t || t.msOfDay !== null) {
    sink.reject(`${file}: no readable day`, { entry, row: rec.row, column: dayColumn, detail: isMissing(text) ? 'no date' : `"${clip(text)}" is not a date written as year-month-day` });
    return null;
  }
  const timeText = rec.cells[col.get('Time') ?? -1] ?? '';
  if (!withTime || isMissing(timeText)) return t;
  const ms = parseTimeOfDay(timeText);
  if (ms === null) {
    sink.reject(`${file}: no readable time`, { entry, row: rec.row, column: 'Time', detail: `"${clip(timeText)}" is not a time of day` });
    return null;
  }
  return { ...t, msOfDay: ms };
}

/** A nutrient's amount in its sample unit: the metric's canonical unit when mapped (water: 1 g is 1 mL), else as written. */
function nutrientValue(c: NutrientColumn, v: number): { unit: string; value: number } | null {
  if (!c.metric) return { unit: c.unit, value: v };
  const canonical = getMetric(c.metric)!.unit;
  const value = c.metric === 'water' && c.unit === 'g' ? v : convertUnit(v, c.unit, canonical);
  return value === null ? null : { unit: canonical, value: Math.round(value * 1000) / 1000 };
}

/**
 * dailysummary (a row is a date's totals) or servings (summed per day): samples of a date's
 * totals (`day` set) under the same raw types, so a daily summary imported later replaces totals
 * summed from servings. A cell that is not a number is reported; in servings it leaves that
 * nutrient out of its date (a total missing a food would replace a right one).
 */
async function readNutrition(entry: InputEntry, file: 'dailysummary' | 'servings', sink: RecordSink): Promise<void> {
  const totals = new Map<number, Map<string, number>>();
  const spoilt = new Set<string>();
  const columns = new Map<string, NutrientColumn>();
  for await (const { rec, col } of records(entry, sink)) {
    if (!columns.size) {
      for (const name of col.keys()) {
        const c = nutrientColumn(name);
        if (c) columns.set(name, c);
      }
    }
    sink.read(file === 'dailysummary' ? 'dailysummary day' : 'servings food');
    // A food's time does not matter to its date's total.
    const t = when(rec, col, file === 'dailysummary' ? 'Date' : 'Day', entry.path, sink, file, false);
    if (!t) continue;
    let sums = totals.get(t.day);
    if (!sums) totals.set(t.day, (sums = new Map()));
    for (const name of columns.keys()) {
      const text = rec.cells[col.get(name)!] ?? '';
      const v = parseNumber(text);
      if (v === null) continue;
      if (Number.isNaN(v) || v < 0) {
        spoilt.add(`${t.day}:${name}`);
        sink.reject(`${file}: ${name} not a number`, { entry: entry.path, row: rec.row, column: name, detail: `"${clip(text)}" is not an amount${file === 'servings' ? `; this date's ${name} total is left out` : ''}` });
        continue;
      }
      sums.set(name, (sums.get(name) ?? 0) + v);
    }
  }
  for (const [day, sums] of totals) {
    const placed = placeLocal({ day, msOfDay: null, offsetMin: null }, sink.choices);
    if (!placed) throw unknownZone(sink.choices.zone);
    for (const [name, sum] of sums) {
      if (spoilt.has(`${day}:${name}`)) continue;
      const c = columns.get(name)!;
      const v = nutrientValue(c, sum);
      if (!v) {
        sink.reject(`${file}: ${name} in a unit VitalSync cannot convert`, { entry: entry.path, column: name, detail: `"${c.unit}" is not a unit of ${getMetric(c.metric!)!.label}` });
        continue;
      }
      sink.sample({ rawType: `nutrition:${c.rawType}`, metric: c.metric, ...v, origin: CRONOMETER_ORIGIN, ...placed });
    }
    await sink.pace();
  }
  if (file === 'servings') sink.note('dates of foods summed into daily totals', totals.size);
}

/**
 * exercises: one workout per entry, starting at its Time and lasting its Minutes; an entry with
 * no time spans its date (place.ts placeDateSession: a device's session of the same activity
 * that date is then the same workout, never a second one). Entries of the same exercise at the
 * same time on one date are one workout, their minutes and calories summed (the workouts'
 * natural key would keep only the first). Cronometer's diary shows exercise energy as negative
 * calories; a negative Calories Burned is read as its magnitude.
 */
async function readExercises(entry: InputEntry, sink: RecordSink): Promise<void> {
  const sessions = new Map<string, { t: LocalDateTime; name: string; group: string; minutes: number; kcal: number | null; entries: number }>();
  for await (const { rec, col } of records(entry, sink)) {
    sink.read('exercises entry');
    const t = when(rec, col, 'Day', entry.path, sink, 'exercises');
    if (!t) continue;
    const name = (rec.cells[col.get('Exercise')!] ?? '').trim();
    if (!name) {
      sink.reject('exercises: no exercise name', { entry: entry.path, row: rec.row, column: 'Exercise', detail: 'no exercise name' });
      continue;
    }
    const num = (column: string) => {
      const text = rec.cells[col.get(column) ?? -1] ?? '';
      const v = parseNumber(text);
      if (v !== null && Number.isNaN(v)) sink.reject(`exercises: ${column} not a number`, { entry: entry.path, row: rec.row, column, detail: `"${clip(text)}" is not a number` });
      return v;
    };
    const minutes = num('Minutes');
    const kcal = num('Calories Burned');
    if (Number.isNaN(minutes) || Number.isNaN(kcal)) continue;
    const key = `${t.day}|${t.msOfDay}|${name}`;
    const s = sessions.get(key) ?? { t, name, group: (rec.cells[col.get('Group') ?? -1] ?? '').trim(), minutes: 0, kcal: null, entries: 0 };
    s.entries++;
    s.minutes += Math.abs(minutes ?? 0);
    if (kcal !== null) s.kcal = (s.kcal ?? 0) + Math.abs(kcal);
    sessions.set(key, s);
  }
  for (const s of sessions.values()) {
    const durationS = Math.round(s.minutes * 60);
    const placed = s.t.msOfDay === null ? placeDateSession(s.t.day, sink.choices) : placeLocal(s.t, sink.choices, durationS * 1000);
    if (!placed) throw unknownZone(sink.choices.zone);
    sink.workout({
      origin: CRONOMETER_ORIGIN,
      activityType: s.name,
      startMs: placed.startMs,
      endMs: placed.endMs,
      zone: placed.zone,
      durationS,
      distanceKm: null,
      energyKcal: s.kcal === null ? null : Math.round(s.kcal * 10) / 10,
      avgHeartRate: null,
      maxHeartRate: null,
      details: { group: s.group || null, entries: s.entries, ...(s.t.msOfDay === null ? { timeOfDay: 'unknown (date only)' } : {}) },
    });
  }
}

/**
 * biometrics (long format): each row a reading at its Day and Time (a day's value when there is
 * no time), converted from the row's Unit to the metric's canonical unit. Metrics VitalSync has no
 * place for (Sleep without its times, waist, the person's own) are kept raw in their own unit.
 */
async function readBiometrics(entry: InputEntry, sink: RecordSink): Promise<void> {
  const kept = new Map<string, number>();
  for await (const { rec, col } of records(entry, sink)) {
    sink.read('biometrics reading');
    const t = when(rec, col, 'Day', entry.path, sink, 'biometrics');
    if (!t) continue;
    const name = (rec.cells[col.get('Metric')!] ?? '').trim();
    const unitText = (rec.cells[col.get('Unit')!] ?? '').trim();
    const amount = rec.cells[col.get('Amount')!] ?? '';
    if (isMissing(amount)) continue;
    const placed = placeLocal(t, sink.choices);
    if (!placed) throw unknownZone(sink.choices.zone);
    const metric = biometricMetric(name);
    const bad = (column: string, detail: string) => sink.reject(`biometrics: ${name || 'a reading'} ${column === 'Unit' ? 'in an unknown unit' : 'not a number'}`, { entry: entry.path, row: rec.row, column, detail });
    const write = (rawType: string, m: Exclude<typeof metric, 'bp'>, v: number) => {
      const unit = unitSpelling(unitText);
      if (!m) {
        kept.set(name, (kept.get(name) ?? 0) + 1);
        return sink.sample({ rawType, metric: null, unit, origin: CRONOMETER_ORIGIN, ...placed, value: v });
      }
      const canonical = getMetric(m)!.unit;
      const value = convertUnit(v, unit, canonical);
      if (value === null) return bad('Unit', `"${clip(unitText)}" is not a unit ${getMetric(m)!.label} can be read in`);
      sink.sample({ rawType, metric: m, unit: canonical, origin: CRONOMETER_ORIGIN, ...placed, value: Math.round(value * 10000) / 10000 });
    };
    if (metric === 'bp') {
      const bp = splitBloodPressure(amount);
      if (!bp) {
        bad('Amount', `"${clip(amount)}" is not a blood pressure written as systolic/diastolic`);
        continue;
      }
      write(`biometric:${name} (systolic)`, 'blood_pressure_systolic', bp[0]);
      write(`biometric:${name} (diastolic)`, 'blood_pressure_diastolic', bp[1]);
      continue;
    }
    const v = parseNumber(amount);
    if (v === null || Number.isNaN(v)) {
      bad('Amount', `"${clip(amount)}" is not a number`);
      continue;
    }
    write(`biometric:${name}`, metric, v);
  }
  for (const [name, n] of kept) sink.note(`"${name}" biometrics kept raw (no VitalSync metric)`, n);
}

/** notes: read (their unquoted lines joined back into the note) and counted; not stored. */
async function readNotes(entry: InputEntry, sink: RecordSink): Promise<void> {
  let n = 0;
  for await (const { rec, col } of records(entry, sink, startsWithDay)) {
    sink.read('notes note');
    if (when(rec, col, 'Day', entry.path, sink, 'notes')) n++;
  }
  if (n) sink.note('notes read; VitalSync does not store notes yet', n);
}
