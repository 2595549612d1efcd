// Export in browser mode: a month of merged daily values downloaded as CSV from the Export page,
// its rows checked against the sources it was made from (the watch's walk, the phone filling the
// minutes the watch left) and against `vitalsync query`.
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, expect, ROOT, test, navButton } from './fixtures';

// VitalSync's own raw CSV export: 26 Feb – 3 Apr 2026, Berlin. Each day the watch counts a walk
// 08:00–08:30 (1,000 + n steps, n = 1 on 26 Feb) and the phone 08:20–08:50 (300 steps); the
// scale weighs on the 7th, 14th, 21st and 28th.
const RAW = path.join(ROOT, 'e2e', 'fixtures', 'vitalsync-raw-export-feb-apr-2026.csv');

test.describe('Export', () => {
  test('exports a month as CSV from the Export page in browser mode', async ({ app, page }) => {
    expect((await app.cli(['settings', 'set', 'homeTimeZone', 'Europe/Berlin'])).code).toBe(0);
    const imported = await app.cli(['import', RAW, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ status: 'completed', samples: { inserted: 79 } });

    await page.goto(app.url);
    await navButton(page, 'Export').click();
    await expect(page.getByRole('heading', { name: 'Export' })).toBeVisible();
    // It opens on the month of the latest data (April); this export is of March.
    await expect(page.getByLabel('From')).toHaveValue('2026-04-01');
    await page.getByLabel('Format').selectOption('csv');
    await page.getByLabel('Merged daily values, with the sources behind each').check();
    await page.getByLabel('From').fill('2026-03-01');
    await page.getByLabel('To').fill('2026-03-31');
    await page.getByLabel('All metrics').uncheck();
    await page.getByLabel('Steps').check();
    await page.getByLabel('Weight').check();
    await page.screenshot({ path: path.join(ARTIFACTS, 'export-page.png') });

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('vitalsync-merged-2026-03-01-to-2026-03-31.csv');
    await expect(page.getByRole('status')).toContainText('Downloaded vitalsync-merged-2026-03-01-to-2026-03-31.csv');
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('metric,day,value,unit,min,max,excluded,sources,stages');
    const rows = lines.slice(1).map((l) => {
      const [metric, day, value] = l.split(',');
      return { metric, day, value: Number(value), line: l };
    });
    const steps = rows.filter((r) => r.metric === 'steps');
    // Every day of March, none of February or April.
    expect(steps.map((r) => r.day)).toEqual(Array.from({ length: 31 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`));
    // 1 March is day 4 of the file: the watch's 1,004 steps plus the phone's 20 uncovered minutes of 30 (200).
    expect(steps[0].value).toBe(1204);
    expect(steps.every((r, i) => r.value === 1204 + i)).toBe(true);
    expect(steps.reduce((a, r) => a + r.value, 0)).toBe(37_789);
    expect(steps[0].line).toContain('""origin"":""Jane’s Apple Watch""');
    expect(steps[0].line).toContain('""origin"":""Jane’s iPhone""');
    expect(rows.filter((r) => r.metric === 'weight').map((r) => [r.day, r.value])).toEqual([
      ['2026-03-07', 70.7],
      ['2026-03-14', 71.4],
      ['2026-03-21', 72.1],
      ['2026-03-28', 72.8],
    ]);
    // The same numbers as the command line's merge.
    const query = JSON.parse((await app.cli(['query', 'steps', '--from', '2026-03-01', '--to', '2026-03-31', '--json'])).stdout) as { buckets: { start: string; value: number }[] };
    expect(steps.map((r) => [r.day, r.value])).toEqual(query.buckets.map((b) => [b.start, b.value]));
  });
});
