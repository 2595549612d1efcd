// What a person sees when the merged values cannot be kept up to date, and when VitalSync
// assumed their home time zone: against the real built app in browser mode.
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, ROOT, test, navButton } from './fixtures';

const FIXTURE = path.join(ROOT, 'e2e', 'fixtures', 'export-every-chart-watch-and-phone-overlap.xml');

test.describe('Keeping the charts honest', () => {
  test('a failing rebuild is shown, retried, and the charts fill once the cause is gone', async ({ app, page }) => {
    // A database that refuses merged rows (as a full disk or a damaged table would).
    const db = new Database(path.join(app.dataDir, 'vitalsync.db'));
    db.exec(`CREATE TRIGGER break_rebuilds BEFORE INSERT ON derived_daily BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END`);
    const res = await app.cli(['import', FIXTURE, '--json']);
    expect(res.code, res.stderr).toBe(0);

    await page.goto(app.url);
    const banner = page.getByRole('alert').filter({ hasText: 'Updating the charts failed' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('simulated write failure');

    db.exec('DROP TRIGGER break_rebuilds');
    db.close();
    // The core retries on its own (after 1 s, then 5 s, …): no reload needed.
    await expect(banner).toBeHidden({ timeout: 20_000 });
    await expect(page.locator('[data-chart="steps"]')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  });

  test('Settings says which home time zone was assumed from the export, and confirming it clears that', async ({ app, page }) => {
    const res = await app.cli(['import', FIXTURE, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const zone = (await app.cli(['settings', 'get', 'homeTimeZone'])).stdout.trim();
    expect(zone).toMatch(/^[A-Z][a-z]+\/\w+/);
    await page.goto(app.url);
    await navButton(page, 'Settings').click();
    await expect(page.getByText('Assumed from your data')).toBeVisible();
    await page.getByRole('button', { name: 'It is right' }).click();
    await expect(page.getByText('Assumed from your data')).toBeHidden();
    expect((await app.cli(['settings', 'get', 'homeTimeZoneAssumed'])).stdout.trim()).toBe('false');
  });
});
