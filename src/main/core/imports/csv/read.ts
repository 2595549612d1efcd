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

/** Rows parsed ahead of the reader before feeding waits. */
const QUEUE_ROWS = 4096;
/** Text handed to the parser at a time. */
const PIECE_CHARS = 64 * 1024;
/** How far into a file the line ending and delimiter are looked for. */
const SNIFF_CHARS = 64 * 1024;

/** The line ending of a text's first line ('\r\n', '\n' or a lone '\r'), '\n' when there is none yet. */
function lineEnding(text: string): string {
  const i = text.search(/[\r\n]/);
  if (i < 0) return '\n';
  if (text[i] === '\n') return '\n';
  return text[i + 1] === '\n' ? '\r\n' : '\r';
}

/** The delimiter of a header line: the most frequent of , ; tab and | outside quotes. */
function delimiterOf(text: string): string {
  const first = text.split(/\r?\n|\r/, 1)[0].replace(/"[^"]*"/g, '');
  let best = ',';
  let most = 0;
  for (const d of [',', ';', '\t', '|']) {
    const n = first.split(d).length - 1;
    if (n > most) [best, most] = [d, n];
  }
  return best;
}

/**
 * Streams the records of a CSV. Empty lines are skipped. The stream's bytes are decoded as UTF-8
 * (multi-byte characters split across chunks are handled by the stream's decoder). The line
 * ending and delimiter are decided from the first 64 KiB, not from whatever the first chunk holds.
 */
export async function* readCsv(stream: Readable, opts: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  stream.setEncoding('utf8');
  const source = stream[Symbol.asyncIterator]() as AsyncIterator<string>;
  let prefix = '';
  let ended = false;
  while (prefix.length < SNIFF_CHARS) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    prefix += next.value;
  }
  const delimiter = opts.delimiter ?? delimiterOf(prefix.replace(/^\ufeff/, ''));
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter, newline: lineEnding(prefix) as '\n', skipEmptyLines: 'greedy' });

  // Rows are taken from 'data' events into a queue and handed out from it: iterating the parser
  // stream with for-await cost ten times the parsing itself (a promise and a stream read per
  // row). Backpressure is on the feeding side: text goes to the parser in pieces of at most
  // PIECE_CHARS, the next piece only once the reader has taken the queue below QUEUE_ROWS, so
  // memory stays bounded. (Pausing papaparse's stream in the middle of a large chunk could
  // leave it stalled for good.)
  let queue: string[][] = [];
  let finished = false;
  let failure: Error | null = null;
  let wakeReader: (() => void) | null = null;
  let wakeFeeder: (() => void) | null = null;
  const wake = (which: 'reader' | 'feeder') => {
    const w = which === 'reader' ? wakeReader : wakeFeeder;
    if (which === 'reader') wakeReader = null;
    else wakeFeeder = null;
    w?.();
  };
  parser.on('data', (r: string[]) => {
    queue.push(r);
    if (queue.length === 1) wake('reader');
  });
  const stop = (err: Error | null) => {
    failure ??= err;
    finished = true;
    wake('reader');
    wake('feeder');
  };
  parser.on('end', () => stop(null));
  parser.on('close', () => stop(null));
  parser.on('error', (err: Error) => stop(err));

  const write = async (text: string) => {
    for (let at = 0; at < text.length && !parser.destroyed; at += PIECE_CHARS) {
      while (queue.length >= QUEUE_ROWS && !finished) await new Promise<void>((resolve) => (wakeFeeder = resolve));
      if (parser.destroyed) return;
      if (!parser.write(text.slice(at, at + PIECE_CHARS)))
        await new Promise((resolve) => {
          parser.once('drain', resolve);
          parser.once('close', resolve);
        });
    }
  };
  const feed = (async () => {
    try {
      await write(prefix);
      while (!ended && !parser.destroyed) {
        const next = await source.next();
        if (next.done || parser.destroyed) break;
        await write(next.value);
      }
      if (!parser.destroyed) parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();

  let row = 0;
  let width = 0;
  let pending: CsvRecord | null = null;
  try {
    for (;;) {
      if (!queue.length) {
        if (failure) throw failure;
        if (finished) break;
        await new Promise<void>((resolve) => (wakeReader = resolve));
        continue;
      }
      const rows = queue;
      queue = [];
      wake('feeder');
      for (const raw of rows) {
        row++;
        const cells = row === 1 ? stripBom(raw) : raw;
        if (row === 1) width = cells.length;
        if (opts.recordStart && pending && row > 1 && cells.length < width && !opts.recordStart(cells)) {
          // A continuation line: it belongs to the previous record's last cell.
          const last = pending.cells.length - 1;
          pending.cells[last] = `${pending.cells[last]}\n${cells.join(delimiter)}`;
          continue;
        }
        if (pending) yield pending;
        pending = { row, cells };
      }
    }
    if (pending) yield pending;
  } finally {
    stream.destroy();
    parser.destroy();
    await feed.catch(() => undefined);
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
