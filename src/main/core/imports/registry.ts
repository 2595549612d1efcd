// Every importer VitalSync has, in the order they are tried: specific exports first, the
// generic CSV importer (which takes any CSV with a header) last. Adding an importer: its folder
// under imports/, and one line here.
import type { ImporterId } from '../../../shared/contract';
import { appleHealthImporter } from './apple-health/importer';
import { cronometerImporter } from './cronometer/importer';
import { fitbitImporter } from './fitbit/importer';
import { garminImporter } from './garmin/importer';
import { genericCsvImporter } from './generic-csv/importer';
import type { ImportInput, Importer, Recognition } from './importer';
import { myFitnessPalImporter } from './myfitnesspal/importer';
import { vitalsyncExportImporter } from './vitalsync-export/importer';

export const IMPORTERS: readonly Importer[] = [
  appleHealthImporter,
  myFitnessPalImporter,
  cronometerImporter,
  garminImporter,
  fitbitImporter,
  vitalsyncExportImporter,
  genericCsvImporter,
];

export function getImporter(id: ImporterId): Importer | undefined {
  return IMPORTERS.find((i) => i.id === id);
}

/** The importers that recognise the input, in registry order, with what each found. */
export async function recognise(input: ImportInput): Promise<{ importer: Importer; recognition: Recognition }[]> {
  const out: { importer: Importer; recognition: Recognition }[] = [];
  for (const importer of IMPORTERS) {
    const recognition = await importer.sniff(input);
    if (recognition) out.push({ importer, recognition });
  }
  return out;
}

/**
 * Why nothing recognised an input, and what to do: what VitalSync saw in it (kinds of files),
 * and the exports it reads.
 */
export function unrecognisedMessage(input: ImportInput): string {
  const kinds = new Map<string, number>();
  for (const e of input.entries) {
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(e.path)?.[1]?.toLowerCase() ?? 'no extension';
    kinds.set(ext, (kinds.get(ext) ?? 0) + 1);
  }
  const seen = [...kinds.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([ext, n]) => `${n} ${ext === 'no extension' ? 'file(s) without an extension' : `.${ext} file(s)`}`)
    .join(', ');
  const what = input.kind === 'file' ? `"${input.name}"` : `${input.kind === 'zip' ? 'the archive' : 'the folder'} "${input.name}" (${seen || 'no files'})`;
  const csvs = input.kind === 'file' ? 0 : (kinds.get('csv') ?? 0);
  if (csvs > 0) {
    return (
      `${input.kind === 'zip' ? 'The archive' : 'The folder'} "${input.name}" is not an export VitalSync knows, and it holds ${csvs} CSV file${csvs > 1 ? 's' : ''}: ` +
      'a column mapping belongs to one file, so import each CSV on its own (drop it, or choose it on the Imports page).'
    );
  }
  return (
    `VitalSync does not recognise ${what} as an export it can read. It reads Apple Health (export.zip), MyFitnessPal, ` +
    'Cronometer, Fitbit (Google Takeout) and Garmin Connect exports, and any CSV with a header row. Choose the export itself ' +
    '(the zip or its folder), or save the data as CSV and map its columns on the Imports page.'
  );
}
