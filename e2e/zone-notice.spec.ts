// An export written in another zone than the home zone set (a computer's UTC accepted on the
// first run, an iPhone in Los Angeles): the dashboard says so and offers the export's zone, and
// taking it counts the days again.
import path from 'node:path';
import { expect, ROOT, test } from './fixtures';

const LOS_ANGELES = path.join(ROOT, 'e2e', 'fixtures', 'export-written-in-los-angeles.xml');

async function stepsByDay(app: { cli(args: string[]): Promise<{ code: number; stdout: string }> }): Promise<[string, number][]> {
  const q = await app.cli(['query', 'steps', '--from', '2024-04-09', '--to', '2024-04-12', '--json']);
  return (JSON.parse(q.stdout) as { buckets: { start: string; value: number }[] }).buckets.map((b) => [b.start, b.value]);
}

test.describe('An export written in another zone than the home zone', () => {
  test('the dashboard names both zones; Keep hides it for that import, and Use counts the days in the export’s zone', async ({ app, page }) => {
    expect((await app.cli(['settings', 'set', 'homeTimeZone', 'UTC'])).code).toBe(0);
    const res = await app.cli(['import', LOS_ANGELES, '--json']);
    expect(res.code, res.stderr).toBe(0);
    // Counted in UTC, the evening's 1,200 steps (20:00 in Los Angeles) fall on 11 April.
    await expect.poll(() => stepsByDay(app)).toEqual([
      ['2024-04-10', 3000],
      ['2024-04-11', 1200],
    ]);

    // The import's warning says the same on the Imports page, its command as code.
    await page.goto(`${app.url}#/imports`);
    const warning = page.locator('.import-warnings li').filter({ hasText: 'were written in America/Los_Angeles time' });
    await expect(warning.locator('code')).toHaveText('vitalsync settings set homeTimeZone America/Los_Angeles');
    await expect(warning).not.toContainText('`');

    await page.goto(`${app.url}#/dashboard?span=week&end=2024-04-11`);
    const notice = page.locator('.zone-notice');
    await expect(notice).toContainText('The dates in export-written-in-los-angeles.xml were written in America/Los_Angeles time, but your home time zone is UTC');
    await notice.getByRole('button', { name: 'Keep UTC' }).click();
    await expect(notice).toHaveCount(0);
    // Nothing to say, once the import history is read: "Keep" is remembered.
    const none = page.locator('[data-zone-notice="none"]');
    await page.reload();
    await expect(none).toHaveCount(1);
    await expect(notice).toHaveCount(0);

    // Asked again (as after a new import). A home zone changed since the import (to one with Los
    // Angeles' offsets, even) is the person's choice: nothing to say.
    await page.evaluate(() => localStorage.clear());
    expect((await app.cli(['settings', 'set', 'homeTimeZone', 'America/Vancouver'])).code).toBe(0);
    await page.reload();
    await expect(none).toHaveCount(1);
    await expect(notice).toHaveCount(0);
    // Back on UTC, the person takes the export's zone.
    expect((await app.cli(['settings', 'set', 'homeTimeZone', 'UTC'])).code).toBe(0);
    await page.reload();
    await notice.getByRole('button', { name: 'Use America/Los_Angeles' }).click();
    await expect(notice).toHaveCount(0);
    await expect(none).toHaveCount(1);
    const settings = JSON.parse((await app.cli(['settings', 'get', '--json'])).stdout) as { homeTimeZone: string };
    expect(settings.homeTimeZone).toBe('America/Los_Angeles');
    await expect.poll(() => stepsByDay(app)).toEqual([['2024-04-10', 4200]]);
  });

  test('an export written in the home zone says nothing', async ({ app, page }) => {
    expect((await app.cli(['settings', 'set', 'homeTimeZone', 'America/Los_Angeles'])).code).toBe(0);
    const res = await app.cli(['import', LOS_ANGELES, '--json']);
    expect(res.code, res.stderr).toBe(0);
    await page.goto(`${app.url}#/dashboard?span=week&end=2024-04-11`);
    await expect(page.locator('[data-chart="steps"]')).toHaveAttribute('data-state', 'ready');
    await expect(page.locator('[data-zone-notice="none"]')).toHaveCount(1);
    await expect(page.locator('.zone-notice')).toHaveCount(0);
  });
});
