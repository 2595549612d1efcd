// The CSV engine every CSV importer reads through: papaparse in streaming mode (bounded memory
// whatever the file size, with backpressure), fed decoded text. It handles a UTF-8 BOM, CRLF,
// quoted quotes (MyFitnessPal's `"""Name"""`), quoted multi-line cells, and, for exports that
// write them, unquoted multi-line notes: a caller that knows how a record starts
// (`recordStart`) gets continuation lines joined back into the previous record's last cell.
import type { Readable } from 'node:stream';
import Papa from 'papaparse';

export interface CsvRecord {
  /** The row as a spreadsheet numbers it: the header is row 1, the first record row 2. */
  row: number;
  cells: string[];
}

export interface CsvReadOptions {
  /** ',' ';' '\t' …; detected from the first lines when omitted. */
  delimiter?: string;
  /**
   * Whether a line starts a record. A line that does not (and has fewer cells than the header)
   * continues the previous record's last cell: an unquoted note that runs over several lines.
   */
  recordStart?: (cells: string[]) => boolean;
}

/** Strips a UTF-8 byte-order mark from the first cell (Excel writes one). */
function stripBom(cells: string[]): string[] {
  if (cells.length && cells[0].charCodeAt(0) === 0xfeff) cells[0] = cells[0].slice(1);
  return cells;
}

/**
 * Streams the records of a CSV. Empty lines are skipped. The stream's bytes are decoded as UTF-8
 * (multi-byte characters split across chunks are handled by the stream's decoder).
 */
export async function* readCsv(stream: Readable, opts: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  stream.setEncoding('utf8');
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: opts.delimiter ?? '', skipEmptyLines: 'greedy' });
  stream.on('error', (err) => parser.destroy(err));
  stream.pipe(parser);
  let row = 0;
  let width = 0;
  let pending: CsvRecord | null = null;
  try {
    for await (const raw of parser as AsyncIterable<string[]>) {
      row++;
      const cells = row === 1 ? stripBom(raw) : raw;
      if (row === 1) width = cells.length;
      if (opts.recordStart && pending && row > 1 && cells.length < width && !opts.recordStart(cells)) {
        // A continuation line: it belongs to the previous record's last cell.
        const last = pending.cells.length - 1;
        pending.cells[last] = `${pending.cells[last]}\n${cells.join(opts.delimiter ?? ',')}`;
        continue;
      }
      if (pending) yield pending;
      pending = { row, cells };
    }
    if (pending) yield pending;
  } finally {
    stream.unpipe(parser);
    stream.destroy();
    parser.destroy();
  }
}

/** The header and the first `rows` records of a CSV (for recognising it, and for the preview). */
export async function csvHead(stream: Readable, rows = 20, opts: CsvReadOptions = {}): Promise<{ header: string[]; rows: string[][] }> {
  let header: string[] = [];
  const out: string[][] = [];
  for await (const r of readCsv(stream, opts)) {
    if (r.row === 1) header = r.cells.map((c) => c.trim());
    else out.push(r.cells);
    if (out.length >= rows) break;
  }
  return { header, rows: out };
}

/** Whether bytes look like the start of a CSV with a header line: text, and a delimiter in the first line. */
export function looksLikeCsv(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\ufeff/, '');
  // Binary (NUL and other control bytes) is not a CSV.
  for (let i = 0; i < Math.min(text.length, 2048); i++) {
    const c = text.charCodeAt(i);
    if (c < 9 || (c > 13 && c < 32)) return false;
  }
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (/^\s*[<{[]/.test(first)) return false;
  return /[,;\t]/.test(first);
}
