// Any CSV with a header row, read through a column mapping the person confirmed (Imports page,
// or `vitalsync import --mapping FILE`). Rows that cannot be read are reported with their row,
// column and reason; the good rows are kept.
import { ImportInputError } from '../apple-health/parser';
import { csvHead, looksLikeCsv, readCsv } from '../csv/read';
import type { Importer } from '../importer';
import { compileMapping, mappingProblems } from './mapping';

export const genericCsvImporter: Importer = {
  id: 'csv',
  label: 'CSV / spreadsheet',
  source: 'csv',
  async sniff(input) {
    // One file: a folder or zip of unrelated CSVs has no single mapping.
    if (input.kind !== 'file') return null;
    const entry = input.entries[0];
    if (!looksLikeCsv(await entry.head())) return null;
    const { header } = await csvHead(entry.stream(), 1);
    if (header.length < 2) return null;
    return { importer: 'csv', entries: [{ path: entry.path, kind: 'csv' }], description: `CSV with ${header.length} columns (${header.slice(0, 4).join(', ')}${header.length > 4 ? ', …' : ''})` };
  },
  async run(input, recognition, sink) {
    const mapping = sink.choices.mapping;
    const entry = input.entries.find((e) => e.path === recognition.entries[0].path)!;
    if (!mapping) throw new ImportInputError(`"${entry.path}" needs a column mapping: choose its columns on the Imports page, or give one with --mapping FILE.`);
    let map: ReturnType<typeof compileMapping> | null = null;
    const unmapped = new Map<string, number>();
    let n = 0;
    for await (const rec of readCsv(entry.stream())) {
      if (sink.cancelled) return;
      if (rec.row === 1) {
        const header = rec.cells.map((c) => c.trim());
        const problems = mappingProblems(mapping, header);
        if (problems.length) throw new ImportInputError(`The mapping does not fit "${entry.path}": ${problems.join(' ')}`);
        map = compileMapping(mapping, header, sink.choices, entry.path);
        continue;
      }
      const out = map!(rec.cells, rec.row);
      sink.read('csv row');
      for (const e of out.errors) sink.reject(e.category, { entry: e.entry, row: e.row ?? undefined, column: e.column ?? undefined, detail: e.reason });
      for (const s of out.samples) sink.sample(s);
      for (const name of out.unmapped) unmapped.set(name, (unmapped.get(name) ?? 0) + 1);
      if (++n % 256 === 0) await sink.pace();
    }
    for (const [name, count] of unmapped) sink.note(`rows of "${name}" skipped (not mapped to a metric)`, count);
  },
};
