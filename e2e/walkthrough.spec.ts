// The walk issue #12 asks for, as a new person meets the app: an empty data folder, the first run
// (home zone confirmed, export.zip chosen with the button, previewed and imported), a dashboard
// with data, a workout opened with its route drawn as an SVG path, a month exported as CSV from
// the Export page, and Back to the page before with its range. Real built app, browser mode.
import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { expect, ROOT, test, navButton } from './fixtures';

// An unzipped Apple Health export: Sam's Apple Watch counts a walk each day 20–26 April 2026
// (5,000 + 100 × (day − 20) steps), and on 25 April 07:00–07:40 in Paris a 6.4 km run with its
// GPX route (20 points) and 21 heart-rate readings.
const EXPORT_DIR = path.join(ROOT, 'e2e', 'fixtures', 'walkthrough-export');

/** export.zip as the iPhone makes it (apple_health_export/…), from the fixture folder. */
async function zipExport(dir: string, out: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const add = (abs: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const file = path.join(abs, entry.name);
      if (entry.isDirectory()) add(file);
      else zip.addFile(file, path.relative(dir, file).split(path.sep).join('/'));
    }
  };
  add(dir);
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(out)).on('close', resolve).on('error', reject);
  });
}

test.describe('Walkthrough', () => {
  test('first run from an empty data folder → import → dashboard → workout route → CSV export → Back', async ({ app, page }, testInfo) => {
    const exportZip = testInfo.outputPath('export.zip');
    fs.mkdirSync(path.dirname(exportZip), { recursive: true });
    await zipExport(EXPORT_DIR, exportZip);

    // An empty data folder: no samples, no home zone yet.
    const status = await app.cli(['settings', 'get', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ homeTimeZone: null });

    // 1. The first run: steps, the home zone confirmed, then the button's export.zip.
    await page.goto(app.url);
    const welcome = page.getByRole('region', { name: 'Welcome to VitalSync' });
    await expect(welcome).toBeVisible();
    await expect(welcome.getByRole('list', { name: 'Export steps on the iPhone' })).toContainText('Export All Health Data');
    const choose = welcome.getByRole('button', { name: 'Choose export.zip…' });
    await expect(choose).toBeDisabled();
    await welcome.getByLabel('Home time zone').fill('Europe/Paris');
    await welcome.getByRole('button', { name: 'Confirm home time zone' }).click();
    await expect(welcome).toContainText('Home time zone: Europe/Paris (confirmed)');
    await expect(choose).toBeEnabled();

    const chooser = page.waitForEvent('filechooser');
    await choose.click();
    await (await chooser).setFiles(exportZip);
    const preview = welcome.getByRole('region', { name: 'export.zip' });
    await expect(preview).toContainText('Apple Health export');
    await preview.getByRole('button', { name: 'Import', exact: true }).click();

    // 2. A dashboard with data: the first run gives way to the charts, ending on the latest day.
    const steps = page.locator('[data-chart="steps"]');
    await expect(steps).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await expect(welcome).toHaveCount(0);
    await expect(page).toHaveURL(/#\/dashboard/);
    await expect(page.locator('.range-label')).toHaveText('2026-03-28 – 2026-04-26');
    const imported = JSON.parse((await app.cli(['query', 'steps', '--from', '2026-04-20', '--to', '2026-04-26', '--json'])).stdout) as { buckets: { start: string; value: number }[] };
    expect(imported.buckets.map((b) => b.value)).toEqual([5000, 5100, 5200, 5300, 5400, 5500, 5600]);

    // A range of its own: the week (a history entry, #/dashboard?span=week).
    await page.getByRole('radio', { name: 'Week' }).click();
    await expect(page).toHaveURL(/#\/dashboard\?span=week$/);
    await expect(page.locator('.range-label')).toHaveText('2026-04-20 – 2026-04-26');
    const weekUrl = page.url();

    // 3. The run, opened from the workouts list: its route is an SVG path, drawn without map tiles.
    const origin = new URL(app.url).origin;
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
    });
    const workouts = page.locator('[data-chart="workouts"]');
    await workouts.scrollIntoViewIfNeeded();
    await expect(workouts).toHaveAttribute('data-state', 'ready');
    await workouts.getByRole('button', { name: 'Open the Running of 2026-04-25' }).click();
    const detail = page.getByRole('dialog', { name: /Running/ });
    await expect(detail).toBeVisible();
    await expect(page).toHaveURL(/#\/dashboard\?span=week&workout=\d+$/);
    const route = detail.locator('svg.route-map');
    await expect(route).toHaveAttribute('data-points', '20');
    const line = route.locator('path.route-line');
    await expect(line).toBeVisible();
    expect((await line.getAttribute('d'))!.match(/[ML]/g)).toHaveLength(20);
    await expect(detail.locator('svg.hr-chart')).toHaveAttribute('data-points', '21');
    await expect(detail).toContainText('6.4 km');
    // Back closes the workout and leaves the week as it was.
    await page.goBack();
    await expect(detail).toHaveCount(0);
    expect(page.url()).toBe(weekUrl);

    // 4. Export April as CSV from the Export page (it opens on the month of the latest data).
    await navButton(page, 'Export').click();
    await expect(page.getByRole('heading', { name: 'Export', level: 1 })).toBeVisible();
    await expect(page).toHaveURL(/#\/export$/);
    await expect(page.getByLabel('From')).toHaveValue('2026-04-01');
    await expect(page.getByLabel('To')).toHaveValue('2026-04-30');
    await page.getByLabel('Format').selectOption('csv');
    await page.getByLabel('Merged daily values, with the sources behind each').check();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('vitalsync-merged-2026-04-01-to-2026-04-30.csv');
    await expect(page.getByRole('status')).toContainText('Downloaded vitalsync-merged-2026-04-01-to-2026-04-30.csv');
    const lines = fs.readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('metric,day,value,unit,min,max,excluded,sources,stages');
    const stepRows = lines.filter((l) => l.startsWith('steps,'));
    expect(stepRows.map((l) => l.split(',').slice(1, 3).join(','))).toEqual([
      '2026-04-20,5000',
      '2026-04-21,5100',
      '2026-04-22,5200',
      '2026-04-23,5300',
      '2026-04-24,5400',
      '2026-04-25,5500',
      '2026-04-26,5600',
    ]);
    expect(stepRows[2]).toBe('steps,2026-04-22,5200,count,,,0,"[{""source"":""apple_health"",""origin"":""Sam’s Apple Watch"",""share"":1}]",');

    // 5. Back lands on the page before: the dashboard, with its week.
    await page.goBack();
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
    expect(page.url()).toBe(weekUrl);
    await expect(page.getByRole('radio', { name: 'Week' })).toHaveAttribute('aria-checked', 'true');
    await expect(page.locator('.range-label')).toHaveText('2026-04-20 – 2026-04-26');
    await expect(steps).toHaveAttribute('data-state', 'ready');
    expect(foreign, 'requests to anywhere but the app').toEqual([]);
  });
});
