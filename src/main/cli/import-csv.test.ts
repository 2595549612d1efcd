// `vitalsync import` for a CSV, headless: --preview prints a mapping to start from, --mapping FILE
// imports with it (and it is saved for the header), row errors are printed, a re-import adds 0.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, PROJECT_ROOT } from '../core/test/tempCore';
import { runCliInProcess } from './test/runInProcess';

const MIXED = path.join(PROJECT_ROOT, 'src/main/core/imports/generic-csv/fixtures/mixed.csv');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('vitalsync import of a CSV', () => {
  it('previews, imports with a mapping file, reports bad rows, and adds nothing the second time', async () => {
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const cli = (...args: string[]) => runCliInProcess(['--data-dir', dataDir, ...args]);
    expect((await cli('settings', 'set', 'homeTimeZone', 'Europe/Paris')).code).toBe(0);

    const preview = await cli('import', MIXED, '--preview', '--json');
    expect(preview.code).toBe(0);
    const p = JSON.parse(preview.stdout) as { recognised: { importer: string }[]; csv: { suggested: unknown } };
    expect(p.recognised[0].importer).toBe('csv');
    const mappingFile = path.join(dataDir, 'mapping.json');
    fs.writeFileSync(mappingFile, JSON.stringify(p.csv.suggested));

    // Without a mapping (none saved yet) the import says what to do, on stdout too with --json.
    const bare = await cli('import', MIXED, '--json');
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/needs a column mapping/);
    expect(JSON.parse(bare.stdout)).toMatchObject({ job: null, status: 'refused', error: { code: 'NEEDS_MAPPING' } });

    const first = await cli('import', MIXED, '--mapping', mappingFile);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('samples  5 added, 0 already there');
    expect(first.stdout).toContain('mixed.csv row 4, Date: "yesterday" is not a date written as year-month-day (2024-03-05)');
    expect(first.stdout).toContain('mixed.csv row 5, Weight (kg): "abc" is not a number');
    expect(first.stdout).toContain('times without a zone were read in Europe/Paris');

    // The mapping was saved for this header: a plain import uses it.
    const again = await cli('import', MIXED, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'completed', samples: { inserted: 0, duplicates: 5 }, rowErrors: [{ row: 4 }, { row: 5 }] });
  });

  it('--preview asks only what the command line has not answered, and says when a CSV has only its header', async () => {
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const cli = (...args: string[]) => runCliInProcess(['--data-dir', dataDir, ...args]);
    const asked = await cli('import', MIXED, '--preview');
    expect(asked.stdout).toContain('Needs: a home time zone');
    const answered = await cli('import', MIXED, '--preview', '--zone', 'Europe/Paris');
    expect(answered.code).toBe(0);
    expect(answered.stdout).not.toContain('Needs: a home time zone');
    const headerOnly = path.join(dataDir, 'steps.csv');
    fs.writeFileSync(headerOnly, 'Date,Steps\n');
    const empty = await cli('import', headerOnly, '--preview', '--zone', 'UTC');
    expect(empty.stdout).toContain('Columns: Date | Steps\nThis file has only its header row: there is nothing in it to import.');
    expect(empty.stdout).not.toContain('No column reads as dates');
  });

  it('refuses an unknown preset, a broken mapping file and a bad weight unit as usage errors', async () => {
    const dataDir = makeTempDir();
    dirs.push(dataDir);
    const cli = (...args: string[]) => runCliInProcess(['--data-dir', dataDir, ...args]);
    expect((await cli('import', MIXED, '--preset', 'strava')).stderr).toMatch(/unknown preset "strava": use one of apple_health, myfitnesspal/);
    const bad = path.join(dataDir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ layout: 'wide', origin: 'x' }));
    const res = await cli('import', MIXED, '--mapping', bad);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/is not a valid mapping \(date: /);
    expect((await cli('import', MIXED, '--weight-unit', 'stone')).stderr).toMatch(/--weight-unit is kg or lb/);
  });
});
