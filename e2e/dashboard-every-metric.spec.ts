// Every metric with data gets a chart of its kind: blood pressure as paired systolic and
// diastolic, all-day heart rate as a range band with its average, SpO2 as readings with the
// day's band, distance as a daily total. Charts without data are hidden and can be added back;
// a device keeps its colour in every chart and after a reload; the range lives in the URL.
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, ROOT, test } from './fixtures';

// 1–5 May 2026: a Watch (heart rate through the day, SpO2 at night, distance), an iPhone
// (evening distance) and Health Mate (one blood-pressure reading each morning).
const FIXTURE = path.join(ROOT, 'e2e', 'fixtures', 'export-vitals-bp-hr-spo2-distance.xml');
const WATCH = 'apple_health:Jane’s Apple Watch';

async function open(app: { url: string; cli(args: string[]): Promise<{ code: number; stderr: string }> }, page: Page) {
  const res = await app.cli(['import', FIXTURE, '--json']);
  expect(res.code, res.stderr).toBe(0);
  await page.goto(app.url);
}

async function table(page: Page, chart: string): Promise<Locator> {
  const card = page.locator(`[data-chart="${chart}"]`);
  await expect(card).toHaveAttribute('data-state', 'ready');
  await card.getByRole('button', { name: 'Show as table' }).click();
  return card.locator('tbody tr');
}

async function swatch(page: Page, chart: string, origin = WATCH): Promise<string> {
  const sw = page.locator(`[data-chart="${chart}"] .source-legend li[data-origin="${origin}"] .swatch`);
  await expect(sw).toBeVisible();
  return (await sw.getAttribute('style')) ?? '';
}

