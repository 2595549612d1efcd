// Oura end to end in Chromium against browser mode and the provider emulator: guided setup,
// Connect in a new tab (the "system browser"), the emulator's sign-in page redirecting straight
// to VitalSync's loopback listener, the first sync, and the Sources page showing what came in.
// Run under scripts/with-keychain.mjs (a real Secret Service).
import { expectedOuraCounts } from './emulator/oura/data';
import { emulatorTest, expect, countsText } from './fixtures';

const test = emulatorTest('oura', { pageSize: 3 });

const expected = expectedOuraCounts();

test.describe('Oura in the browser', () => {
  test('set up credentials, connect through the provider page, sync, and see Oura connected with sample counts', async ({ app, page, emu }) => {
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Sources', exact: true }).click();
    const card = page.locator('[data-source="oura"]');
    await expect(card.getByTestId('connection-status')).toHaveText('Not connected');

    await card.getByRole('button', { name: 'Set up credentials' }).click();
    await expect(card.getByLabel('Redirect URI')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/oura\/callback$/);
    await expect(card.getByRole('link', { name: 'https://cloud.ouraring.com/oauth/applications' })).toBeVisible();
    await expect(card.locator('.credentials-setup code')).toHaveText('daily heartrate workout spo2');
    await card.getByLabel('Client ID').fill(emu.clients.oura.clientId);
    await card.getByLabel('Client secret').fill(emu.clients.oura.clientSecret);
    await card.getByRole('button', { name: 'Save credentials' }).click();
    await expect(page.getByRole('status')).toContainText('Oura credentials saved in your system keychain');

    const popupPromise = page.context().waitForEvent('page');
    await card.getByRole('button', { name: 'Connect', exact: true }).click();
    const popup = await popupPromise;
    await expect(popup.getByRole('heading', { name: 'Emulated oura sign-in' })).toBeVisible();
    await expect(popup.locator('#scopes')).toHaveText('daily heartrate workout spo2');
    await popup.getByRole('button', { name: 'Allow' }).click();
    await expect(popup.locator('body')).toContainText('Oura is connected.');
    await popup.close();

    // Connecting starts the first sync on its own.
    await expect(card.locator('.connection')).toContainText(countsText(expected));
    await expect(card.getByTestId('connection-status')).toHaveText('Connected');
    await expect(card).not.toContainText('Last sync: —');

    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByRole('status')).toContainText('oura: 0 new');
    await expect(card.locator('.connection')).toContainText(countsText(expected));

    // The same database from the CLI; Oura never had to refuse a request.
    const status = JSON.parse((await app.cli(['status', '--json'])).stdout) as { database: { samples: number } };
    expect(status.database.samples).toBe(expected.samples);
    expect(emu.requests.filter((r) => r.provider === 'oura' && r.path.startsWith('/v2/') && r.httpStatus !== 200)).toEqual([]);
    expect(emu.count({ provider: 'oura', path: '/oauth/token', grantType: 'authorization_code' })).toBe(1);
  });
});
