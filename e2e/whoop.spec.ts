// WHOOP end to end in Chromium against browser mode and the provider emulator. The "system
// browser" is a new tab: the page opens the authorize address there and the emulator's sign-in
// page sends the answer straight to VitalSync's loopback listener. Run under a real Secret
// Service (scripts/with-keychain.mjs).
import { expectedWhoopCounts } from './emulator/whoop/data';
import { emulatorTest, expect, countsText } from './fixtures';

const test = emulatorTest('whoop');

const expected = expectedWhoopCounts();

test.describe('WHOOP in the browser', () => {
  test('set up credentials, connect through the provider page, sync, and see WHOOP connected with its sample counts', async ({ app, page, emu }) => {
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Sources', exact: true }).click();
    const card = page.locator('[data-source="whoop"]');
    await expect(card.getByTestId('connection-status')).toHaveText('Not connected');

    await card.getByRole('button', { name: 'Set up credentials' }).click();
    await expect(card.getByRole('link', { name: 'https://developer-dashboard.whoop.com/' })).toBeVisible();
    await expect(card.locator('.credentials-setup code')).toContainText('offline');
    await card.getByLabel('Client ID').fill(emu.clients.whoop.clientId);
    await card.getByLabel('Client secret').fill(emu.clients.whoop.clientSecret);
    await card.getByRole('button', { name: 'Save credentials' }).click();
    await expect(page.getByRole('status')).toContainText('WHOOP credentials saved in your system keychain');

    const popupPromise = page.context().waitForEvent('page');
    await card.getByRole('button', { name: 'Connect', exact: true }).click();
    const popup = await popupPromise;
    await expect(popup.getByRole('heading', { name: 'Emulated whoop sign-in' })).toBeVisible();
    await expect(popup.locator('#scopes')).toContainText('offline');
    await popup.getByRole('button', { name: 'Allow' }).click();
    // Provider → VitalSync's loopback listener.
    await expect(popup.locator('#message')).toContainText('WHOOP is connected.');
    await popup.close();

    // Connecting starts a first sync on its own; wait for it to land.
    await expect(card.locator('.connection')).toContainText(countsText(expected));
    await expect(card.getByTestId('connection-status')).toHaveText('Connected');
    await expect(card).not.toContainText('Last sync: —');

    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByRole('status')).toContainText('whoop: 0 new');
    await expect(card.locator('.connection')).toContainText(countsText(expected));

    // The same database, seen from the CLI.
    const sync = await app.cli(['sync', 'whoop', '--json']);
    expect(JSON.parse(sync.stdout)[0]).toMatchObject({ provider: 'whoop', status: 'completed', inserted: 0 });
    // The token exchange carried the client secret; every collection was asked for 25 at a time.
    expect(emu.requests.find((r) => r.provider === 'whoop' && r.params.grant_type === 'authorization_code')!.params.client_secret).toBe(emu.clients.whoop.clientSecret);
    const pages = emu.requests.filter((r) => r.provider === 'whoop' && r.path === '/developer/v2/cycle');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const r of pages) expect(r.params.limit).toBe('25');
  });
});
