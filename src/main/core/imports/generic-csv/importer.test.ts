// The generic CSV importer end to end: a real core, a real SQLite file, the real worker threads.
// Expected values are worked out by hand from fixtures/mixed.csv (BOM, CRLF, "--", a thousands
// comma, a quoted multi-line note, a bad date and a bad number).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import type { CsvMappingInput, ImportPreview, MappingCheck } from '../../../../shared/contract';
import { CsvMappingSchema } from '../../../../shared/contract';
import { makeTempDir } from '../../test/tempCore';
import { importManager } from '../index';
import { call, importCores } from '../test/importCores';

const here = path.dirname(fileURLToPath(import.meta.url));
const MIXED = path.join(here, 'fixtures/mixed.csv');
const { newCore, importFile } = importCores({ homeTimeZone: 'Europe/Paris' });

const mapping = CsvMappingSchema.parse({
  layout: 'wide',
  date: { column: 'Date', format: 'iso' },
  time: 'Time',
  columns: [
    { column: 'Weight (kg)', metric: 'weight', unit: 'kg' },
    { column: 'Steps', metric: 'steps', unit: 'count' },
  ],
  origin: 'My spreadsheet',
} satisfies CsvMappingInput);

type Row = { raw: string; metric: string; start: number; end: number; value: number; day: number | null; zone: string | null };
function stored(core: ReturnType<typeof newCore>): Row[] {
  return core.db.$client
    .prepare(
      `SELECT t.raw_type AS raw, t.metric, s.start_ms AS start, s.end_ms AS end, s.value, s.day, z.name AS zone
       FROM samples s JOIN sample_types t ON t.id = s.type_id LEFT JOIN zones z ON z.id = s.zone_id ORDER BY s.start_ms, t.metric`,
    )
    .all() as Row[];
}

