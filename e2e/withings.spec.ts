// Withings end to end in Chromium against browser mode and the provider emulator. The
// "system browser" is a new tab: the page opens the authorize address there, the emulator's
// sign-in page redirects to the https bounce page, which hands the answer to VitalSync's
// loopback listener. Run under scripts/with-keyring.sh (a real Secret Service).
import type { Page } from '@playwright/test';
import type { ProviderEmulator } from './emulator/server';
import { expectedWithingsCounts } from './emulator/withings/data';
import { emulatorTest, expect, countsText } from './fixtures';

const test = emulatorTest('withings', { pageSize: 3 });

const expected = expectedWithingsCounts();

async function connectWithings(page: Page, emu: ProviderEmulator, url: string) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Sources', exact: true }).click();
  const card = page.locator('[data-source="withings"]');
  await expect(card.getByTestId('connection-status')).toHaveText('Not connected');
  await expect(card.getByRole('button', { name: 'Connect', exact: true })).toBeDisabled();

  // Guided setup: where to register, the redirect URI to paste, the scopes.
  await card.getByRole('button', { name: 'Set up credentials' }).click();
  await expect(card.getByLabel('Redirect URI')).toHaveValue(`${emu.url}/withings/bounce/`);
  await expect(card.getByRole('link', { name: 'https://developer.withings.com/dashboard/' })).toBeVisible();
  await expect(card.locator('.credentials-setup code')).toHaveText('user.info user.metrics user.activity');
  await card.getByLabel('Client ID').fill(emu.clients.withings.clientId);
  await card.getByLabel('Client secret').fill(emu.clients.withings.clientSecret);
  await card.getByRole('button', { name: 'Save credentials' }).click();
  await expect(page.getByRole('status')).toContainText('Withings credentials saved in your system keychain');

  const popupPromise = page.context().waitForEvent('page');
  await card.getByRole('button', { name: 'Connect', exact: true }).click();
  const popup = await popupPromise;
  await expect(popup.getByRole('heading', { name: 'Emulated withings sign-in' })).toBeVisible();
  await expect(popup.locator('#scopes')).toHaveText('user.info,user.metrics,user.activity');
  await expect(card).toContainText('Waiting for you to sign in to Withings');
  await popup.getByRole('button', { name: 'Allow' }).click();
  // Provider → https bounce page → VitalSync's loopback listener.
  await expect(popup.locator('#result')).toHaveText('Connected');
  await expect(popup.locator('#message')).toContainText('Withings is connected.');
  await popup.close();
  return card;
}

test.describe('Withings in the browser', () => {
  test('set up credentials, connect through the provider page, sync, and see status and sample counts', async ({ app, page, emu }) => {
    const card = await connectWithings(page, emu, app.url);
    // Connecting starts a first sync on its own; wait for it to land.
    await expect(card.locator('.connection')).toContainText(countsText(expected));
    await expect(card.getByTestId('connection-status')).toHaveText('Connected');
    await expect(card).toContainText(`${expected.samples} samples from`);
    await expect(card).not.toContainText('Last sync: —');

    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByRole('status')).toContainText('withings: 0 new');
    await expect(card.locator('.connection')).toContainText(countsText(expected));

    // The same database, seen from the CLI.
    const sync = await app.cli(['sync', 'withings', '--json']);
    expect(JSON.parse(sync.stdout)[0]).toMatchObject({ provider: 'withings', status: 'completed', inserted: 0 });
    // The flow really went through the bounce page and the token endpoint.
    expect(emu.count({ provider: 'withings', path: '/bounce/' })).toBe(1);
    expect(emu.count({ provider: 'withings', path: '/v2/oauth2', action: 'requesttoken' })).toBe(1);
  });

  test('when the provider revokes access the source needs reconnecting and its data is kept', async ({ app, page, emu }) => {
    const card = await connectWithings(page, emu, app.url);
    await expect(card.locator('.connection')).toContainText(countsText(expected));
    await expect(card.getByRole('button', { name: 'Sync now' })).toBeEnabled();

    emu.revokeAll('withings');
    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect(card.getByTestId('connection-status')).toHaveText('Needs reconnecting');
    await expect(card.getByTestId('connection-error')).toContainText('Click Reconnect; your data is kept');
    await expect(card.getByRole('button', { name: 'Reconnect' })).toBeVisible();
    await expect(card.locator('.connection')).toContainText(countsText(expected));
    const status = JSON.parse((await app.cli(['status', '--json'])).stdout) as { database: { samples: number } };
    expect(status.database.samples).toBe(expected.samples);

    // Disconnect asks what to do with the data; keeping it keeps every sample.
    await card.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('dialog', { name: 'Disconnect Withings' }).getByRole('button', { name: 'Keep the data' }).click();
    await expect(card.getByTestId('connection-status')).toHaveText('Disconnected');
    await expect(card.locator('.connection')).toContainText(`${expected.samples} samples`);
  });
});
