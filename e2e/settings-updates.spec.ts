import { expect, test, navButton } from './fixtures';

test('update checks are off until the person turns them on in Settings, and the choice is saved', async ({ app, page }) => {
  await page.goto(app.url);
  await navButton(page, 'Settings').click();
  const box = page.getByLabel('Check for updates');
  await expect(box).not.toBeChecked();
  expect((await app.cli(['settings', 'get', 'checkForUpdates'])).stdout.trim()).toBe('false');
  await expect(page.getByText('the only connection VitalSync makes')).toBeVisible();

  // The box shows the saved setting: it turns checked once the save is done (check() would
  // demand the change within the click itself).
  await box.click();
  await expect(box).toBeChecked();
  await expect.poll(async () => (await app.cli(['settings', 'get', 'checkForUpdates'])).stdout.trim()).toBe('true');
  await page.reload();
  await navButton(page, 'Settings').click();
  await expect(page.getByLabel('Check for updates')).toBeChecked();
});
