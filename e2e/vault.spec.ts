// Sync between computers in browser mode: two VitalSync instances (each its own data folder and
// keychain service) share one vault folder. A imports a month of steps and creates the vault
// from Settings; B, empty, joins it from Settings and then shows A's data with the same numbers
// (CLI query and the dashboard's table); a preference changed on B reaches A after "Sync now".
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { ARTIFACTS, expect, navButton, ROOT, runCli, startServe, test } from './fixtures';

// VitalSync's own raw CSV export: 26 Feb – 3 Apr 2026, Berlin (see export.spec.ts).
const RAW = path.join(ROOT, 'e2e', 'fixtures', 'vitalsync-raw-export-feb-apr-2026.csv');
const MARCH_STEPS = ['query', 'steps', '--from', '2026-03-01', '--to', '2026-03-31', '--json'];
const PASSPHRASE = 'correct horse battery staple';

/** Each instance gets a keychain service of its own; Argon2id at its cheap (interactive) cost. */
const vaultEnv = (): NodeJS.ProcessEnv => ({ VITALSYNC_VAULT_KDF: 'interactive', VITALSYNC_KEYCHAIN_SERVICE: `VitalSync-e2e-${crypto.randomUUID()}` });

const vaultTest = test.extend({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  serveEnv: async ({}, use) => {
    await use(vaultEnv());
  },
});

type Buckets = { buckets: { start: string; value: number }[] };

function syncSection(page: Page): Locator {
  return page.getByRole('region', { name: 'Sync between your computers' });
}

async function openSettings(page: Page): Promise<Locator> {
  await navButton(page, 'Settings').click();
  const section = syncSection(page);
  await expect(section.getByRole('heading', { name: 'Sync between your computers', level: 2 })).toBeVisible();
  return section;
}

/** The Steps chart of March as its table view's text. */
async function marchStepsTable(page: Page): Promise<string> {
  await page.evaluate("window.location.hash = '#/dashboard?span=month&end=2026-03-31'");
  const card = page.locator('[data-chart="steps"]');
  await expect(card).toHaveAttribute('data-state', 'ready');
  const toggle = card.getByRole('button', { name: 'Show as table' });
  if (await toggle.isVisible()) await toggle.click();
  const rows = card.locator('tbody tr');
  await expect(rows.last()).toContainText('2026-03-31');
  return (await card.locator('table').innerText()).trim();
}