test.describe('Dashboard: a chart for every metric with data', () => {
  test('blood pressure, heart rate, SpO2 and distance each get a chart of their kind, labelled with how the value is made', async ({ app, page }) => {
    await open(app, page);
    // "Latest data" is the newest charted day; the month ends there.
    await expect(page.locator('.range-label')).toHaveText('2026-04-06 – 2026-05-05');

    const bp = page.getByRole('region', { name: 'Blood pressure · daily average' });
    await expect(bp).toHaveAttribute('data-variant', 'pair');
    await expect(bp.getByRole('list', { name: 'Readings' })).toHaveText(/Systolic blood pressure\s*Diastolic blood pressure/);
    await expect(bp.getByRole('list', { name: 'Sources' })).toContainText('Health Mate (Apple Health)');
    const bpRows = await table(page, 'blood-pressure');
    await expect(bpRows).toHaveCount(5);
    await expect(bpRows.last()).toContainText('2026-05-05');
    await expect(bpRows.last()).toContainText('123 mmHg');
    await expect(bpRows.last()).toContainText('81 mmHg');

    const hr = page.getByRole('region', { name: 'Heart rate, range and average · daily average' });
    await expect(hr).toHaveAttribute('data-variant', 'range');
    await expect(hr.getByRole('list', { name: 'Lines' })).toContainText('Range of the day’s readings (lowest–highest)');
    const hrRows = await table(page, 'heart-rate');
    await expect(hrRows.first()).toContainText('2026-05-01');
    await expect(hrRows.first()).toContainText('readings 59 bpm – 131 bpm');

    const spo2 = page.getByRole('region', { name: 'Blood oxygen (SpO2) · daily average' });
    await expect(spo2).toHaveAttribute('data-variant', 'readings');
    const spo2Rows = await table(page, 'spo2');
    await expect(spo2Rows.first()).toContainText('readings 95 % – 98 %');

    const distance = page.getByRole('region', { name: 'Distance · daily total' });
    await expect(distance).toHaveAttribute('data-variant', 'bars');
    await expect(distance.getByRole('list', { name: 'Sources' })).toContainText('Jane’s Apple Watch (Apple Health)');
    await expect(distance.getByRole('list', { name: 'Sources' })).toContainText('Jane’s iPhone (Apple Health)');
    await expect(distance.locator('svg').first()).toBeVisible();
    // No raw source ids anywhere on the page.
    await expect(page.locator('main')).not.toContainText('apple_health');
  });

  test('a range with no data for a chart that has data elsewhere says where its data is, not to import it, and goes there', async ({ app, page }) => {
    await open(app, page);
    await expect(page.locator('[data-chart="distance"]')).toHaveAttribute('data-state', 'ready');
    await page.goto(`${app.url.split('#')[0]}#/dashboard?span=week&end=2001-01-07`);
    const distance = page.locator('[data-chart="distance"]');
    await expect(distance).toHaveAttribute('data-state', 'empty');
    await expect(distance).toContainText(/No data for Distance in this range\. It has data from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\./);
    await expect(distance).not.toContainText('would fill this chart');
    // Its button moves the range (the same span) to end on the chart's last day with data.
    const last = /to (\d{4}-\d{2}-\d{2})\./.exec((await distance.locator('.chart-empty').textContent())!)![1];
    await distance.getByRole('button', { name: `Go to ${last}` }).click();
    await expect(page).toHaveURL(new RegExp(`span=week&end=${last}$`));
    await expect(distance).toHaveAttribute('data-state', 'ready');
  });

  test('a chart without data is hidden, can be added back (kept after a reload) and hidden again', async ({ app, page }) => {
    await open(app, page);
    await expect(page.locator('[data-chart="distance"]')).toHaveAttribute('data-state', 'ready');
    await expect(page.locator('[data-chart="weight"]')).toHaveCount(0);
    await expect(page.locator('[data-chart="steps"]')).toHaveCount(0);
    await page.getByRole('button', { name: /Show more charts/ }).click();
    await page.getByRole('list', { name: 'Charts without data' }).getByRole('button', { name: 'Add Weight' }).click();
    const weight = page.locator('[data-chart="weight"]');
    await expect(weight).toHaveAttribute('data-state', 'empty');
    await expect(weight).toContainText('No data for Weight in this range.');
    await page.reload();
    await expect(weight).toHaveAttribute('data-state', 'empty');
    await weight.getByRole('button', { name: 'Hide chart' }).click();
    await expect(weight).toHaveCount(0);
    await page.getByRole('button', { name: /Show more charts/ }).click();
    await expect(page.getByRole('list', { name: 'Charts without data' }).getByRole('button', { name: 'Add Weight' })).toBeVisible();
  });

  test('a device has the same colour in two charts and after a reload', async ({ app, page }) => {
    await open(app, page);
    const inDistance = await swatch(page, 'distance');
    const inHeartRate = await swatch(page, 'heart-rate');
    expect(inDistance).toBe(inHeartRate);
    // Two devices in one chart never share a colour.
    expect(await swatch(page, 'distance', 'apple_health:Jane’s iPhone')).not.toBe(inDistance);
    await page.reload();
    expect(await swatch(page, 'heart-rate')).toBe(inDistance);
    expect(await swatch(page, 'distance')).toBe(inDistance);
  });

  test('the range is in the URL: Back and reload keep it, and the Day view states day totals', async ({ app, page }) => {
    await open(app, page);
    const label = page.locator('.range-label');
    await expect(label).toHaveText('2026-04-06 – 2026-05-05');
    await page.getByRole('radio', { name: 'Week' }).click();
    await expect(label).toHaveText('2026-04-29 – 2026-05-05');
    await expect(page).toHaveURL(/#\/dashboard\?span=week/);
    await page.getByRole('button', { name: 'Previous week' }).click();
    await expect(label).toHaveText('2026-04-22 – 2026-04-28');
    await expect(page).toHaveURL(/end=2026-04-28/);
    await page.reload();
    await expect(label).toHaveText('2026-04-22 – 2026-04-28');
    await page.goBack();
    await expect(label).toHaveText('2026-04-29 – 2026-05-05');
    await page.goBack();
    await expect(label).toHaveText('2026-04-06 – 2026-05-05');

    await page.getByRole('radio', { name: 'Day' }).click();
    await expect(label).toHaveText('2026-05-05');
    // 1.7 + 2.0 km from the Watch and 0.5 km from the iPhone.
    await expect(page.locator('[data-chart="distance"] .day-total')).toHaveText('Day total: 4.2 km');
    await expect(page.locator('[data-chart="blood-pressure"] .day-total')).toHaveText('Day average: 123 / 81 mmHg');
    await expect(page.locator('[data-chart="heart-rate"] .day-total')).toHaveText(/^Day average: \d+ bpm \(readings 63 bpm – 135 bpm\)$/);

    // The span is one Tab stop, and the arrow keys (Home, End) move the choice.
    const spans = page.getByRole('radiogroup', { name: 'Span' });
    await expect(spans.getByRole('radio', { name: 'Day' })).toHaveAttribute('tabindex', '0');
    await expect(spans.getByRole('radio', { name: 'Week' })).toHaveAttribute('tabindex', '-1');
    await spans.getByRole('radio', { name: 'Day' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(label).toHaveText('2026-04-29 – 2026-05-05');
    await expect(spans.getByRole('radio', { name: 'Week' })).toBeFocused();
    await page.keyboard.press('End');
    await expect(page).toHaveURL(/span=year/);
    await page.keyboard.press('ArrowRight');
    await expect(label).toHaveText('2026-05-05');
    await expect(spans.getByRole('radio', { name: 'Day' })).toBeFocused();
  });

  test('the Year view: a click anywhere in a day’s column explains that day, and a chart below the view is drawn once scrolled to', async ({ app, page }) => {
    // A window short enough that the last of the four charts starts well below it.
    await page.setViewportSize({ width: 1280, height: 700 });
    await open(app, page);
    const cards = page.locator('[data-chart][data-range]');
    const first = cards.first();
    const last = cards.last();
    // The import's metrics are merged in the background: all four charts first.
    await expect(cards).toHaveCount(4);
    for (const card of await cards.all()) await expect(card).toHaveAttribute('data-state', 'ready');
    await expect(first).toHaveAttribute('data-drawn', '2026-04-06/2026-05-05/day');
    expect((await last.boundingBox())!.y, 'the last chart starts below the window').toBeGreaterThan(700 + 100);

    await page.getByRole('radio', { name: 'Year' }).click();
    const year = '2025-05-06/2026-05-05/day';
    await expect(first).toHaveAttribute('data-drawn', year);
    // A chart out of view has the year's data but is drawn only when a person scrolls to it.
    await expect(last).toHaveAttribute('data-shown', year);
    await expect(last).not.toHaveAttribute('data-drawn', year);
    await last.scrollIntoViewIfNeeded();
    await expect(last).toHaveAttribute('data-drawn', year);

    // A year of bars is one shape per device, a bar for each of the 365 days (most of them 0 high).
    const distance = page.locator('[data-chart="distance"]');
    await distance.scrollIntoViewIfNeeded();
    const bars = await distance.locator('.chart svg path').evaluateAll((paths) => Math.max(...paths.map((p) => (p.getAttribute('d') ?? '').split('M').length - 1)));
    expect(bars, 'the most bars in one path').toBeGreaterThanOrEqual(365);

    // A year's bars are a pixel wide: a click on one, or anywhere above it, explains that day,
    // one click after the other.
    const box = (await distance.locator('.chart svg').boundingBox())!;
    // The grid (see MetricChart): 56 px left, 16 px right, 24 px top, 64 px bottom.
    const grid = box.width - 56 - 16;
    const column = (day: number) => box.x + 56 + (grid * (day + 0.5)) / 365;
    const panel = page.getByRole('dialog', { name: 'Why this number?' });
    // (The open panel narrows the page, so it is closed before the next click.)
    for (const [day, y, text] of [
      [364, box.y + box.height - 64 - 3, '2026-05-05'],
      [362, box.y + 24 + 4, '2026-05-03'],
      [364, box.y + 24 + 4, '2026-05-05'],
    ] as const) {
      await page.mouse.click(column(day), y);
      await expect(panel).toContainText(`Distance, day of ${text}`);
      await page.keyboard.press('Escape');
      await expect(panel).toHaveCount(0);
    }
  });
});