describe('generic CSV import', () => {
  it('keeps the good rows and cells, reports each bad one with its row and column, and adds nothing the second time', async () => {
    const core = newCore();
    const job = await importFile(core, MIXED, {}, { mapping });
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(job.kind).toBe('csv');
    expect(job.summary.zone).toBe('Europe/Paris');
    const t0530 = Date.parse('2024-03-05T06:30:00Z'); // 07:30 in Paris (UTC+1 in March before the switch)
    const t0745 = Date.parse('2024-03-06T06:45:00Z');
    const t0750 = Date.parse('2024-03-07T06:50:00Z');
    const mar8 = Date.UTC(2024, 2, 8) / 86_400_000;
    expect(stored(core)).toEqual([
      { raw: 'csv:Steps', metric: 'steps', start: t0530, end: t0530, value: 8200, day: null, zone: 'Europe/Paris' },
      { raw: 'csv:Weight (kg)', metric: 'weight', start: t0530, end: t0530, value: 72.5, day: null, zone: 'Europe/Paris' },
      { raw: 'csv:Steps', metric: 'steps', start: t0745, end: t0745, value: 9100, day: null, zone: 'Europe/Paris' },
      { raw: 'csv:Steps', metric: 'steps', start: t0750, end: t0750, value: 7000, day: null, zone: 'Europe/Paris' },
      // A date with no time is that day's value, between its Paris midnights, in the home zone (id 0).
      { raw: 'csv:Weight (kg)', metric: 'weight', start: Date.parse('2024-03-07T23:00:00Z'), end: Date.parse('2024-03-08T23:00:00Z'), value: 71.2, day: mar8, zone: null },
    ]);
    expect(job.summary.samples).toEqual({ inserted: 5, duplicates: 0 });
    expect(job.summary.byType).toEqual({
      'csv row': { read: 5, inserted: 0, duplicates: 0 },
      'csv:Weight (kg)': { read: 2, inserted: 2, duplicates: 0 },
      'csv:Steps': { read: 3, inserted: 3, duplicates: 0 },
    });
    expect(job.summary.rejected.total).toBe(2);
    expect(job.summary.rowErrors).toEqual([
      { entry: 'mixed.csv', row: 4, column: 'Date', reason: '"yesterday" is not a date written as year-month-day (2024-03-05)' },
      { entry: 'mixed.csv', row: 5, column: 'Weight (kg)', reason: '"abc" is not a number' },
    ]);
    const again = await importFile(core, MIXED, {}, { mapping });
    expect(again.status).toBe('completed');
    expect(again.summary.samples).toEqual({ inserted: 0, duplicates: 5 });
    expect(stored(core)).toHaveLength(5);
  });

  it('previews a CSV with a suggested mapping, offers the saved one for the same header, and checks a mapping on its first rows', async () => {
    const core = newCore();
    const before = await call<ImportPreview>(core, 'imports:preview', { path: MIXED });
    expect(before.recognised.map((r) => r.importer)).toEqual(['csv']);
    expect(before.csv?.header).toEqual(['Date', 'Time', 'Weight (kg)', 'Steps', 'Note']);
    expect(before.csv?.rows).toHaveLength(5);
    expect(before.csv?.rows[4][4]).toBe('quoted "note" with\r\ntwo lines');
    expect(before.csv?.suggested).toMatchObject({ layout: 'wide', date: { column: 'Date', format: 'iso' }, time: 'Time', columns: mapping.columns, origin: 'mixed' });
    expect(before.csv?.saved).toBeNull();
    expect(before.needs).toEqual(['mapping']);
    const check = await call<MappingCheck>(core, 'imports:check-mapping', { path: MIXED, mapping });
    expect(check.ok).toBe(false);
    expect(check.values[0]).toEqual({ row: 2, metric: 'weight', time: '2024-03-05 07:30', value: 72.5, unit: 'kg' });
    expect(check.errors.map((e) => [e.row, e.column])).toEqual([
      [4, 'Date'],
      [5, 'Weight (kg)'],
    ]);
    await importFile(core, MIXED, {}, { mapping });
    const after = await call<ImportPreview>(core, 'imports:preview', { path: MIXED });
    expect(after.csv?.saved).toEqual(mapping);
    expect(after.needs).toEqual([]);
    // With the saved mapping, a plain start needs nothing more.
    const job = await importFile(core, MIXED);
    expect(job.summary.samples).toEqual({ inserted: 0, duplicates: 5 });
  });

  it("offers a preset's CSV for mapping by hand too (it may be the person's own sheet)", async () => {
    const core = newCore();
    const garmin = path.join(here, '../garmin/fixtures/activities-fr.csv');
    const p = await call<ImportPreview>(core, 'imports:preview', { path: garmin });
    expect(p.recognised.map((r) => r.importer)).toEqual(['garmin', 'csv']);
    expect(p.csv?.header[0]).toBe("Type d'activité");
    expect(p.needs).not.toContain('mapping');
  });

  it('a cancelled import, started again, finishes the job with every row stored once', async () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'big.csv');
    // 60,000 minutes of steps from 2024-01-01 00:00 Paris time: 60,000 samples.
    const lines = ['Date,Steps'];
    for (let i = 0; i < 60_000; i++) lines.push(`${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().slice(0, 16).replace('T', ' ')},${(i % 50) + 1}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const steps = CsvMappingSchema.parse({ layout: 'wide', date: { column: 'Date', format: 'iso' }, columns: [{ column: 'Steps', metric: 'steps', unit: 'count' }], origin: 'Pedometer log' });
    const core = newCore();
    const m = importManager(core);
    const started = await m.start(file, { batchSize: 100, maxInFlight: 1 }, { mapping: steps });
    // Cancel once the first rows are stored.
    const stored = () => (core.db.$client.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n;
    while (stored() === 0) {
      if (m.get(started.id).status !== 'running') throw new Error(`the import ended before any row was stored: ${JSON.stringify(m.get(started.id))}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    const cancelled = await m.cancel(started.id);
    expect(cancelled.status).toBe('cancelled');
    expect(stored()).toBeLessThan(60_000);
    const before = stored();
    const again = await importFile(core, file, {}, { mapping: steps });
    expect(again.id).toBe(started.id);
    expect(again.status).toBe('completed');
    expect(stored()).toBe(60_000);
    // The job's counts are the second reading's: the rows the first stored are "already there".
    expect(again.summary.samples).toEqual({ inserted: 60_000 - before, duplicates: before });
    expect(again.summary.byType['csv row'].read).toBe(60_000);
    expect(again.bytesRead).toBeLessThanOrEqual(again.bytesTotal);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says what is wrong in words that fit the file: empty, not an export, every row unreadable', async () => {
    const dir = makeTempDir();
    const core = newCore();
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    await expect(importFile(core, empty, {}, { mapping })).rejects.toThrow(/"empty.csv" is empty \(0 bytes\)/);
    // A zip with no XML in it is not taken for a broken Apple Health export.
    const zipFile = path.join(dir, 'stuff.zip');
    const z = new yazl.ZipFile();
    z.addBuffer(Buffer.from('hello'), 'notes.txt');
    z.addBuffer(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'photo.png');
    z.end();
    await new Promise<void>((resolve) => z.outputStream.pipe(fs.createWriteStream(zipFile)).on('close', () => resolve()));
    await expect(importFile(core, zipFile)).rejects.toThrow(/does not recognise the archive "stuff.zip" \(1 .(png|txt) file\(s\), 1 .(png|txt) file\(s\)\)/);
    // A zip of several CSVs: each is mapped on its own.
    const sheets = path.join(dir, 'sheets.zip');
    const z2 = new yazl.ZipFile();
    z2.addBuffer(fs.readFileSync(MIXED), 'a.csv');
    z2.addBuffer(fs.readFileSync(MIXED), 'b.csv');
    z2.end();
    await new Promise<void>((resolve) => z2.outputStream.pipe(fs.createWriteStream(sheets)).on('close', () => resolve()));
    await expect(importFile(core, sheets)).rejects.toThrow(/holds 2 CSV files: a column mapping belongs to one file, so import each CSV on its own/);
    // Every row unreadable through the mapping: the job fails and points to the mapping.
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'Date,Time,Weight (kg),Steps,Note\nsoon,7:00,x,y,\nlater,8:00,x,y,\n');
    const job = await importFile(core, bad, {}, { mapping });
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^Nothing was imported: all 2 records in this file were rejected \(2 × Date: no readable date\)\. Check the mapping against the file/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to read local times with no zone set or chosen, and says what to do', async () => {
    const core = newCore(null);
    await expect(importFile(core, MIXED, {}, { mapping })).rejects.toThrow(/in your home time zone \(all but those written with their own offset\), and none is set\. Set it in Settings .* or --zone/);
    const job = await importFile(core, MIXED, {}, { mapping, zone: 'america/new_york' });
    expect(job.summary.zone).toBe('America/New_York');
    expect(stored(core)[0].start).toBe(Date.parse('2024-03-05T12:30:00Z'));
  });
});
