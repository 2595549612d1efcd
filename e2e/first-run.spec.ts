// Routes in the URL, the first run from an empty data folder, and honest Sources and Preferences
// screens, against the real built app in browser mode.
import path from 'node:path';
import { expect, ROOT, test, navButton } from './fixtures';

const STEPS = path.join(ROOT, 'e2e', 'fixtures', 'export-steps-2024-07-02-to-04.xml');
const EVERY_CHART = path.join(ROOT, 'e2e', 'fixtures', 'export-every-chart-watch-and-phone-overlap.xml');
const MFP = path.join(ROOT, 'e2e', 'fixtures', 'Nutrition-Summary-2024-07-02-to-2024-07-04.csv');

const heading = (page: import('@playwright/test').Page, name: string) => page.getByRole('heading', { name, level: 1 });

test.describe('Routes in the URL', () => {
  test('every page has a route: Back/Forward, reload and a deep link keep the page', async ({ app, page }) => {
    await page.goto(app.url);
    await expect(heading(page, 'Dashboard')).toBeVisible();
    await expect(page).toHaveURL(/#\/dashboard$/);

    await navButton(page, 'Sources').click();
    await expect(heading(page, 'Sources')).toBeVisible();
    await expect(page).toHaveURL(/#\/sources$/);
    await navButton(page, 'Preferences').click();
    await expect(page).toHaveURL(/#\/preferences$/);
    await navButton(page, 'Export').click();
    await expect(heading(page, 'Export')).toBeVisible();
    await expect(page).toHaveURL(/#\/export$/);

    await page.goBack();
    await expect(heading(page, 'Preferences')).toBeVisible();
    await page.goBack();
    await expect(heading(page, 'Sources')).toBeVisible();
    await page.goForward();
    await expect(heading(page, 'Preferences')).toBeVisible();
    await expect(navButton(page, 'Preferences')).toHaveAttribute('aria-current', 'page');

    await page.reload();
    await expect(heading(page, 'Preferences')).toBeVisible();

    // A deep link (the token is kept for this tab) opens its page; an unknown one opens the dashboard.
    const origin = new URL(app.url).origin;
    await page.goto(`${origin}/#/settings`);
    await expect(heading(page, 'Settings')).toBeVisible();
    await page.goto(`${origin}/#/imports`);
    await expect(heading(page, 'Imports')).toBeVisible();
    await page.goto(`${origin}/#/nowhere`);
    await expect(heading(page, 'Dashboard')).toBeVisible();
    await expect(page).toHaveURL(/#\/dashboard$/);
  });
});

test.describe('First run', () => {
  test('from an empty data folder: the steps, the home zone confirmed, export chosen with the button, a dashboard with data', async ({ app, page }) => {
    await page.goto(app.url);
    const welcome = page.getByRole('region', { name: 'Welcome to VitalSync' });
    await expect(welcome).toBeVisible();
    const steps = welcome.getByRole('list', { name: 'Export steps on the iPhone' });
    await expect(steps).toContainText('Open the Health app');
    await expect(steps).toContainText('Tap your picture');
    await expect(steps).toContainText('Export All Health Data');
    await expect(steps).toContainText('AirDrop');
    await expect(steps).toContainText('a few minutes');
    await expect(welcome.getByRole('link', { name: 'Sources page' })).toHaveAttribute('href', '#/sources');
    await expect(welcome.getByRole('link', { name: 'Imports page' })).toHaveAttribute('href', '#/imports');
    await expect(welcome).toContainText('Connect Withings, Oura, WHOOP and Strava');

    // The import waits for the home zone: the proposal is this computer's zone; change it, confirm.
    const choose = welcome.getByRole('button', { name: 'Choose export.zip…' });
    await expect(choose).toBeDisabled();
    await expect(welcome).toContainText('Confirm your home time zone first');
    const zone = welcome.getByLabel('Home time zone');
    const proposal = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    await expect(zone).toHaveValue(proposal);
    await zone.fill('Europe/Berlin');
    await welcome.getByRole('button', { name: 'Confirm home time zone' }).click();
    await expect(welcome).toContainText('Home time zone: Europe/Berlin (confirmed)');
    await expect(choose).toBeEnabled();
    const settings = JSON.parse((await app.cli(['settings', 'get', '--json'])).stdout) as { homeTimeZone: string; homeTimeZoneAssumed: boolean };
    expect(settings).toMatchObject({ homeTimeZone: 'Europe/Berlin', homeTimeZoneAssumed: false });

    // The button's file goes through the import flow: its preview, then Import.
    const chooser = page.waitForEvent('filechooser');
    await choose.click();
    await (await chooser).setFiles(STEPS);
    const preview = welcome.getByRole('region', { name: 'export-steps-2024-07-02-to-04.xml' });
    await expect(preview).toContainText('Apple Health export');
    await preview.getByRole('button', { name: 'Import', exact: true }).click();

    // When the data arrives the dashboard draws it, and the first run is gone.
    await expect(page.locator('[data-chart="steps"]')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
    await expect(welcome).toHaveCount(0);
    await expect(page).toHaveURL(/#\/dashboard/);
  });

  test('“Choose export.zip…” looks disabled until the home zone is confirmed, and says why, in light and dark', async ({ app, page }) => {
    for (const theme of ['light', 'dark']) {
      expect((await app.cli(['settings', 'set', 'theme', theme])).code).toBe(0);
      await page.goto(app.url);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const welcome = page.getByRole('region', { name: 'Welcome to VitalSync' });
      const choose = welcome.getByRole('button', { name: 'Choose export.zip…' });
      const confirm = welcome.getByRole('button', { name: 'Confirm home time zone' });
      await expect(choose).toBeDisabled();
      await expect(confirm).toBeEnabled();
      // The reason is the button's own description, so a screen reader says it with the button.
      await expect(choose).toHaveAccessibleDescription(/^Confirm your home time zone first/);
      const look = (b: typeof choose) =>
        b.evaluate((el) => {
          const view = el.ownerDocument.defaultView!;
          const s = view.getComputedStyle(el);
          return { cursor: s.cursor, background: s.backgroundColor, color: s.color, opacity: Number(s.opacity), card: view.getComputedStyle(el.closest('.card')!).backgroundColor };
        });
      const [off, on] = [await look(choose), await look(confirm)];
      expect(off.cursor, theme).toBe('not-allowed');
      expect(on.cursor, theme).toBe('pointer');
      // Not the enabled primary button's colour, and its words still readable (WCAG AA, 4.5:1)
      // as drawn over the card, whatever opacity the look uses.
      expect(off.background, theme).not.toBe(on.background);
      // "rgb(95, 102, 112)", or "color(srgb 0.93 0.93 0.94)" (0 to 1) for a color-mix().
      const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number).map((v, i) => (c.startsWith('color(srgb') && i < 3 ? v * 255 : v));
      const over = (c: string, under: number[], alpha: number) => {
        const [r, g, b, a = 1] = rgb(c);
        return [r, g, b].map((v, i) => v * a * alpha + under[i] * (1 - a * alpha));
      };
      const luminance = (c: number[]) =>
        c.map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
      const bg = over(off.background, rgb(off.card), off.opacity);
      const fg = over(off.color, rgb(off.card), off.opacity);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      expect((hi + 0.05) / (lo + 0.05), `${theme}: text contrast of the disabled button`).toBeGreaterThanOrEqual(4.5);
    }
    // Once the zone is confirmed it is a primary button like the others.
    const welcome = page.getByRole('region', { name: 'Welcome to VitalSync' });
    await welcome.getByRole('button', { name: 'Confirm home time zone' }).click();
    const choose = welcome.getByRole('button', { name: 'Choose export.zip…' });
    await expect(choose).toBeEnabled();
    await expect(choose).toHaveCSS('cursor', 'pointer');
    await expect(choose).not.toHaveAccessibleDescription(/time zone/);
  });
});

test.describe('Honest screens', () => {
  test('Sources has a card per source VitalSync reads, and no "not available" cards', async ({ app, page }) => {
    await page.goto(app.url);
    await navButton(page, 'Sources').click();
    await expect(page.locator('.source-list > li').first()).toBeVisible();
    await expect(page.getByText(/not available yet/i)).toHaveCount(0);
    // Every source in today's catalog is built, so there is no "Coming" line.
    await expect(page.getByTestId('coming-sources')).toHaveCount(0);
  });

  test('Preferences shows only the sources a person has, the others on request, and reset restores the defaults', async ({ app, page }) => {
    // Apple Health and MyFitnessPal hold data; no account is connected.
    for (const file of [EVERY_CHART, MFP]) {
      const res = await app.cli(['import', file, '--zone', 'Europe/Paris', '--json']);
      expect(res.code, res.stderr).toBe(0);
    }
    const defaults = JSON.parse((await app.cli(['prefs', 'get', '--json'])).stdout) as { category: string; sources: string[]; fillGaps: boolean }[];
    const sleepDefault = defaults.find((p) => p.category === 'sleep')!;
    const nutritionDefault = defaults.find((p) => p.category === 'nutrition')!;

    await page.goto(app.url);
    await navButton(page, 'Preferences').click();
    await expect(page.getByText(/not available yet/i)).toHaveCount(0);
    const sleep = page.locator('[data-category="sleep"]');
    const rows = sleep.locator('.priority-row');
    // Only Apple Health (and its devices) has sleep data here: Oura, WHOOP and the others wait behind the toggle.
    await expect(rows.first()).toBeVisible();
    const shown = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-source-key')!));
    expect(shown.length).toBeLessThan(sleepDefault.sources.length);
    expect(shown.every((k) => k.startsWith('apple_health'))).toBe(true);
    await expect(sleep.locator('.hidden-sources')).toContainText('Oura');

    await page.getByLabel('Show sources without data').check();
    await expect(page).toHaveURL(/#\/preferences\?all=1$/);
    await expect(rows).toHaveCount(sleepDefault.sources.length);
    await page.reload();
    await expect(page.getByLabel('Show sources without data')).toBeChecked();
    await page.getByLabel('Show sources without data').uncheck();
    await expect(rows).toHaveCount(shown.length);

    // Reorder among the shown rows (MyFitnessPal, Apple Health): the hidden ones keep their places in the saved order.
    const nutrition = page.locator('[data-category="nutrition"]');
    const nrows = nutrition.locator('.priority-row');
    await expect(nrows).toHaveCount(2);
    await expect(nrows.nth(0)).toHaveAttribute('data-source-key', 'myfitnesspal');
    await expect(nrows.nth(1)).toHaveAttribute('data-source-key', 'apple_health');
    await expect(nutrition.locator('.hidden-sources')).toContainText('Cronometer');
    await nutrition.getByRole('button', { name: 'Move Apple Health up' }).click();
    await expect(nrows.nth(0)).toHaveAttribute('data-source-key', 'apple_health');
    const activity = page.locator('[data-category="activity"]');
    await activity.getByLabel('Fill gaps from lower sources').uncheck();
    const reordered = nutritionDefault.sources.map((k) => (k === 'myfitnesspal' ? 'apple_health' : k === 'apple_health' ? 'myfitnesspal' : k));
    let stored = JSON.parse((await app.cli(['prefs', 'get', '--json'])).stdout) as typeof defaults;
    expect(stored.find((p) => p.category === 'nutrition')!.sources).toEqual(reordered);

    // One category, after a confirmation (Cancel changes nothing).
    await nutrition.getByRole('button', { name: 'Reset Nutrition to defaults' }).click();
    await nutrition.getByRole('button', { name: 'Cancel' }).click();
    await expect(nrows.nth(0)).toHaveAttribute('data-source-key', 'apple_health');
    await nutrition.getByRole('button', { name: 'Reset Nutrition to defaults' }).click();
    await nutrition.getByRole('button', { name: 'Yes, reset' }).click();
    await expect(nrows.nth(0)).toHaveAttribute('data-source-key', 'myfitnesspal');
    await expect(page.locator('.banner.notice')).toContainText('Restored the defaults for Nutrition');
    stored = JSON.parse((await app.cli(['prefs', 'get', '--json'])).stdout) as typeof defaults;
    expect(stored.find((p) => p.category === 'nutrition')!.sources).toEqual(nutritionDefault.sources);
    expect(stored.find((p) => p.category === 'activity')!.fillGaps).toBe(false);

    // Everything.
    await page.getByRole('button', { name: 'Reset all to defaults' }).click();
    await page.getByRole('button', { name: 'Yes, reset' }).click();
    await expect(activity.getByLabel('Fill gaps from lower sources')).toBeChecked({ checked: defaults.find((p) => p.category === 'activity')!.fillGaps });
    stored = JSON.parse((await app.cli(['prefs', 'get', '--json'])).stdout) as typeof defaults;
    expect(stored).toEqual(defaults);
  });
});
