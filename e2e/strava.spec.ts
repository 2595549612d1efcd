// Strava end to end in Chromium against browser mode and the provider emulator. The "system
// browser" is a new tab: the page opens the authorize address there and the emulator's sign-in
// page sends the answer straight to VitalSync's loopback listener (Strava accepts 127.0.0.1 on
// any port). Run under a real Secret Service (scripts/with-keychain.mjs).
import type { Page } from '@playwright/test';
import type { ProviderEmulator } from './emulator/server';
import { emulatorTest, expect } from './fixtures';

const test = emulatorTest('strava');

async function connectStrava(page: Page, emu: ProviderEmulator, url: string) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Sources', exact: true }).click();
  const card = page.locator('[data-source="strava"]');
  await expect(card.getByTestId('connection-status')).toHaveText('Not connected');

  await card.getByRole('button', { name: 'Set up credentials' }).click();
  await expect(card.getByRole('link', { name: 'https://www.strava.com/settings/api' })).toBeVisible();
  await expect(card.getByLabel('Redirect URI')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/strava\/callback$/);
  await expect(card.locator('.credentials-setup code')).toHaveText('read activity:read_all');
  await card.getByLabel('Client ID').fill(emu.clients.strava.clientId);
  await card.getByLabel('Client secret').fill(emu.clients.strava.clientSecret);
  await card.getByRole('button', { name: 'Save credentials' }).click();
  await expect(page.getByRole('status')).toContainText('Strava credentials saved in your system keychain');

  const popupPromise = page.context().waitForEvent('page');
  await card.getByRole('button', { name: 'Connect', exact: true }).click();
  const popup = await popupPromise;
  await expect(popup.getByRole('heading', { name: 'Emulated strava sign-in' })).toBeVisible();
  await expect(popup.locator('#scopes')).toHaveText('read,activity:read_all');
  await popup.getByRole('button', { name: 'Allow' }).click();
  // Provider → VitalSync's loopback listener.
  await expect(popup.locator('#message')).toContainText('Strava is connected.');
  await popup.close();
  return card;
}

test.describe('Strava in the browser', () => {
  test('set up credentials, connect through the provider page, sync, and see Strava connected with its counts', async ({ app, page, emu }) => {
    const card = await connectStrava(page, emu, app.url);
    // Connecting starts a first sync on its own: 4 activities, and the heart-rate streams of two (4 + 3 readings).
    await expect(card.locator('.connection')).toContainText('7 samples, 4 workouts');
    await expect(card.getByTestId('connection-status')).toHaveText('Connected');
    await expect(card).not.toContainText('Last sync: —');

    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByRole('status')).toContainText('strava: 0 new');
    await expect(card.locator('.connection')).toContainText('7 samples, 4 workouts');

    // The same database, seen from the CLI.
    const sync = await app.cli(['sync', 'strava', '--json']);
    expect(JSON.parse(sync.stdout)[0]).toMatchObject({ provider: 'strava', status: 'completed', inserted: 0 });
    const status = JSON.parse((await app.cli(['status', '--json'])).stdout) as { database: { workouts: number } };
    expect(status.database.workouts).toBe(4);
    // The code exchange carried the client secret; no request was ever refused for the rate limit.
    expect(emu.requests.find((r) => r.provider === 'strava' && r.params.grant_type === 'authorization_code')!.params.client_secret).toBe(emu.clients.strava.clientSecret);
    expect(emu.stravaApi.tooMany).toBe(0);
  });

  test('a read allowance spent mid-import ends the sync cleanly: still connected, no 429, even on Sync now', async ({ app, page, emu }) => {
    // An app allowed 3 reads per 15 minutes: the list and two activities' details fit.
    emu.stravaApi.limits = { overall: [200, 2_000], read: [3, 1_000] };
    const card = await connectStrava(page, emu, app.url);
    // Strava's 15-minute windows reset at :00, :15, :30 and :45 (wall clock), and a sync waits in
    // place for a reset less than a minute away (MAX_IN_PROCESS_WAIT_MS) instead of ending: a run
    // that starts just before one legitimately stays "Syncing…" until it.
    const nearReset = { timeout: 75_000 };
    test.setTimeout(240_000);
    await expect(card.getByTestId('connection-status')).toHaveText('Connected', nearReset);
    await expect(card.locator('.connection')).toContainText(/[1-4] workouts?/);
    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByRole('status')).toContainText('strava:', nearReset);
    await expect(card.getByTestId('connection-status')).toHaveText('Connected', nearReset);
    await expect(card.getByTestId('connection-error')).toHaveCount(0);
    // Never more than 3 reads in one quarter hour, and not one refused.
    const perQuarter = new Map<number, number>();
    for (const r of emu.requests.filter((x) => x.provider === 'strava' && x.path.startsWith('/api/v3'))) {
      const q = Math.floor(r.at / 900_000);
      perQuarter.set(q, (perQuarter.get(q) ?? 0) + 1);
    }
    expect(Math.max(...perQuarter.values())).toBeLessThanOrEqual(3);
    expect(emu.stravaApi.tooMany).toBe(0);
  });
});