vaultTest.describe('Sync through a vault', () => {
  vaultTest('a second computer joins the vault from Settings, sees the same data, and a preference travels back', async ({ app, page, browser, serveEnv }) => {
    vaultTest.setTimeout(180_000);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-vault-e2e-'));
    const folder = path.join(tmp, 'VitalSync');
    const dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-e2e-b-'));
    const envB = vaultEnv();
    expect(envB.VITALSYNC_KEYCHAIN_SERVICE).not.toBe(serveEnv.VITALSYNC_KEYCHAIN_SERVICE);
    const cliB = (args: string[]) => runCli(dirB, args, envB);
    let serveB: ChildProcess | null = null;
    const contextB = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      // A: a month of steps, then Settings → Create a vault.
      expect((await app.cli(['settings', 'set', 'homeTimeZone', 'Europe/Berlin'])).code).toBe(0);
      const imported = await app.cli(['import', RAW, '--json']);
      expect(imported.code, imported.stderr).toBe(0);
      await page.goto(app.url);
      const sectionA = await openSettings(page);
      await expect(sectionA).toContainText('no VitalSync server exists');
      const create = sectionA.getByRole('form', { name: 'Create a vault' });
      await create.getByLabel('Vault folder').fill(folder);
      await create.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
      await create.getByLabel('Passphrase again').fill(`${PASSPHRASE}!`);
      await create.getByLabel('This computer’s name').fill('Laptop A');
      await create.getByRole('button', { name: 'Create vault' }).click();
      await expect(create.getByRole('alert')).toHaveText('The two passphrases differ. Type the same passphrase twice.');
      await create.getByLabel('Passphrase again').fill(PASSPHRASE);
      await create.getByRole('button', { name: 'Create vault' }).click();

      // The recovery phrase, once: 24 numbered words, then gone.
      const phrase = sectionA.getByRole('region', { name: 'Recovery phrase' });
      await expect(phrase.locator('ol > li')).toHaveCount(24);
      for (const word of await phrase.locator('ol > li').allInnerTexts()) expect(word).toMatch(/^[a-z]+$/);
      await phrase.getByRole('button', { name: 'I have written it down' }).click();
      await expect(phrase).toHaveCount(0);
      const devicesA = sectionA.getByRole('table', { name: 'Computers in this vault' });
      await expect(devicesA.locator('tbody tr')).toHaveCount(1);
      await expect(devicesA).toContainText('Laptop A');
      await expect(sectionA).toContainText('Syncing');
      expect(fs.existsSync(folder)).toBe(true);

      // B: an empty instance joins the same folder with the passphrase.
      const started = await startServe(dirB, envB);
      serveB = started.child;
      const pageB = await contextB.newPage();
      await pageB.goto(started.url);
      const sectionB = await openSettings(pageB);
      await expect(sectionB.getByRole('form', { name: 'Join a vault' })).toBeVisible();
      await sectionB.screenshot({ path: path.join(ARTIFACTS, 'settings-sync-none.png') });
      const join = sectionB.getByRole('form', { name: 'Join a vault' });
      await join.getByLabel('Vault folder').fill(folder);
      await join.getByLabel('Its passphrase').check();
      await join.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
      await join.getByLabel('This computer’s name').fill('Desktop B');
      await join.getByRole('button', { name: 'Join vault' }).click();
      const devicesB = sectionB.getByRole('table', { name: 'Computers in this vault' });
      await expect(devicesB.locator('tbody tr')).toHaveCount(2);
      await expect(devicesB.locator('tbody tr').filter({ hasText: 'this computer' })).toContainText('Desktop B');
      await expect(devicesB.locator('tbody tr').filter({ hasNotText: 'this computer' })).toContainText('Laptop A');
      await expect(sectionB).toContainText('Syncing');
      await sectionB.screenshot({ path: path.join(ARTIFACTS, 'settings-sync-active.png') });
      // A sees B once its own pass has read B's manifest (vault:changed or the 10 s refresh).
      await expect(devicesA.locator('tbody tr')).toHaveCount(2, { timeout: 20_000 });

      // The same March on both: the command line's merge…
      const queryA = JSON.parse((await app.cli(MARCH_STEPS)).stdout) as Buckets;
      expect(queryA.buckets).toHaveLength(31);
      expect(queryA.buckets[0].value).toBe(1204);
      await expect(async () => {
        const res = await cliB(MARCH_STEPS);
        expect(res.code, res.stderr).toBe(0);
        expect((JSON.parse(res.stdout) as Buckets).buckets).toEqual(queryA.buckets);
      }).toPass({ timeout: 30_000 });
      // …and the dashboard's Steps table.
      const tableA = await marchStepsTable(page);
      // The month view is the 30 days ending on 31 March; 31 March is 1,234 steps (export.spec.ts).
      expect(tableA).toContain('2026-03-02');
      expect(tableA).toMatch(/2026-03-31\s+1,234 steps/);
      await expect(async () => expect(await marchStepsTable(pageB)).toBe(tableA)).toPass({ timeout: 30_000 });

      // A preference changed on B reaches A.
      const activity = async (cli: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>) => {
        const res = await cli(['prefs', 'get', 'activity', '--json']);
        expect(res.code, res.stderr).toBe(0);
        return (JSON.parse(res.stdout) as { category: string; fillGaps: boolean }[])[0];
      };
      const before = await activity(app.cli);
      expect((await activity(cliB)).fillGaps).toBe(before.fillGaps);
      const fill = before.fillGaps ? 'off' : 'on';
      const set = await cliB(['prefs', 'set', 'activity', '--fill-gaps', fill]);
      expect(set.code, set.stderr).toBe(0);
      await navButton(pageB, 'Settings').click();
      await sectionB.getByRole('button', { name: 'Sync now' }).click();
      await expect(sectionB.locator('.vault-result')).toContainText(/^Wrote \d+ segment\(s\) \(\d+ samples\); took in \d+/);
      await navButton(page, 'Settings').click();
      await sectionA.getByRole('button', { name: 'Sync now' }).click();
      await expect(sectionA.locator('.vault-result')).toContainText(/^Wrote \d+ segment\(s\)/);
      await expect.poll(async () => (await activity(app.cli)).fillGaps, { timeout: 20_000 }).toBe(!before.fillGaps);
      await sectionA.screenshot({ path: path.join(ARTIFACTS, 'settings-sync-synced.png') });
    } finally {
      await contextB.close();
      if (serveB && serveB.exitCode === null) {
        const exited = new Promise((r) => serveB!.once('exit', r));
        serveB.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dirB, { recursive: true, force: true });
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
  vaultTest('a deletion of most of the data waits in Settings until the person takes it in; removing this computer keeps its data', async ({ app, page }) => {
    vaultTest.setTimeout(120_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-vault-e2e-'));
    const folder = path.join(tmp, 'VitalSync');
    const dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-e2e-a-'));
    const envA = { ...vaultEnv(), VITALSYNC_VAULT_PASSPHRASE: PASSPHRASE };
    const cliA = (args: string[]) => runCli(dirA, args, envA);
    try {
      // A (the CLI only): 8 Withings weigh-ins and 2 walks, in VitalSync's own raw CSV.
      const header = fs.readFileSync(RAW, 'utf8').split('\n')[0];
      const weigh = (d: number) => `weight,withings,Body+,scale,,meastype:1,kg,2026-03-0${d}T07:00:00+01:00,2026-03-0${d}T07:00:00+01:00,,Europe/Berlin,provider,7${d},,,,,,`;
      const walk = (d: number) => `steps,apple_health,Jane’s Apple Watch,watch,,HKQuantityTypeIdentifierStepCount,count,2026-03-0${d}T08:00:00+01:00,2026-03-0${d}T08:30:00+01:00,,Europe/Berlin,record,100${d},,,,,,`;
      const csv = path.join(tmp, 'mostly-withings.csv');
      fs.writeFileSync(csv, [header, ...[1, 2, 3, 4, 5, 6, 7, 8].map(weigh), walk(1), walk(2)].join('\n') + '\n');
      expect((await cliA(['settings', 'set', 'homeTimeZone', 'Europe/Berlin'])).code).toBe(0);
      const imported = await cliA(['import', csv, '--json']);
      expect(imported.code, imported.stderr).toBe(0);
      const init = await cliA(['vault', 'init', folder, '--name', 'Desktop']);
      expect(init.code, init.stderr).toBe(0);

      // B (this page's instance) joins with the CLI and has the 8 weigh-ins.
      const joined = await app.cli(['vault', 'join', folder, '--name', 'Laptop'], { VITALSYNC_VAULT_PASSPHRASE: PASSPHRASE });
      expect(joined.code, joined.stderr).toBe(0);
      const weights = async () => (JSON.parse((await app.cli(['query', 'weight', '--from', '2026-03-01', '--to', '2026-03-08', '--json'])).stdout) as Buckets).buckets.length;
      expect(await weights()).toBe(8);

      // A deletes its Withings data: on B that is 8 of 10 rows, so it waits.
      expect((await cliA(['disconnect', 'withings', '--delete-data'])).code).toBe(0);
      expect((await cliA(['vault', 'sync'])).code).toBe(0);
      // The app (running since before B joined from the CLI) notices the vault and syncs by itself.
      await page.goto(app.url);
      const section = await openSettings(page);
      const held = section.locator('.vault-held');
      await expect(held).toContainText('Waiting for you', { timeout: 20_000 });
      await expect(held).toContainText(/A segment from Desktop deletes withings data written before .* \(8 rows here\) \(80% of the data here\)\./);
      expect(await weights()).toBe(8);
      await held.getByRole('button', { name: 'Take it in' }).click();
      await expect(held).toHaveCount(0);
      await expect.poll(weights).toBe(0);

      // Remove this computer: a confirm step, then the forms again; the data here stays.
      await section.getByRole('button', { name: 'Remove this computer from the vault' }).click();
      await section.getByRole('button', { name: 'Remove this computer', exact: true }).click();
      await expect(section.getByRole('status')).toContainText('This computer left the vault');
      await expect(section.getByRole('form', { name: 'Join a vault' })).toBeVisible();
      const steps = JSON.parse((await app.cli(['query', 'steps', '--from', '2026-03-01', '--to', '2026-03-02', '--json'])).stdout) as Buckets;
      expect(steps.buckets.map((b) => b.value)).toEqual([1001, 1002]);
      // A still sees the computer, marked as gone.
      const status = JSON.parse((await cliA(['vault', 'status', '--json'])).stdout) as { devices: { name: string; left: boolean }[] };
      expect(status.devices.find((d) => d.name === 'Laptop')).toMatchObject({ left: true });
    } finally {
      fs.rmSync(dirA, { recursive: true, force: true });
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
