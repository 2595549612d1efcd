// Screenshots of every page in the light and dark themes, at 1440×900 and 800×600, written to
// e2e/artifacts/<page>-<theme>-<w>x<h>.png (gitignored) for a person to look at. One app instance
// with data imported first, so no page is empty. The theme is chosen on the Settings page, then
// the app is reloaded. Pages whose content is wider than the window are listed in
// e2e/artifacts/overflow.json and in the test's annotations; nothing here is timed.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, ROOT, test } from './fixtures';

const FIXTURES = path.join(ROOT, 'e2e', 'fixtures');
// Charts of every kind (Feb–Mar 2026), vitals (May 2026), and a run with its route (Apr 2026).
const IMPORTS = ['export-every-chart-watch-and-phone-overlap.xml', 'export-vitals-bp-hr-spo2-distance.xml', 'walkthrough-export', 'Nutrition-Summary-2024-07-02-to-2024-07-04.csv'];

const SIZES = [
  { width: 1440, height: 900 },
  { width: 800, height: 600 },
] as const;
const THEMES = ['light', 'dark'] as const;
const PAGES = [
  { id: 'dashboard', heading: 'Dashboard' },
  { id: 'imports', heading: 'Imports' },
  { id: 'sources', heading: 'Sources' },
  { id: 'preferences', heading: 'Preferences' },
  { id: 'settings', heading: 'Settings' },
  { id: 'export', heading: 'Export' },
] as const;

/** Every dashboard chart scrolled into view (they draw when seen) and settled. */
async function settleDashboard(page: Page): Promise<void> {
  const charts = page.locator('[data-chart]');
  await expect(charts.first()).toBeVisible();
  for (const chart of await charts.all()) {
    await chart.scrollIntoViewIfNeeded();
    await expect(chart).not.toHaveAttribute('data-state', 'loading');
    // A metric chart with data is drawn while in view (data-drawn names the range drawn).
    const range = await chart.getAttribute('data-range');
    if (range && (await chart.getAttribute('data-state')) === 'ready') await expect(chart).toHaveAttribute('data-drawn', range);
  }
  await page.evaluate('window.scrollTo(0, 0)');
  // Let the charts' entry animation finish before the picture.
  await page.waitForTimeout(600);
}

test.describe('Screenshots', () => {
  test('every page, light and dark, at 1440×900 and 800×600', async ({ app, page }, testInfo) => {
    test.setTimeout(240_000);
    for (const file of IMPORTS) {
      const res = await app.cli(['import', path.join(FIXTURES, file), '--zone', 'Europe/Paris', '--json']);
      expect(res.code, `${file}: ${res.stderr}`).toBe(0);
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const origin = new URL(app.url).origin;
    const overflow: { shot: string; scrollWidth: number; width: number }[] = [];
    const written: string[] = [];

    const shoot = async (name: string, { fullPage = true } = {}) => {
      const { scrollWidth, width } = await page.evaluate<{ scrollWidth: number; width: number }>('({ scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth })');
      if (scrollWidth > width) overflow.push({ shot: name, scrollWidth, width });
      const file = path.join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage, animations: 'disabled' });
      written.push(file);
    };

    await page.goto(app.url);
    await expect(page.locator('[data-chart="steps"]')).toHaveAttribute('data-state', 'ready');
    for (const theme of THEMES) {
      await page.goto(`${origin}/#/settings`);
      await page.getByLabel('Theme').selectOption(theme);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      // Saved before the reload (the page applies the choice before the save answers).
      await expect.poll(async () => (JSON.parse((await app.cli(['settings', 'get', '--json'])).stdout) as { theme: string }).theme).toBe(theme);
      await page.reload();
      await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
      await expect(page.getByLabel('Theme')).toHaveValue(theme);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);

      for (const size of SIZES) {
        await page.setViewportSize(size);
        const suffix = `${theme}-${size.width}x${size.height}`;
        for (const p of PAGES) {
          await page.goto(`${origin}/#/${p.id}`);
          await expect(page.getByRole('heading', { name: p.heading, level: 1 })).toBeVisible();
          if (p.id === 'dashboard') await settleDashboard(page);
          else await page.waitForLoadState('networkidle');
          await shoot(`${p.id}-${suffix}`);
        }

        // The workout detail, opened from the dashboard's list (the run with its route).
        await page.goto(`${origin}/#/dashboard`);
        await settleDashboard(page);
        const workouts = page.locator('[data-chart="workouts"]');
        await workouts.scrollIntoViewIfNeeded();
        await workouts.getByRole('button', { name: 'Open the Running of 2026-04-25' }).click();
        const detail = page.getByRole('dialog', { name: /Running/ });
        await expect(detail.locator('svg.route-map path.route-line')).toBeVisible();
        await page.waitForTimeout(300);
        // The detail is a panel fixed to the window: the window is the picture (a full page would cut it).
        await shoot(`workout-detail-${suffix}`, { fullPage: false });
        await page.goBack();
        await expect(detail).toHaveCount(0);
      }
    }

    fs.writeFileSync(path.join(ARTIFACTS, 'overflow.json'), `${JSON.stringify(overflow, null, 2)}\n`);
    for (const o of overflow) testInfo.annotations.push({ type: 'horizontal overflow', description: `${o.shot}: ${o.scrollWidth}px wide in ${o.width}px` });
    expect(written).toHaveLength(THEMES.length * SIZES.length * (PAGES.length + 1));
    for (const file of written) expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  });
});
