// Garmin Connect exports: the activities list as CSV (activitiesCsv.ts). Recognised by content:
// a CSV whose header has an activity type, a date, a time and Garmin's figures, in English,
// German, French or Spanish.
import { ImportInputError } from '../apple-health/parser';
import { csvHead, looksLikeCsv, readCsv } from '../csv/read';
import type { ImportInput, Importer, Recognition, RecordSink } from '../importer';
import { dateFormatOf, decimalOf, isActivitiesHeader, readHeader, rowToWorkout, unitsFromFile, type FileFormat, type UnitSystem } from './activitiesCsv';

/** Rows read to decide a file's decimal mark, date format and units. */
const HEAD_ROWS = 200;
const CSV_KIND = 'activities list (CSV)';

async function csvEntry(input: ImportInput) {
  if (input.kind !== 'file') return null;
  const entry = input.entries[0];
  if (!entry || !looksLikeCsv(await entry.head())) return null;
  const { header, rows } = await csvHead(entry.stream(), HEAD_ROWS);
  return isActivitiesHeader(header) ? { entry, header, rows } : null;
}

/** The account's units from the person's answer: the weight unit of the account (lb: statute). */
const unitsFromChoice = (w: 'kg' | 'lb' | null): UnitSystem | null => (w === 'lb' ? 'statute' : w === 'kg' ? 'metric' : null);

async function runCsv(input: ImportInput, sink: RecordSink): Promise<void> {
  const found = await csvEntry(input);
  if (!found) throw new ImportInputError(`"${input.name}" is no longer a Garmin Connect activities list: its header changed since it was recognised. Choose the file again.`);
  const { entry, header, rows } = found;
  const { at } = readHeader(header);
  const decimal = decimalOf(header, rows);
  const dateFormat = dateFormatOf(rows.map((r) => r[at.date!] ?? ''));
  const fileUnits = unitsFromFile(header, rows, decimal);
  const chosen = unitsFromChoice(sink.choices.weightUnit);
  if (fileUnits && chosen && fileUnits !== chosen) {
    sink.warn(`"${entry.path}" shows ${fileUnits === 'statute' ? 'statute units (°F temperatures)' : 'metric units'} in its own columns; its distances were read in ${fileUnits === 'statute' ? 'miles' : 'kilometres'}, not in the units chosen.`);
  }
  const units = fileUnits ?? chosen;
  if (!units) {
    throw new ImportInputError(
      `"${entry.path}" does not say whether its distances are in kilometres or miles (Garmin writes them in the account's units). ` +
        'Choose the units of your Garmin account on the Imports page (kg for metric, lb for statute/miles), or run the import again with --weight-unit kg or --weight-unit lb.',
    );
  }
  if (!dateFormat && rows.length) {
    throw new ImportInputError(`The "${header[at.date!]}" column of "${entry.path}" holds no dates VitalSync can read. Export the list again from Garmin Connect (Activities → Export CSV) without opening it in a spreadsheet.`);
  }
  const format: FileFormat = { header, at, decimal, dateFormat: dateFormat ?? 'iso', units };
  let n = 0;
  for await (const rec of readCsv(entry.stream())) {
    if (sink.cancelled) return;
    if (rec.row === 1) continue;
    sink.read('activities.csv row');
    const out = rowToWorkout(rec.cells, format, sink.choices);
    if ('error' in out) sink.reject(out.error.category, { entry: entry.path, row: rec.row, column: out.error.column, detail: out.error.detail });
    else sink.workout(out.workout);
    if (++n % 256 === 0) await sink.pace();
  }
}

export const garminImporter: Importer = {
  id: 'garmin',
  label: 'Garmin Connect',
  source: 'garmin',
  async sniff(input): Promise<Recognition | null> {
    const csv = await csvEntry(input);
    if (!csv) return null;
    const { language } = readHeader(csv.header);
    return {
      importer: 'garmin',
      entries: [{ path: csv.entry.path, kind: CSV_KIND }],
      description: `Garmin Connect activities list${language ? ` (${language} headers)` : ''}: workouts`,
    };
  },
  async needs(input) {
    const csv = await csvEntry(input);
    if (!csv) return [];
    return unitsFromFile(csv.header, csv.rows, decimalOf(csv.header, csv.rows)) ? [] : ['weightUnit'];
  },
  async run(input, _recognition, sink) {
    await runCsv(input, sink);
  },
};
