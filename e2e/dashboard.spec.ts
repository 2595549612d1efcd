// The dashboard against the real built app: import an Apple Health export through the CLI,
// open the dashboard in Chromium, see every chart drawn from the merged data, click a bar and
// read "Why this number?". Screenshots (light and dark) go to e2e/artifacts/.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, ROOT, test, navButton } from './fixtures';

// Ten days (1–10 March 2026) from a Watch, an iPhone that overlaps it, a Withings scale,
// MyFitnessPal and Strava (every run recorded twice), covering every chart.
const FIXTURE = path.join(ROOT, 'e2e', 'fixtures', 'export-every-chart-watch-and-phone-overlap.xml');
const CHARTS = ['steps', 'active-energy', 'exercise', 'sleep', 'resting-hr', 'hrv', 'weight', 'body-fat', 'energy-eaten', 'macros', 'workouts'];

async function importFixture(app: { cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> }) {
  const res = await app.cli(['import', FIXTURE, '--json']);
  expect(res.code, res.stderr).toBe(0);
}

/** Waits for every chart to have data and be drawn (charts are drawn as they come into view). */
async function expectEveryChartDrawn(page: Page) {
  for (const id of CHARTS) {
    const card = page.locator(`[data-chart="${id}"]`);
    await expect(card, `${id} chart`).toHaveAttribute('data-state', 'ready');
    await card.scrollIntoViewIfNeeded();
    await expect(card.locator('svg').first(), `${id} chart drawn`).toBeVisible();
  }
  await page.evaluate('window.scrollTo(0, 0)');
}

/**
 * Waits for every chart of the fixture to be there and loaded. The CLI's import leaves the
 * merging to the app, so charts appear and load one metric after another; a chart scrolled to
 * before those above it have loaded is pushed out of view again.
 */
async function allChartsLoaded(page: Page) {
  for (const id of CHARTS) await expect(page.locator(`[data-chart="${id}"]`), `${id} chart`).toHaveAttribute('data-state', /^(ready|empty)$/);
}

/** Clicks the bar of the last day in a bar chart (the range ends on the last day with data). */
async function clickLastBar(page: Page, chart: string, slots: number) {
  const svg = page.locator(`[data-chart="${chart}"] .chart svg`);
  const box = (await svg.boundingBox())!;
  // The grid (see MetricChart): 56 px left, 16 px right, 64 px bottom under the zoom slider.
  const grid = box.width - 56 - 16;
  await page.mouse.click(box.x + 56 + (grid * (slots - 0.5)) / slots, box.y + box.height - 64 - 8);
}

