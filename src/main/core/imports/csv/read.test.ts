import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvHead, looksLikeCsv, readCsv, type CsvRecord } from './read';

/** A stream that hands the text over in chunks of `size` bytes (multi-byte characters split across them). */
function chunked(text: string, size = 7): Readable {
  const buf = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

async function all(stream: Readable, opts = {}): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of readCsv(stream, opts)) out.push(r);
  return out;
}

describe('readCsv', () => {
  it('strips a BOM, reads CRLF, quoted quotes (MyFitnessPal) and quoted line breaks, and numbers rows as a spreadsheet does', async () => {
    const text = '\ufeffDate,Exercise,Note\r\n2024-03-05,"""Morning"" run",ok\r\n2024-03-06,Swim,"two\r\nlines"\r\n\r\n2024-03-07,Walk,\r\n';
    expect(await all(chunked(text))).toEqual([
      { row: 1, cells: ['Date', 'Exercise', 'Note'] },
      { row: 2, cells: ['2024-03-05', '"Morning" run', 'ok'] },
      { row: 3, cells: ['2024-03-06', 'Swim', 'two\r\nlines'] },
      { row: 4, cells: ['2024-03-07', 'Walk', ''] },
    ]);
  });

  it('decodes UTF-8 split across chunks and detects a semicolon delimiter', async () => {
    const text = 'Datum;Gewicht (kg);Notiz\n2024-03-05;72,5;Frühstück ☕ später\n';
    expect((await all(chunked(text, 3)))[1].cells).toEqual(['2024-03-05', '72,5', 'Frühstück ☕ später']);
  });

  it('joins unquoted multi-line notes back into their record when told how a record starts', async () => {
    const text = 'Day,Time,Group,Note\n2024-03-05,08:00,Breakfast,Felt tired\nslept badly, woke at 4\n2024-03-06,,,Fine\n';
    const startsWithDate = (cells: string[]) => /^\d{4}-\d{2}-\d{2}$/.test(cells[0]);
    expect(await all(chunked(text), { recordStart: startsWithDate })).toEqual([
      { row: 1, cells: ['Day', 'Time', 'Group', 'Note'] },
      { row: 2, cells: ['2024-03-05', '08:00', 'Breakfast', 'Felt tired\nslept badly, woke at 4'] },
      { row: 4, cells: ['2024-03-06', '', '', 'Fine'] },
    ]);
    // Without the rule, the continuation is a record of its own (the importer then reports it).
    expect((await all(chunked(text))).map((r) => r.row)).toEqual([1, 2, 3, 4]);
  });

  it('reads every row when the file arrives in large chunks (a 1 MiB chunk once stalled the parser for good)', async () => {
    const lines = ['date,steps', ...Array.from({ length: 120_000 }, (_, i) => `2024-01-01 00:${String(i % 60).padStart(2, '0')},${i}`)].join('\n');
    let n = 0;
    let last: CsvRecord | null = null;
    for await (const r of readCsv(chunked(lines, 1 << 20))) {
      n++;
      last = r;
    }
    expect(n).toBe(120_001);
    expect(last).toEqual({ row: 120_001, cells: ['2024-01-01 00:59', '119999'] });
  });

  it('stops reading (and closes the file) when the caller stops early', async () => {
    const lines = ['a,b', ...Array.from({ length: 10_000 }, (_, i) => `${i},${i}`)].join('\n');
    const stream = chunked(lines, 4096);
    const head = await csvHead(stream, 3);
    expect(head).toEqual({ header: ['a', 'b'], rows: [['0', '0'], ['1', '1'], ['2', '2']] });
    expect(stream.destroyed).toBe(true);
  });
});

describe('looksLikeCsv', () => {
  it('takes text with a delimiter in its first line, not XML, JSON or binary', () => {
    expect(looksLikeCsv(Buffer.from('\ufeffDate,Weight\n'))).toBe(true);
    expect(looksLikeCsv(Buffer.from('Datum;Gewicht\n'))).toBe(true);
    expect(looksLikeCsv(Buffer.from('<?xml version="1.0"?><HealthData>'))).toBe(false);
    expect(looksLikeCsv(Buffer.from('[{"dateTime":"01/01/20 00:00:00","value":"5"}]'))).toBe(false);
    expect(looksLikeCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x2c]))).toBe(false);
    expect(looksLikeCsv(Buffer.from('just some text\n'))).toBe(false);
  });
});
