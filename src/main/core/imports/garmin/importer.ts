// Garmin Connect exports, recognised by content:
// - the activities list as CSV (activitiesCsv.ts): a CSV whose header has an activity type, a
//   date, a time and Garmin's figures, in English, German, French or Spanish;
// - the full-account export (diConnect.ts): the DI_CONNECT folder or the zip, its JSON files
//   told apart by their records' keys (the DI-Connect-* folders they sit in only narrow which
//   files are looked at).
import { ImportInputError } from '../apple-health/parser';
import { csvHead, looksLikeCsv, readCsv } from '../csv/read';
import type { ImportInput, Importer, InputEntry, Recognition, RecordSink } from '../importer';
import { dateFormatOf, decimalOf, isActivitiesHeader, readHeader, rowToWorkout, unitsFromFile, type FileFormat, type UnitSystem } from './activitiesCsv';
import { activitiesOf, diKindOf, fullestPerDate, mapActivity, mapDailySummary, mapSleep, mapWeighIn, type DiKind, type RecordError } from './diConnect';

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

/** The export's JSON files VitalSync reads, each with what it is (by content). */
async function diEntries(input: ImportInput): Promise<{ entry: InputEntry; kind: DiKind }[]> {
  const out: { entry: InputEntry; kind: DiKind }[] = [];
  for (const entry of input.entries) {
    if (!/\.json$/i.test(entry.path)) continue;
    // In a folder or zip, only the DI-Connect folders hold these (the export has thousands of other files).
    if (input.kind !== 'file' && !/(^|\/)DI[-_]Connect[-_]/i.test(entry.path)) continue;
    const kind = diKindOf((await entry.head()).toString('utf8'));
    if (kind) out.push({ entry, kind });
  }
  return out;
}

/** A JSON file larger than this is not one of the export's (they are split by date range). */
const MAX_JSON_BYTES = 512 * 1024 * 1024;

async function readJson(entry: InputEntry): Promise<unknown> {
  if (entry.size > MAX_JSON_BYTES) throw new Error(`${Math.round(entry.size / 1048576)} MB, more than a Garmin export file holds`);
  const chunks: Buffer[] = [];
  for await (const c of entry.stream()) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8').replace(/^\ufeff/, '')) as unknown;
}

const RAW_TYPE: Record<DiKind, string> = { 'daily summaries': 'daily summary', sleep: 'night', 'weigh-ins': 'biometrics record', activities: 'activity' };

async function runDiConnect(input: ImportInput, sink: RecordSink): Promise<void> {
  const files = await diEntries(input);
  const reject = (entry: InputEntry, index: number, e: RecordError) => sink.reject(e.category, { entry: entry.path, row: index + 1, column: e.field, detail: e.detail });
  // Daily summaries are gathered first: two files can both hold the date where their ranges meet.
  const summaries: Record<string, unknown>[] = [];
  const summaryAt = new Map<Record<string, unknown>, { entry: InputEntry; index: number }>();
  let n = 0;
  const tick = async () => {
    if (++n % 256 === 0) await sink.pace();
  };
  for (const { entry, kind } of files) {
    if (sink.cancelled) return;
    let json: unknown;
    try {
      json = await readJson(entry);
    } catch (err) {
      // Never the parser's message: it quotes the file's content (health values).
      const why = err instanceof SyntaxError ? 'it is cut short or damaged (not valid JSON)' : err instanceof Error ? err.message : 'it cannot be read';
      sink.reject('file: not readable JSON', { entry: entry.path, detail: `${why}; the rest of the export was read. Request your data from Garmin again if this file matters.` });
      continue;
    }
    const list = kind === 'activities' ? activitiesOf(json) : Array.isArray(json) ? json : [];
    for (const [index, rec] of list.entries()) {
      if (sink.cancelled) return;
      if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) continue;
      const r = rec as Record<string, unknown>;
      sink.read(RAW_TYPE[kind]);
      if (kind === 'daily summaries') {
        summaries.push(r);
        summaryAt.set(r, { entry, index });
        continue;
      }
      const out = kind === 'sleep' ? mapSleep(r, sink.choices) : kind === 'weigh-ins' ? mapWeighIn(r, sink.choices) : mapActivity(r, sink.choices);
      if (out === null) sink.note('biometrics records without a weight (height, VO2max) skipped');
      else if ('category' in out && 'field' in out) reject(entry, index, out);
      else if (Array.isArray(out)) for (const smp of out) sink.sample(smp);
      else if ('activityType' in out) sink.workout(out);
      else sink.sample(out);
      await tick();
    }
  }
  const kept = fullestPerDate(summaries);
  if (summaries.length > kept.length) sink.note('daily summaries listed twice for one date (the fuller one kept)', summaries.length - kept.length);
  for (const r of kept) {
    const out = mapDailySummary(r, sink.choices);
    if (!Array.isArray(out)) {
      const at = summaryAt.get(r)!;
      reject(at.entry, at.index, out);
    } else if (!out.length) sink.note('days without data (the watch not worn) skipped');
    else for (const smp of out) sink.sample(smp);
    await tick();
  }
}

export const garminImporter: Importer = {
  id: 'garmin',
  label: 'Garmin Connect',
  source: 'garmin',
  async sniff(input): Promise<Recognition | null> {
    const di = await diEntries(input);
    if (di.length) {
      const kinds = (['daily summaries', 'sleep', 'weigh-ins', 'activities'] as const).filter((k) => di.some((d) => d.kind === k));
      return { importer: 'garmin', entries: di.map((d) => ({ path: d.entry.path, kind: d.kind })), description: `Garmin Connect export: ${kinds.join(', ')}` };
    }
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
  async run(input, recognition, sink) {
    if (recognition.entries.some((e) => e.kind === CSV_KIND)) await runCsv(input, sink);
    else await runDiConnect(input, sink);
  },
};
