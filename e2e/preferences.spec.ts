import { expect, test, navButton } from './fixtures';

test.describe('Preferences in the browser', () => {
  test('a reordered category survives a reload and reaches the database', async ({ app, page }) => {
    await page.goto(app.url);
    await navButton(page, 'Preferences').click();
    // An empty database: every source is one without data, shown on request.
    await page.getByLabel('Show sources without data').check();
    const activity = page.locator('[data-category="activity"]');
    const rows = activity.locator('.priority-row');
    const first = await rows.nth(0).getAttribute('data-source-key');
    const second = await rows.nth(1).getAttribute('data-source-key');
    await activity.getByRole('button', { name: /Move .* down/ }).first().click();
    await expect(rows.nth(0)).toHaveAttribute('data-source-key', second!);
    await activity.getByLabel('Fill gaps from lower sources').uncheck();

    await page.reload();
    await navButton(page, 'Preferences').click();
    // An empty database: every source is one without data, shown on request.
    await page.getByLabel('Show sources without data').check();
    await expect(activity.locator('.priority-row').nth(0)).toHaveAttribute('data-source-key', second!);
    await expect(activity.locator('.priority-row').nth(1)).toHaveAttribute('data-source-key', first!);
    await expect(activity.getByLabel('Fill gaps from lower sources')).not.toBeChecked();

    const stored = await app.cli(['prefs', 'get', '--json']);
    const prefs = JSON.parse(stored.stdout) as { category: string; sources: string[]; fillGaps: boolean }[];
    const saved = prefs.find((p) => p.category === 'activity')!;
    expect(saved.sources.slice(0, 2)).toEqual([second, first]);
    expect(saved.fillGaps).toBe(false);
  });

  test('“Saved.” is said on Preferences only, and goes by itself', async ({ app, page }) => {
    // A fake clock (time still runs): the message's few seconds pass at once, not in real time.
    await page.clock.install();
    await page.goto(app.url);
    await navButton(page, 'Preferences').click();
    await page.getByLabel('Show sources without data').check();
    const activity = page.locator('[data-category="activity"]');
    const saved = page.getByRole('status').filter({ hasText: 'Saved.' });
    await activity.getByRole('button', { name: /Move .* down/ }).first().click();
    await expect(saved).toBeVisible();
    // The other pages are not about that change.
    for (const name of ['Dashboard', 'Export', 'Settings'] as const) {
      await navButton(page, name).click();
      await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
      await expect(page.getByText('Saved.', { exact: true }), name).toHaveCount(0);
    }
    await navButton(page, 'Preferences').click();
    await page.getByLabel('Show sources without data').check();
    await expect(activity.locator('.priority-row').first()).toBeVisible();
    await expect(saved).toHaveCount(0);
    // On Preferences it goes after a few seconds.
    await activity.getByRole('button', { name: /Move .* down/ }).first().click();
    await expect(saved).toBeVisible();
    await page.clock.fastForward(10_000);
    await expect(saved).toHaveCount(0);
  });

  test('keyboard alone reorders sources', async ({ app, page }) => {
    await page.goto(app.url);
    await navButton(page, 'Preferences').click();
    // An empty database: every source is one without data, shown on request.
    await page.getByLabel('Show sources without data').check();
    const sleep = page.locator('[data-category="sleep"]');
    const rows = sleep.locator('.priority-row');
    const third = await rows.nth(2).getAttribute('data-source-key');
    await rows.nth(2).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect(rows.nth(1)).toHaveAttribute('data-source-key', third!);
    // Focus follows the moved row, so a second press moves it again.
    await page.keyboard.press('Alt+ArrowUp');
    await expect(rows.nth(0)).toHaveAttribute('data-source-key', third!);
    await expect(sleep.locator('[aria-live="polite"]')).toContainText('position 1');
  });

  test('a source that cannot supply the category is refused with a visible message', async ({ app, page }) => {
    await page.goto(app.url);
    await navButton(page, 'Preferences').click();
    // An empty database: every source is one without data, shown on request.
    await page.getByLabel('Show sources without data').check();
    // The UI only offers sources that fit, so send what a tampered page would: straight to the contract.
    const res = await page.evaluate(async () => {
      const token = sessionStorage.getItem('vitalsync.token');
      const r = await fetch('/api/invoke/prefs:set', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ category: 'sleep', sources: ['strava'] }),
      });
      return r.json();
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // And through the page: typing a key that does not fit shows why, and changes nothing.
    const sleep = page.locator('[data-category="sleep"]');
    await sleep.getByLabel('Source key to add to Sleep').fill('strava');
    await sleep.getByRole('button', { name: 'Add' }).click();
    await expect(page.getByRole('alert')).toContainText('Strava (strava) cannot supply Sleep');
    await expect(sleep.locator('[data-source-key="strava"]')).toHaveCount(0);
    const stored = JSON.parse((await app.cli(['prefs', 'get', '--json'])).stdout) as { category: string; sources: string[] }[];
    expect(stored.find((p) => p.category === 'sleep')!.sources).not.toContain('strava');
  });

  test('a metric can have its own order, kept apart from its category', async ({ app, page }) => {
    await page.goto(app.url);
    await navButton(page, 'Preferences').click();
    // An empty database: every source is one without data, shown on request.
    await page.getByLabel('Show sources without data').check();
    const activity = page.locator('[data-category="activity"]');
    await activity.getByText('Per-metric exceptions').click();
    await activity.getByLabel('Give a metric its own order').selectOption('steps');
    const steps = activity.locator('[data-metric="steps"]');
    await expect(steps.locator('.priority-row').first()).toBeVisible();
    const first = await steps.locator('.priority-row').nth(0).getAttribute('data-source-key');
    const second = await steps.locator('.priority-row').nth(1).getAttribute('data-source-key');
    await steps.locator('.priority-row').nth(1).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect(steps.locator('.priority-row').nth(0)).toHaveAttribute('data-source-key', second!);
    const stored = JSON.parse((await app.cli(['prefs', 'get', '--json'])).stdout) as { category: string; sources: string[]; overrides: Record<string, { sources: string[] }> }[];
    const saved = stored.find((p) => p.category === 'activity')!;
    expect(saved.overrides.steps.sources.slice(0, 2)).toEqual([second, first]);
    // The category's own order is untouched.
    expect(saved.sources[0]).toBe(first);
  });

  test('the API refuses requests without the per-launch token', async ({ app, page }) => {
    const origin = new URL(app.url).origin;
    const res = await page.request.post(`${origin}/api/invoke/prefs:get`, { data: {} });
    expect(res.status()).toBe(401);
  });
});
