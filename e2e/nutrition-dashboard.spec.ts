// MyFitnessPal nutrition beside Apple Health steps: a small Apple Health export (chosen on the
// Imports page) and a MyFitnessPal Nutrition-Summary CSV (dropped on the window) are imported
// through the UI, and the dashboard charts both over the same range.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, ROOT, test, navButton } from './fixtures';

// Jane's iPhone: 8,000 steps on 2 July 2024, 9,500 on the 3rd, 7,200 on the 4th (+02:00).
const APPLE = path.join(ROOT, 'e2e', 'fixtures', 'export-steps-2024-07-02-to-04.xml');
// MyFitnessPal meals: 518 + 561 + 489 + 628.8 = 2,196.8 kcal on the 2nd, 402.4 + 487 = 889.4
// on the 3rd, 350 + 612.5 + 700.1 = 1,662.6 on the 4th.
const MFP = path.join(ROOT, 'e2e', 'fixtures', 'Nutrition-Summary-2024-07-02-to-2024-07-04.csv');
// MyFitnessPal weights with no unit anywhere: 85.5, 84.5, 84.7 and 84.5 on 2, 4, 8 and 9 July 2024.
const WEIGHTS = path.join(ROOT, 'e2e', 'fixtures', 'Measurement-Summary-2024-07-02-to-2024-07-09.csv');

async function setHomeZone(page: Page, zone: string) {
  await navButton(page, 'Settings').click();
  const home = page.getByLabel('Home time zone');
  await home.fill(zone);
  await home.press('Enter');
  await expect(page.getByText('Not set: days of such data')).toBeHidden();
}

/** Drops a file from disk on the window, as the person would. */
async function dropFile(page: Page, file: string, type: string) {
  const transfer = await page.evaluateHandle(
    ([b64, name, mime]) => {
      const dom = globalThis as unknown as {
        atob(s: string): string;
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: unknown[], name: string, opts: { type: string }) => unknown;
      };
      const dt = new dom.DataTransfer();
      dt.items.add(new dom.File([Uint8Array.from(dom.atob(b64), (c) => c.charCodeAt(0))], name, { type: mime }));
      return dt;
    },
    [fs.readFileSync(file).toString('base64'), path.basename(file), type] as const,
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
}

/** The chart's numbers as its table shows them: day -> value text. */
async function chartTable(page: Page, chart: string): Promise<Record<string, string>> {
  const card = page.locator(`[data-chart="${chart}"]`);
  await expect(card).toHaveAttribute('data-state', 'ready');
  await card.getByRole('button', { name: 'Show as table' }).click();
  const rows = card.locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const out: Record<string, string> = {};
  for (const row of await rows.all()) out[(await row.locator('th').innerText()).trim()] = (await row.locator('td').first().innerText()).trim();
  return out;
}

