// A generic CSV through the Imports page: its columns mapped in the UI (the suggested date
// format corrected by hand), checked on the first rows, imported with its row errors listed,
// and imported again with the saved mapping offered: nothing is added twice.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, ROOT, test, navButton } from './fixtures';

// Date (day/month/year, 1–5 March 2026), Weight (lb), Resting HR; row 4's Resting HR is "abc".
const CSV = path.join(ROOT, 'e2e', 'fixtures', 'weight-and-resting-hr.csv');

async function chooseFile(page: Page, file: string) {
  await page.getByLabel('File to import').setInputFiles(file);
}

test.describe('Importing a generic CSV', () => {
  test('maps the columns in the UI, checks and imports them, and a second import adds nothing', async ({ app, page }) => {
    await page.goto(app.url);
    await navButton(page, 'Imports').click();
    await chooseFile(page, CSV);

    const preview = page.getByRole('region', { name: 'weight-and-resting-hr.csv' });
    await expect(preview).toContainText('CSV / spreadsheet: CSV with 3 columns (Date, Weight (lb), Resting HR)');
    // No home zone is set yet: the question is asked, prefilled with the browser's zone.
    const zone = preview.getByLabel('Your home time zone');
    await expect(zone).not.toHaveValue('');
    await zone.fill('Europe/Berlin');

    // What VitalSync suggested from the header: weight in lb, resting heart rate in bpm, and the
    // first reading of the ambiguous dates (month/day/year).
    await expect(preview.getByLabel('Date column')).toHaveValue('Date');
    await expect(preview.getByLabel('Date format')).toHaveValue('mdy');
    await expect(preview.getByLabel('Metric of column Weight (lb)')).toHaveValue('weight');
    await expect(preview.getByLabel('Unit of column Weight (lb)')).toHaveValue('lb');
    await expect(preview.getByLabel('Metric of column Resting HR')).toHaveValue('resting_heart_rate');
    await expect(preview.getByLabel('Unit of column Resting HR')).toHaveValue('bpm');
    // The first rows, as a table.
    await expect(preview.getByRole('cell', { name: '03/03/2026' })).toBeVisible();

    // Changed by hand: the file's dates are day/month/year, and the values are named after the scale.
    await preview.getByLabel('Date format').selectOption({ label: 'day/month/year (5/3/2024)' });
    await preview.getByLabel('Device or app name').fill('Bathroom scale sheet');
    const importButton = preview.getByRole('button', { name: 'Import', exact: true });
    await expect(importButton).toBeDisabled();
    await preview.getByRole('button', { name: 'Check the first rows' }).click();

    const check = preview.getByRole('region', { name: 'Check of the first rows' });
    // 180.2 lb on 1 March 2026 is 81.74 kg; row 4's "abc" is reported and the row's weight kept.
    const first = check.getByRole('row').filter({ hasText: 'Weight' }).first();
    await expect(first).toContainText('2026-03-01');
    await expect(first).toContainText('81.74 kg');
    await expect(check.getByRole('row').filter({ hasText: 'Resting heart rate' }).first()).toContainText('58 bpm');
    const bad = check.getByRole('table', { name: /Not imported/ }).getByRole('row').filter({ hasText: 'abc' });
    await expect(bad).toContainText('4');
    await expect(bad).toContainText('Resting HR');
    await expect(bad).toContainText('"abc" is not a number');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'imports-csv-mapping.png'), fullPage: true });

    await expect(importButton).toBeEnabled();
    await importButton.click();
    await expect(preview).toBeHidden();

    // 5 weights and 4 resting heart rates added; the bad cell is listed with its row, column and reason.
    const history = page.getByRole('list', { name: 'Import history' });
    const job = history.locator('.import-job[data-status="completed"]').first();
    await expect(job).toContainText('9 samples added, 0 already there', { timeout: 30_000 });
    await job.getByText('Details').click();
    await expect(job.getByRole('heading', { name: 'Not imported' })).toBeVisible();
    const errors = job.getByRole('table', { name: /Rows not imported/ });
    await expect(errors.getByRole('row').filter({ hasText: 'abc' })).toContainText('Resting HR');
    // Per type by the column's name, with what was read, added and already there; the rows read as one line.
    const weight = job.getByRole('table', { name: 'Samples by type' }).getByRole('row').filter({ has: page.getByRole('cell', { name: 'Weight (lb)', exact: true }) });
    await expect(weight.getByRole('cell')).toHaveText(['Weight (lb)', '5', '5', '0']);
    await expect(job).toContainText('Rows read: 5 × csv row');
    await expect(job).toContainText('Europe/Berlin');

    // The same file again: the saved mapping is offered (and the zone is not asked again).
    await chooseFile(page, CSV);
    await expect(preview).toContainText('the mapping you used then is filled in');
    await expect(preview.getByLabel('Your home time zone')).toHaveCount(0);
    await expect(preview.getByLabel('Date format')).toHaveValue('dmy');
    await expect(preview.getByLabel('Device or app name')).toHaveValue('Bathroom scale sheet');
    await expect(preview.getByRole('region', { name: 'Check of the first rows' })).toContainText('2026-03-01');
    await preview.getByRole('button', { name: 'Import', exact: true }).click();
    const again = history.locator('.import-job').first();
    await expect(again).toContainText('0 samples added, 9 already there', { timeout: 30_000 });
    await again.getByText('Details').click();
    const weightAgain = again.getByRole('table', { name: 'Samples by type' }).getByRole('row').filter({ has: page.getByRole('cell', { name: 'Weight (lb)', exact: true }) });
    await expect(weightAgain.getByRole('cell')).toHaveText(['Weight (lb)', '5', '0', '5']);
    await expect(history.locator('.import-job[data-status="completed"]')).toHaveCount(2);

    const status = JSON.parse((await app.cli(['status', '--json'])).stdout) as { database: { samples: number } };
    expect(status.database.samples).toBe(9);
    // Both staged copies are gone once their jobs ended.
    await expect.poll(() => fs.readdirSync(path.join(app.dataDir, 'uploads'))).toEqual([]);
  });

  test('a file of one reading per row: the names in its metric column are mapped, one by hand with its unit', async ({ app, page }) => {
    // Date (with time), Type, Value: "Weight (kg)" and "Body temp" (°F) twice, and a "Mood" left unmapped.
    const LONG = path.join(ROOT, 'e2e', 'fixtures', 'readings-one-per-row.csv');
    await page.goto(app.url);
    await navButton(page, 'Imports').click();
    await chooseFile(page, LONG);
    const preview = page.getByRole('region', { name: 'readings-one-per-row.csv' });
    await preview.getByLabel('Your home time zone').fill('Europe/Berlin');
    await expect(preview.getByRole('radio', { name: /One reading per row/ })).toBeChecked();
    await expect(preview.getByLabel('Metric column', { exact: true })).toHaveValue('Type');
    await expect(preview.getByLabel('Value column', { exact: true })).toHaveValue('Value');
    await expect(preview.getByLabel('Metric of Weight (kg)')).toHaveValue('weight');
    await expect(preview.getByLabel('Unit of Weight (kg)')).toHaveValue('kg');
    await expect(preview.getByLabel('Metric of Body temp')).toHaveValue('');
    await expect(preview.getByLabel('Metric of Mood')).toHaveValue('');
    await preview.getByLabel('Metric of Body temp').selectOption({ label: 'Body temperature' });
    await preview.getByLabel('Unit of Body temp').selectOption({ label: '°F' });
    await preview.getByRole('button', { name: 'Check the first rows' }).click();
    const check = preview.getByRole('region', { name: 'Check of the first rows' });
    const temp = check.getByRole('row').filter({ hasText: 'Body temperature' }).first();
    await expect(temp).toContainText('2026-03-01 07:31');
    await expect(temp).toContainText('37 °C');
    await preview.getByRole('button', { name: 'Import', exact: true }).click();
    const job = page.getByRole('list', { name: 'Import history' }).locator('.import-job[data-status="completed"]');
    await expect(job).toContainText('4 samples added, 0 already there', { timeout: 30_000 });
    await job.getByText('Details').click();
    await expect(job.getByRole('heading', { name: 'Notes' })).toBeVisible();
    await expect(job.getByRole('list', { name: 'Notes' })).toContainText('rows of "Mood" skipped');
  });

  test('a file no importer recognises says what VitalSync reads and what to do, and imports nothing', async ({ app, page }) => {
    await page.goto(app.url);
    await navButton(page, 'Imports').click();
    await page.getByLabel('File to import').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    const preview = page.getByRole('region', { name: 'notes.txt' });
    await expect(preview).toContainText('does not recognise "notes.txt"');
    await expect(preview).toContainText('any CSV with a header row');
    await expect(preview.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0);
    await preview.getByRole('button', { name: 'Close' }).click();
    await expect(preview).toBeHidden();
    await expect(page.getByText('No imports yet.')).toBeVisible();
    await expect.poll(() => fs.readdirSync(path.join(app.dataDir, 'uploads'))).toEqual([]);
  });

  test('a CSV with only its header says there is nothing in it, and cannot be imported', async ({ page, app }) => {
    await page.goto(app.url);
    await navButton(page, 'Imports').click();
    await page.getByLabel('File to import').setInputFiles({ name: 'steps.csv', mimeType: 'text/csv', buffer: Buffer.from('Date,Steps\n') });
    const preview = page.getByRole('region', { name: 'steps.csv' });
    await expect(preview.getByRole('alert')).toHaveText(/^This file has only its header row: there is nothing in it to import\./);
    await expect(preview.getByRole('button', { name: 'Check the first rows' })).toHaveCount(0);
    await expect(preview.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
  });

  test('a zip that cannot be opened says why, and can still be read as an Apple Health export cut short', async ({ app, page }) => {
    await page.goto(app.url);
    await navButton(page, 'Imports').click();
    // The first bytes of a zip and nothing after them.
    await page.getByLabel('File to import').setInputFiles({ name: 'export.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\x03\x04 cut short here') });
    const preview = page.getByRole('region', { name: 'export.zip' });
    await expect(preview.locator('.import-error').first()).not.toBeEmpty();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await preview.screenshot({ path: path.join(ARTIFACTS, 'imports-zip-cut-short.png') });
    await preview.getByRole('button', { name: 'Import it as an Apple Health export anyway' }).click();
    const job = page.getByRole('list', { name: 'Import history' }).locator('.import-job').first();
    await expect(job).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
    await expect(job.locator('.import-error')).not.toBeEmpty();
    // The page says so too, as an error with the job's own message.
    const jobError = (await job.locator('.import-error').first().textContent())!.trim();
    await expect(page.getByRole('alert').filter({ hasText: 'export.zip: the import failed.' })).toContainText(jobError);
    await job.screenshot({ path: path.join(ARTIFACTS, 'imports-zip-cut-short-job.png') });
    await expect.poll(() => fs.readdirSync(path.join(app.dataDir, 'uploads'))).toEqual([]);
  });
});
