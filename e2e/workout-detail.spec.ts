// A workout's detail against the real built app: import an Apple Health export whose run has a
// GPX route and the Watch's heart rate, open the run from the dashboard's list, read its
// statistics, see the route drawn as an SVG path and the heart-rate chart, and go Back. Nothing
// may be fetched from anywhere but the app itself (no map tiles). Also: "Why this number?"
// speaks in sentences.
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, expect, ROOT, test } from './fixtures';

// 8 March 2026, 08:00–08:30 in Paris: a 5.2 km run with 24 route points and 31 heart-rate readings.
const RUN = path.join(ROOT, 'e2e', 'fixtures', 'workout-route');
const EVERY_CHART = path.join(ROOT, 'e2e', 'fixtures', 'export-every-chart-watch-and-phone-overlap.xml');

test.describe('Workout detail', () => {
  test('a workout opens with its statistics, route and heart rate; Back returns to the dashboard', async ({ app, page }) => {
    const res = await app.cli(['import', RUN, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const origin = new URL(app.url).origin;
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url());
    });

    await page.goto(app.url);
    const card = page.locator('[data-chart="workouts"]');
    await expect(card).toHaveAttribute('data-state', 'ready');
    await card.scrollIntoViewIfNeeded();
    const dashboardUrl = page.url();
    await card.getByRole('button', { name: 'Open the Running of 2026-03-08' }).click();

    const detail = page.getByRole('dialog', { name: 'Running, 2026-03-08' });
    await expect(detail).toBeVisible();
    await expect(page).toHaveURL(/#\/dashboard\?.*workout=\d+/);
    const stats = detail.locator('.workout-stats');
    await expect(stats).toContainText('2026-03-08 08:00');
    await expect(stats).toContainText('Europe/Paris, UTC+01:00');
    await expect(stats).toContainText('2026-03-08 08:30');
    await expect(stats).toContainText('30 min');
    await expect(stats).toContainText('5.2 km');
    await expect(stats).toContainText('410 kcal');
    await expect(stats).toContainText('average 145 bpm, highest 160 bpm');
    await expect(stats).toContainText('Jane’s Apple Watch (Apple Health)');
    await expect(stats).toContainText('Yes: its minutes count in the Workouts chart.');
    // The route: one SVG path through all 24 points, with start and end marked.
    const route = detail.locator('svg.route-map');
    await expect(route).toHaveAttribute('data-points', '24');
    const d = await route.locator('path.route-line').getAttribute('d');
    expect(d!.match(/[ML]/g)).toHaveLength(24);
    await expect(route.locator('.route-start')).toHaveCount(1);
    await expect(route.locator('.route-end')).toHaveCount(1);
    // Heart rate: the Watch's 31 readings during the run.
    const hr = detail.locator('svg.hr-chart');
    await expect(hr).toHaveAttribute('data-points', '31');
    await expect(hr.locator('path.hr-line')).toHaveCount(1);
    await expect(detail).toContainText('31 readings from Jane’s Apple Watch (Apple Health)');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'workout-detail.png') });

    // A reload keeps the workout open (deep link).
    await page.reload();
    await expect(page.getByRole('dialog', { name: 'Running, 2026-03-08' })).toBeVisible();

    // Back returns to the dashboard without the workout.
    await page.goBack();
    await expect(page.getByRole('dialog', { name: 'Running, 2026-03-08' })).toHaveCount(0);
    expect(page.url()).toBe(dashboardUrl);
    await expect(card).toBeVisible();
    // Opened again, ✕ closes it the same way.
    await card.getByRole('button', { name: 'Open the Running of 2026-03-08' }).click();
    await expect(page.getByRole('dialog', { name: 'Running, 2026-03-08' })).toBeVisible();
    await page.getByRole('button', { name: 'Close the workout' }).click();
    await expect(page.getByRole('dialog', { name: 'Running, 2026-03-08' })).toHaveCount(0);
    expect(page.url()).toBe(dashboardUrl);
    expect(foreign, 'requests to anywhere but the app').toEqual([]);
  });

  test('closing a workout gives the focus back to the button that opened it', async ({ app, page }) => {
    const res = await app.cli(['import', RUN, '--json']);
    expect(res.code, res.stderr).toBe(0);
    await page.goto(app.url);
    const card = page.locator('[data-chart="workouts"]');
    await expect(card).toHaveAttribute('data-state', 'ready');
    const open = card.getByRole('button', { name: 'Open the Running of 2026-03-08' });
    const detail = page.getByRole('dialog', { name: 'Running, 2026-03-08' });
    // Keyboard: Enter opens it, Escape closes it.
    await open.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Close the workout' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(detail).toHaveCount(0);
    await expect(open).toBeFocused();
    // Pointer: ✕ closes it.
    await open.click();
    await page.getByRole('button', { name: 'Close the workout' }).click();
    await expect(detail).toHaveCount(0);
    await expect(open).toBeFocused();
  });

  test('“Why this number?” says why a source was used and what lowered its quality, by name', async ({ app, page }) => {
    const res = await app.cli(['import', EVERY_CHART, '--json']);
    expect(res.code, res.stderr).toBe(0);
    await page.goto(app.url);
    const steps = page.locator('[data-chart="steps"]');
    await expect(steps).toHaveAttribute('data-state', 'ready');
    // The last day's bar (the month view ends on the last day with data; see dashboard.spec).
    const svg = steps.locator('.chart svg');
    await expect(svg).toBeVisible();
    // The chart may draw again once its data settles: wait for a box that stays.
    await expect.poll(async () => JSON.stringify(await svg.boundingBox()), { intervals: [300] }).not.toBe('null');
    await page.waitForTimeout(300);
    const box = (await svg.boundingBox())!;
    const grid = box.width - 56 - 16;
    await page.mouse.click(box.x + 56 + (grid * 29.5) / 30, box.y + box.height - 64 - 8);
    const panel = page.getByRole('dialog', { name: 'Why this number?' });
    await expect(panel).toBeVisible();
    await expect(panel.locator('[data-sentence="difference"]').first()).toContainText(
      /Jane’s Apple Watch’s daily total is [\d,]+ steps; Jane’s iPhone counted [\d,]+ steps — Jane’s Apple Watch was used because both come from Apple Health and its watch ranks before the phone\./,
    );
    await expect(panel.locator('[data-sentence="quality"]').first()).toContainText(/^Quality \d+ of 100(\. What lowered it: .+|: nothing lowered it)\.$/);
    await expect(panel.locator('[data-sentence="excluded"]')).toContainText('2 samples were excluded: 2 from Jane’s iPhone overlap time a higher-priority source already covers.');
    // Names, never ids or keys.
    await expect(panel).not.toContainText('apple_health');
    await page.screenshot({ path: path.join(ARTIFACTS, 'explain-sentences.png') });
  });
});