test.describe('Nutrition beside steps', () => {
  test('the dashboard shows MyFitnessPal energy eaten beside Apple Health steps in the same range', async ({ app, page }) => {
    test.setTimeout(90_000);
    await page.goto(app.url);
    // The home zone both files are read in.
    await setHomeZone(page, 'Europe/Berlin');

    // Apple Health, chosen on the page: recognised and nothing to ask, but a chosen file waits
    // on its preview until Import.
    await navButton(page, 'Imports').click();
    await page.getByLabel('File to import').setInputFiles(APPLE);
    const apple = page.getByRole('region', { name: path.basename(APPLE) });
    await expect(apple).toContainText('Apple Health export');
    await apple.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Apple Health export' })).toBeVisible();
    const history = page.getByRole('list', { name: 'Import history' });
    await expect(history.locator('.import-job[data-status="completed"]').filter({ hasText: 'export-steps' })).toContainText('5 samples added', { timeout: 30_000 });

    // MyFitnessPal, dropped on the window: recognised as MyFitnessPal, and the generic CSV importer
    // reads it too, so even a drop waits on the preview, MyFitnessPal chosen and changeable.
    await dropFile(page, MFP, 'text/csv');
    const preview = page.getByRole('region', { name: path.basename(MFP) });
    await expect(preview).toContainText('MyFitnessPal');
    await expect(preview.getByLabel('Import as')).toHaveValue('myfitnesspal');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await preview.screenshot({ path: path.join(ARTIFACTS, 'imports-myfitnesspal-preview.png') });
    await preview.getByRole('button', { name: 'Import', exact: true }).click();
    const mfp = history.locator('.import-job[data-status="completed"]').filter({ hasText: 'Nutrition-Summary' });
    await expect(mfp).toBeVisible({ timeout: 30_000 });
    await expect(mfp).toContainText('MyFitnessPal');
    // Its details: each stored type by its own name with what was read, added and already there;
    // the meals read as one line; the note under Notes (nothing was refused, so no "Not imported").
    await mfp.getByText('Details').click();
    const fat = mfp.getByRole('table', { name: 'Samples by type' }).getByRole('row').filter({ has: page.getByRole('cell', { name: 'Fat (g)', exact: true }) });
    await expect(fat.getByRole('cell')).toHaveText(['Fat (g)', '3', '3', '0']);
    await expect(mfp).toContainText('Rows read: 9 × Nutrition-Summary meal');
    await expect(mfp).not.toContainText('nutrition:');
    await expect(mfp.getByRole('heading', { name: 'Not imported' })).toHaveCount(0);
    await expect(mfp.getByRole('list', { name: 'Notes' })).toContainText('3 × dates of meals summed into daily totals');

    // The dashboard: the month ending on the last day with data, for both charts.
    await navButton(page, 'Dashboard').click();
    await expect(page.locator('.range-label')).toHaveText('2024-06-05 – 2024-07-04');
    const energy = page.getByRole('region', { name: 'Energy eaten · daily total' });
    await expect(energy).toHaveAttribute('data-state', 'ready');
    await expect(energy.getByRole('list', { name: 'Sources' })).toContainText('MyFitnessPal');
    await expect(page.getByRole('region', { name: 'Steps · daily total' }).getByRole('list', { name: 'Sources' })).toContainText('Jane’s iPhone');
    await energy.scrollIntoViewIfNeeded();
    await expect(energy.locator('svg').first()).toBeVisible();
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-nutrition-beside-steps.png'), fullPage: true });

    expect(await chartTable(page, 'steps')).toEqual({ '2024-07-02': '8,000 steps', '2024-07-03': '9,500 steps', '2024-07-04': '7,200 steps' });
    expect(await chartTable(page, 'energy-eaten')).toEqual({ '2024-07-02': '2,197 kcal', '2024-07-03': '889 kcal', '2024-07-04': '1,663 kcal' });
  });

  test('weights with no unit anywhere are imported once the person says the unit', async ({ app, page }) => {
    await page.goto(app.url);
    await setHomeZone(page, 'Europe/Berlin');
    await navButton(page, 'Imports').click();
    await page.getByLabel('File to import').setInputFiles(WEIGHTS);
    const preview = page.getByRole('region', { name: path.basename(WEIGHTS) });
    await expect(preview).toContainText('MyFitnessPal');
    const unit = preview.getByRole('group', { name: 'Weight unit' });
    await expect(unit).toContainText('writes weights without a unit');
    const importButton = preview.getByRole('button', { name: 'Import', exact: true });
    await expect(importButton).toBeDisabled();
    await unit.getByLabel('Kilograms (kg)').check();
    await importButton.click();
    const job = page.getByRole('list', { name: 'Import history' }).locator('.import-job[data-status="completed"]');
    await expect(job).toContainText('4 samples added, 0 already there', { timeout: 30_000 });
    const q = await app.cli(['query', 'weight', '--from', '2024-07-01', '--to', '2024-07-10', '--json']);
    const weights = JSON.parse(q.stdout) as { buckets: { start: string; value: number }[] };
    expect(weights.buckets.map((b) => [b.start, b.value])).toEqual([
      ['2024-07-02', 85.5],
      ['2024-07-04', 84.5],
      ['2024-07-08', 84.7],
      ['2024-07-09', 84.5],
    ]);
  });
});
