import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { writeSyntheticExport } from '../src/main/core/imports/apple-health/synthetic';
import { expect, ROOT, test, navButton } from './fixtures';

/** A synthetic export.zip big enough that its import visibly runs for a moment. */
async function exportZip(): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-e2e-export-'));
  try {
    const { routes } = writeSyntheticExport(dir, 30_000_000, 5);
    const z = new yazl.ZipFile();
    z.addFile(path.join(dir, 'export.xml'), 'apple_health_export/export.xml');
    for (const r of routes.slice(0, 50)) z.addFile(path.join(dir, r), `apple_health_export/${r}`);
    z.end();
    const chunks: Buffer[] = [];
    for await (const c of z.outputStream) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test.describe('Importing an Apple Health export in the browser', () => {
  test('dropping export.zip on the window shows the overlay, runs the progress bar and lists the finished job', async ({ app, page }) => {
    test.setTimeout(120_000);
    const zip = await exportZip();
    await page.goto(app.url);
    await expect(navButton(page, 'Imports')).toBeVisible();

    // Build the dropped file inside the page from the fixture's bytes.
    const transfer = await page.evaluateHandle((b64) => {
      // Runs in the page (DOM types are not in this file's lib).
      const dom = globalThis as unknown as {
        atob(s: string): string;
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: unknown[], name: string, opts: { type: string }) => unknown;
      };
      const bytes = Uint8Array.from(dom.atob(b64), (c) => c.charCodeAt(0));
      const dt = new dom.DataTransfer();
      dt.items.add(new dom.File([bytes], 'export.zip', { type: 'application/zip' }));
      return dt;
    }, zip.toString('base64'));
    await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
    await expect(page.getByText('Drop to import')).toBeVisible();
    await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
    await expect(page.getByText('Drop to import')).toBeHidden();

    // The import page opens, says what it recognised and how to stop it (only Apple Health reads
    // the file and it has nothing to ask, so a dropped one starts at once) and the progress bar runs.
    await expect(page.getByRole('heading', { name: 'Imports', level: 1 })).toBeVisible();
    const notice = page.getByRole('status').filter({ hasText: 'export.zip: Apple Health export (apple_health_export/export.xml' });
    await expect(notice).toBeVisible({ timeout: 30_000 });
    await expect(notice).toContainText('so it is being imported as Apple Health');
    await expect(notice).toContainText('Cancel on its progress bar stops it');
    const bar = page.getByRole('progressbar', { name: /Import of export\.zip/ });
    await expect(bar).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/records\/s/)).toBeVisible();

    // …and the job completes in the history, with counts per type.
    const job = page.locator('.import-job[data-status="completed"]').filter({ hasText: 'export.zip' });
    await expect(job).toBeVisible({ timeout: 60_000 });
    await expect(bar).toBeHidden();
    await expect(job).toContainText(/samples added/);
    // The status line now says how it ended, in the past tense, with the history's own count.
    const added = /([\d,]+) samples added/.exec((await job.textContent())!)![1];
    const ended = page.getByRole('status').filter({ hasText: new RegExp(`^export\\.zip is imported: ${added} samples added, 0 already there(, [\\d,]+ workouts? added)?\\.`) });
    await expect(ended).toBeVisible();
    await expect(page.getByText('Cancel on its progress bar stops it')).toHaveCount(0);
    await job.getByText('Details').click();
    await expect(job.getByRole('cell', { name: 'HeartRate', exact: true })).toBeVisible();

    // The same data is in the database the CLI sees; the uploaded copy is gone.
    const status = JSON.parse((await app.cli(['status', '--json'])).stdout) as { database: { samples: number; importJobs: number } };
    expect(status.database.samples).toBeGreaterThan(50_000);
    expect(status.database.importJobs).toBe(1);
    await expect.poll(() => fs.readdirSync(path.join(app.dataDir, 'uploads'))).toEqual([]);
  });

  test('a file chosen on the page is never imported at once: its preview names the importer, which can be changed, then Import or Cancel', async ({ app, page }) => {
    const fixture = (name: string) => path.join(ROOT, 'e2e', 'fixtures', name);
    await page.goto(app.url);
    await navButton(page, 'Imports').click();
    await expect(page.getByText('A file chosen here is never imported at once')).toBeVisible();

    // An Apple Health export: one importer and nothing to ask, still only previewed.
    await page.getByLabel('File to import').setInputFiles(fixture('export-steps-2024-07-02-to-04.xml'));
    const apple = page.getByRole('region', { name: 'export-steps-2024-07-02-to-04.xml' });
    await expect(apple).toHaveAttribute('data-state', 'ready');
    await expect(apple).toContainText('Apple Health export');
    await expect(apple.getByRole('button', { name: 'Import', exact: true })).toBeEnabled();
    await expect(page.getByRole('progressbar')).toHaveCount(0);
    await apple.getByRole('button', { name: 'Cancel' }).click();
    await expect(apple).toBeHidden();
    await expect(page.getByText('No imports yet.')).toBeVisible();

    // A MyFitnessPal CSV: MyFitnessPal chosen, and CSV / spreadsheet offered with the file's rows.
    await page.getByLabel('File to import').setInputFiles(fixture('Nutrition-Summary-2024-07-02-to-2024-07-04.csv'));
    const mfp = page.getByRole('region', { name: 'Nutrition-Summary-2024-07-02-to-2024-07-04.csv' });
    const importAs = mfp.getByLabel('Import as');
    await expect(importAs).toHaveValue('myfitnesspal');
    await expect(importAs.getByRole('option')).toHaveText(['MyFitnessPal', 'CSV / spreadsheet']);
    await expect(mfp.getByRole('button', { name: 'Check the first rows' })).toHaveCount(0);
    await importAs.selectOption({ label: 'CSV / spreadsheet' });
    await expect(mfp.getByRole('button', { name: 'Check the first rows' })).toBeVisible();
    await expect(mfp.getByRole('cell', { name: 'Breakfast' }).first()).toBeVisible();
    await importAs.selectOption({ label: 'MyFitnessPal' });
    await expect(mfp.getByRole('button', { name: 'Check the first rows' })).toHaveCount(0);
    await mfp.getByRole('button', { name: 'Cancel' }).click();
    await expect(mfp).toBeHidden();
    await expect(page.getByText('No imports yet.')).toBeVisible();
    const status = JSON.parse((await app.cli(['status', '--json'])).stdout) as { database: { samples: number; importJobs: number } };
    expect(status.database).toMatchObject({ samples: 0, importJobs: 0 });
    await expect.poll(() => fs.readdirSync(path.join(app.dataDir, 'uploads'))).toEqual([]);
  });
});