test.describe('Dashboard', () => {
  test('every chart shows the imported data, and a bar explains where its number comes from', async ({ app, page }) => {
    await importFixture(app);
    // Steps for 10 March, merged by hand: the Watch counts 08:00–20:50; the iPhone's 09:00 and
    // 12:00 hours lie under the Watch (excluded); its 21:00 and 22:00 hours fill the gap.
    const q = await app.cli(['query', 'steps', '--from', '2026-03-01', '--to', '2026-03-10', '--json']);
    const steps = JSON.parse(q.stdout) as { buckets: { start: string; sources: { share: number }[]; excluded: number }[] };
    expect(steps.buckets).toHaveLength(10);
    for (const b of steps.buckets) {
      expect(b.sources.reduce((a, s) => a + s.share, 0)).toBeCloseTo(1, 6);
      expect(b.excluded).toBe(2);
    }

    const started = Date.now();
    await page.goto(app.url);
    await expectEveryChartDrawn(page);
    test.info().annotations.push({ type: 'every chart drawn after', description: `${Date.now() - started} ms` });
    // The legend names each source with its quality.
    const legend = page.locator('[data-chart="steps"] .source-legend');
    await expect(legend).toContainText('Jane’s Apple Watch');
    await expect(legend).toContainText('Jane’s iPhone');
    await expect(legend.locator('.badge.quality').first()).toContainText(/Quality \d+/);
    // Workouts seen by the Watch and by Strava are listed once.
    await expect(page.locator('.workout-list li')).toHaveCount(5);
    await expect(page.locator('.workout-list li').first()).toContainText('counted once');

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-light.png'), fullPage: true });

    // The default view is the month (30 days) ending on the last day with data.
    await clickLastBar(page, 'steps', 30);
    const panel = page.getByRole('dialog', { name: 'Why this number?' });
    await expect(panel).toBeVisible();
    await expect(panel).toContainText('Steps, day of 2026-03-10');
    await expect(panel.locator('.explain-sources > li')).toHaveCount(2);
    await expect(panel).toContainText('2 samples were excluded');
    await panel.getByText(/Raw samples \(\d+\)/).click();
    await expect(panel.locator('tr[data-status="overlap"]')).toHaveCount(2);
    await expect(panel.locator('tr[data-status="used"]').first()).toBeVisible();
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-why-this-number.png') });

    // The link leads to this category's priority on the Preferences page.
    await panel.getByRole('button', { name: 'Change the Activity priority' }).click();
    await expect(page.getByRole('heading', { name: 'Preferences', level: 1 })).toBeVisible();
    await expect(page.locator('[data-category="activity"] .priority-row').first()).toBeFocused();

    // Dark theme, from the Settings page, redraws every chart.
    await navButton(page, 'Settings').click();
    await page.getByLabel('Theme').selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await navButton(page, 'Dashboard').click();
    await expectEveryChartDrawn(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-dark.png'), fullPage: true });
  });

  test('each chart has a table view, and the table opens "Why this number?" from the keyboard', async ({ app, page }) => {
    await importFixture(app);
    await page.goto(app.url);
    const sleep = page.locator('[data-chart="sleep"]');
    await expect(sleep).toHaveAttribute('data-state', 'ready');
    await sleep.getByRole('button', { name: 'Show as table' }).click();
    const rows = sleep.locator('tbody tr');
    await expect(rows).toHaveCount(10);
    await expect(rows.last()).toContainText('2026-03-10');
    await rows.last().getByRole('button', { name: 'Why this number?' }).focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog', { name: 'Why this number?' });
    await expect(panel).toContainText('Sleep, day of 2026-03-10');
    // The phone's "asleep" only fills the minutes around the Watch's stages: each minute once.
    await expect(panel.locator('.explain-sources > li')).toHaveCount(2);
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
  });

  test('closing “Why this number?” gives the focus back to what opened it, or to its chart when that is gone', async ({ app, page }) => {
    await importFixture(app);
    await page.goto(`${app.url}#/dashboard?span=week&end=2026-03-03`);
    await allChartsLoaded(page);
    const steps = page.locator('[data-chart="steps"]');
    const panel = page.getByRole('dialog', { name: 'Why this number?' });
    // A week later (a history entry of its own, so Back returns to the week above).
    await page.getByRole('button', { name: 'Next week' }).click();
    await expect(page.locator('.range-label')).toHaveText('2026-03-04 – 2026-03-10');
    await expect(steps).toHaveAttribute('data-shown', '2026-03-04/2026-03-10/day');

    // Keyboard: the table, a row's "Why this number?", Escape: back on that row's button.
    await steps.getByRole('button', { name: 'Show as table' }).focus();
    await page.keyboard.press('Enter');
    const row = steps.locator('tbody tr', { hasText: '2026-03-10' }).getByRole('button', { name: 'Why this number?' });
    await row.focus();
    await page.keyboard.press('Enter');
    await expect(panel).toContainText('Steps, day of 2026-03-10');
    await expect(panel.getByRole('button', { name: 'Close “Why this number?”' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await expect(row).toBeFocused();

    // Pointer: another row's button, then ✕: back on that button.
    const other = steps.locator('tbody tr', { hasText: '2026-03-08' }).getByRole('button', { name: 'Why this number?' });
    await other.click();
    await expect(panel).toContainText('Steps, day of 2026-03-08');
    await panel.getByRole('button', { name: 'Close “Why this number?”' }).click();
    await expect(panel).toHaveCount(0);
    await expect(other).toBeFocused();

    // The opener is gone (Back shows the week before, whose table has other rows): the focus
    // stays in its chart, on the card's first control.
    await row.focus();
    await page.keyboard.press('Enter');
    await expect(panel).toContainText('Steps, day of 2026-03-10');
    await page.goBack();
    await expect(steps).toHaveAttribute('data-shown', '2026-02-25/2026-03-03/day');
    await expect(row).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await expect(steps.getByRole('button', { name: 'Show chart' })).toBeFocused();

    // A click on the plot (which is no Tab stop) opened it: ✕ gives the focus to the chart's card.
    await steps.getByRole('button', { name: 'Show chart' }).click();
    await expect(steps).toHaveAttribute('data-drawn', '2026-02-25/2026-03-03/day');
    await clickLastBar(page, 'steps', 7);
    await expect(panel).toContainText('Steps, day of 2026-03-03');
    await panel.getByRole('button', { name: 'Close “Why this number?”' }).click();
    await expect(panel).toHaveCount(0);
    await expect(steps.getByRole('button', { name: 'Show as table' })).toBeFocused();
  });

  test('the tooltip goes away when a click opens “Why this number?”, on a chart and on the workouts calendar', async ({ app, page }) => {
    await importFixture(app);
    await page.goto(`${app.url}#/dashboard?span=week&end=2026-03-10`);
    await allChartsLoaded(page);
    const steps = page.locator('[data-chart="steps"]');
    await expect(steps).toHaveAttribute('data-drawn', '2026-03-04/2026-03-10/day');
    const tip = steps.getByText('Click for “Why this number?”');
    const svg = (await steps.locator('.chart svg').boundingBox())!;
    // Over the last day's bar, the tooltip shows; the click opens the panel and hides it.
    const at = { x: svg.x + 56 + ((svg.width - 56 - 16) * 6.5) / 7, y: svg.y + svg.height - 32 - 8 };
    await page.mouse.move(at.x, at.y);
    await expect(tip).toBeVisible();
    await page.mouse.click(at.x, at.y);
    await expect(page.getByRole('dialog', { name: 'Why this number?' })).toContainText('Steps, day of 2026-03-10');
    await expect(tip).toBeHidden();
    await page.keyboard.press('Escape');

    // The same on the workouts calendar: over a day with a workout (a heatmap cell, filled in
    // the calendar's blues), then a click. In a small window, where the panel opening does not
    // resize the card (a resize would hide the tooltip anyway).
    await page.setViewportSize({ width: 800, height: 600 });
    const workouts = page.locator('[data-chart="workouts"]');
    await workouts.scrollIntoViewIfNeeded();
    const heatmapCells = () =>
      workouts.locator('.chart.calendar svg path').evaluateAll((paths) =>
        paths
          .filter((p) => {
            const fill = p.getAttribute('fill') ?? '';
            const empty = p.ownerDocument.defaultView!.getComputedStyle(p.ownerDocument.documentElement).getPropertyValue('--bg').trim();
            return /^(#|rgb)/.test(fill) && fill !== empty;
          })
          .map((p) => p.getBoundingClientRect())
          .filter((r) => r.width > 4 && Math.abs(r.width - r.height) < 2)
          .map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 })),
      );
    // Measured again until a cell shows its tooltip: the calendar redraws after the resize, and
    // a square filled in another colour may be an empty day (no tooltip).
    const cellTip = page.getByText(/^2026-03-\d\d: \d+ min of workouts$/);
    let target: { x: number; y: number } | undefined;
    await expect(async () => {
      target = undefined;
      for (const c of await heatmapCells()) {
        await page.mouse.move(c.x, c.y);
        if (await cellTip.waitFor({ state: 'visible', timeout: 500 }).then(() => true, () => false)) {
          target = c;
          break;
        }
      }
      expect(target, 'a calendar day with a workout shows its tooltip').toBeDefined();
    }).toPass({ timeout: 15_000 });
    await page.mouse.click(target!.x, target!.y);
    await expect(page.getByRole('dialog', { name: 'Why this number?' })).toContainText('Workouts, day of 2026-03-');
    await expect(cellTip).toBeHidden();
  });

  test('the Day view names an hour as “2026-03-10 12:00” in its tooltip, table and “Why this number?”', async ({ app, page }) => {
    await importFixture(app);
    await page.goto(`${app.url}#/dashboard?span=day&end=2026-03-10`);
    await allChartsLoaded(page);
    const steps = page.locator('[data-chart="steps"]');
    await expect(steps).toHaveAttribute('data-drawn', '2026-03-10/2026-03-10/hour');
    const svg = (await steps.locator('.chart svg').boundingBox())!;
    // The 12:00 column of 24 (the grid: 56 px left, 16 right, 64 bottom under the zoom slider).
    const at = { x: svg.x + 56 + ((svg.width - 56 - 16) * 12.5) / 24, y: svg.y + svg.height - 64 - 8 };
    await page.mouse.move(at.x, at.y);
    const tip = steps.locator('div').filter({ has: page.getByText('Click for “Why this number?”') }).last();
    await expect(tip).toBeVisible();
    await expect(tip).toContainText('2026-03-10 12:00');
    await expect(tip).not.toContainText('T12:00');
    await page.mouse.click(at.x, at.y);
    const panel = page.getByRole('dialog', { name: 'Why this number?' });
    await expect(panel).toContainText('Steps, hour of 2026-03-10 12:00');
    // The hour's own numbers came: the slot asked for is the one the chart holds.
    await expect(panel.locator('.explain-sources > li').first()).toBeVisible();
    await page.keyboard.press('Escape');
    await steps.getByRole('button', { name: 'Show as table' }).click();
    await expect(steps.locator('tbody th[scope="row"]').first()).toHaveText(/^2026-03-10 \d\d:00$/);
    await expect(page.locator('.data-table')).not.toContainText('T12:00');
  });

  test('a chart’s table keeps each date on one line in a small window', async ({ app, page }) => {
    await importFixture(app);
    await page.setViewportSize({ width: 800, height: 600 });
    await page.goto(`${app.url}#/dashboard?span=week&end=2026-03-10`);
    await allChartsLoaded(page);
    const steps = page.locator('[data-chart="steps"]');
    await steps.getByRole('button', { name: 'Show as table' }).click();
    const dates = steps.locator('tbody th[scope="row"]');
    await expect(dates).toHaveCount(7);
    // One line box per date: a date broken at its hyphen ("2026-/03-10") has two.
    const lines = await dates.evaluateAll((cells) =>
      cells.map((c) => {
        const r = c.ownerDocument.createRange();
        r.selectNodeContents(c);
        return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
      }),
    );
    expect(lines).toEqual(Array(7).fill(1));
  });

  test('every mark a line chart draws has its key: the trend on weight, the baseline on resting heart rate', async ({ app, page }) => {
    await importFixture(app);
    await page.goto(app.url);
    await allChartsLoaded(page);
    const weight = page.locator('[data-chart="weight"]');
    await expect(weight.getByRole('list', { name: 'Lines' })).toHaveText(/Weight \(.+\)\s*Trend \(7-point average\)/);
    await expect(weight.getByRole('list', { name: 'Lines' }).locator('.swatch-line.dashed')).toHaveCount(1);
    const resting = page.locator('[data-chart="resting-hr"]');
    await expect(resting.getByRole('list', { name: 'Lines' })).toHaveText(/Resting heart rate \(.+\)\s*Your baseline \(mean ± 1 SD of this range\)/);
    await expect(resting.getByRole('list', { name: 'Lines' }).locator('.swatch-band')).toHaveCount(1);
  });

  test('HRV is chosen as SDNN or RMSSD inside its own card, never mixed in one chart', async ({ app, page }) => {
    await importFixture(app);
    await page.goto(app.url);
    await allChartsLoaded(page);
    const hrv = page.locator('[data-chart="hrv"]');
    await expect(hrv).toHaveAttribute('data-state', 'ready');
    await expect(hrv.getByRole('heading', { level: 3 })).toContainText('HRV (SDNN)');
    await hrv.getByRole('radiogroup', { name: 'HRV measure (never mixed)' }).getByRole('radio', { name: 'RMSSD (Oura, WHOOP, Fitbit)' }).click();
    // The card is the RMSSD chart now, with its switch still inside it; the Watch measures SDNN only.
    await expect(hrv.getByRole('heading', { level: 3 })).toContainText('HRV (RMSSD)');
    await expect(hrv.getByRole('radio', { name: 'RMSSD (Oura, WHOOP, Fitbit)' })).toHaveAttribute('aria-checked', 'true');
    // The card is new, and the chosen measure keeps the keyboard's focus.
    await expect(hrv.getByRole('radio', { name: 'RMSSD (Oura, WHOOP, Fitbit)' })).toBeFocused();
    // Choosing the measure already chosen changes nothing, and takes no focus later.
    await hrv.getByRole('radio', { name: 'RMSSD (Oura, WHOOP, Fitbit)' }).click();
    const week = page.getByRole('radio', { name: 'Week' });
    await week.click();
    await expect(page.locator('.range-label')).toHaveText('2026-03-04 – 2026-03-10');
    await expect(week).toBeFocused();
    await expect(hrv).toHaveAttribute('data-state', 'empty');
    await expect(hrv.locator('.chart-empty')).toContainText('No data for HRV (RMSSD) in this range.');
  });

  test('the workouts calendar has square days that fit its card, for a month and for a year', async ({ app, page }) => {
    await importFixture(app);
    await page.goto(app.url);
    await allChartsLoaded(page);
    const card = page.locator('[data-chart="workouts"]');
    await card.scrollIntoViewIfNeeded();
    const calendar = card.locator('.chart.calendar');
    await expect(calendar.locator('svg')).toBeVisible();
    const month = (await calendar.boundingBox())!;
    await page.getByRole('radio', { name: 'Year' }).click();
    await expect(card).toHaveAttribute('data-state', 'ready');
    // 53 week columns need smaller days: the box gets shorter, and stays inside the card.
    await expect.poll(async () => (await calendar.boundingBox())!.height).toBeLessThan(month.height);
    const year = (await calendar.boundingBox())!;
    const cardBox = (await card.boundingBox())!;
    expect(year.x + year.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
  });

  test('the zoom slider’s dates fit inside the chart, for a month’s days and a day’s hours, on a small window', async ({ app, page }) => {
    await importFixture(app);
    await page.setViewportSize({ width: 800, height: 600 });
    for (const [span, first, last] of [
      ['month', '2026-02-09', '2026-03-10'],
      ['day', '00:00', '23:00'],
    ]) {
      await page.goto(`${app.url}#/dashboard?span=${span}&end=2026-03-10`);
      const card = page.locator('[data-chart="steps"]');
      await expect(card).toHaveAttribute('data-drawn', new RegExp(`/2026-03-10/${span === 'day' ? 'hour' : 'day'}$`));
      const svg = card.locator('.chart svg');
      const box = (await svg.boundingBox())!;
      // The handles' labels are shown while the pointer is over the slider (18 px high, 8 px up),
      // beside the axis's own labels.
      await page.mouse.move(box.x + box.width / 2, box.y + box.height - 8 - 9);
      const handles = svg.locator('text', { hasText: new RegExp(`^${last}$`) });
      await expect.poll(() => svg.locator('text', { hasText: new RegExp(`^(${first}|${last})$`) }).count(), `${span}: the slider's labels`).toBeGreaterThanOrEqual(2);
      await expect(handles.first()).toBeVisible();
      for (const label of await svg.locator('text').all()) {
        const r = await label.boundingBox();
        if (!r) continue;
        const what = `${span}: ${await label.textContent()}`;
        expect(r.x, what).toBeGreaterThanOrEqual(box.x);
        expect(r.x + r.width, what).toBeLessThanOrEqual(box.x + box.width);
      }
    }
  });

  test('in a year, a click on a point explains that point’s day, though its dot covers the next day’s column', async ({ app, page }) => {
    await importFixture(app);
    await page.goto(`${app.url}#/dashboard?span=year&end=2026-03-10`);
    await allChartsLoaded(page);
    const card = page.locator('[data-chart="body-fat"]');
    const panel = page.getByRole('dialog', { name: 'Why this number?' });
    // Measured and clicked again until it holds: the import's metrics are still being merged
    // in the background, and a chart that reloads above can move this one.
    await expect(async () => {
      if (await panel.count()) await page.keyboard.press('Escape');
      await card.scrollIntoViewIfNeeded();
      await expect(card).toHaveAttribute('data-drawn', '2025-03-11/2026-03-10/day', { timeout: 2_000 });
      // The dots are the 4 px paths inside the plot (the grid: 56 px left, 16 right, 24 top, 64
      // bottom; the zoom slider's handles are small paths too). The rightmost is the last
      // reading, 9 March; days are 1.2 px apart.
      const svg = (await card.locator('.chart svg').boundingBox())!;
      const dots = (
        await card.locator('.chart svg path').evaluateAll((paths) =>
          paths.map((p) => p.getBoundingClientRect()).filter((r) => r.width > 2 && r.width < 7 && r.height > 2 && r.height < 7).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 })),
        )
      ).filter((d) => d.x > svg.x + 56 && d.x < svg.x + svg.width - 16 && d.y > svg.y + 24 && d.y < svg.y + svg.height - 64);
      const last = dots.reduce((a, d) => (d.x > a.x ? d : a));
      // Right of the dot's centre: the pointer is over 10 March's column, the dot is 9 March's.
      await page.mouse.click(last.x + 1.4, last.y);
      await expect(panel).toContainText('Body fat, day of 2026-03-09', { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
  });

  test('an empty database says which sources would fill each chart, once the person adds the chart back', async ({ app, page }) => {
    await page.goto(app.url);
    // The first run says what fills it today: the exports VitalSync reads, any CSV, and the accounts it connects to.
    const empty = page.getByRole('region', { name: 'Welcome to VitalSync' });
    await expect(empty).toContainText('No health data yet');
    await expect(empty).toContainText('Exports from MyFitnessPal, Cronometer, Fitbit (Google Takeout) and Garmin Connect, and any CSV with a header row');
    await expect(empty).toContainText('Connect Withings, Oura, WHOOP and Strava');
    // Charts without data are hidden; one added back says which sources would fill it.
    await expect(page.locator('[data-chart]')).toHaveCount(0);
    for (const name of ['Add Sleep stages per night', 'Add Energy eaten']) {
      await page.getByRole('button', { name: /Show more charts/ }).click();
      await page.getByRole('list', { name: 'Charts without data' }).getByRole('button', { name }).click();
    }
    const sleep = page.locator('[data-chart="sleep"]');
    await expect(sleep).toHaveAttribute('data-state', 'empty');
    await expect(sleep.locator('.chart-empty')).toContainText(/Apple Health.*Withings.*Oura/);
    await expect(page.locator('[data-chart="energy-eaten"] .chart-empty')).toContainText('Cronometer');
  });
});
