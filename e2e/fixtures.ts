// Shared e2e fixtures: a fresh data folder, the real CLI's `serve` (built app, real core and
// SQLite) and Debian's Chromium. Every test gets its own server and database.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, chromium, type Browser, type Page } from '@playwright/test';
import { startEmulator, type EmulatorOptions, type ProviderEmulator } from './emulator/server';

import { CLI, ROOT, startServe } from './serve';

export { CLI, ROOT, startServe };
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');

export interface App {
  dataDir: string;
  url: string;
  /** Runs the CLI against this test's data folder. */
  cli(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }>;
}

export function runCli(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}


export const test = base.extend<{ app: App; page: Page; serveEnv: NodeJS.ProcessEnv }, { browser: Browser }>({
  serveEnv: [{}, { option: true }],
  browser: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
    async ({}, use) => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  app: async ({ serveEnv }, use) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-e2e-'));
    const { url, child } = await startServe(dataDir, serveEnv);
    await use({ dataDir, url, cli: (args, env) => runCli(dataDir, args, { ...serveEnv, ...env }) });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  },
  page: async ({ browser }, use) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await use(page);
    await context.close();
  },
});

/**
 * The app in browser mode wired to its own provider emulator: `emu` is started per test, and the
 * server gets the emulator's addresses, a free loopback port for `provider`, and keychain entries
 * of its own (nothing carries over between tests).
 */
export function emulatorTest(provider: 'withings' | 'oura' | 'whoop' | 'strava', options: EmulatorOptions = {}) {
  return test.extend<{ emu: ProviderEmulator }>({
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
    emu: async ({}, use) => {
      const emu = await startEmulator(options);
      await use(emu);
      await emu.close();
    },
    serveEnv: async ({ emu }, use) => {
      await use({ ...emu.env(), [`VITALSYNC_${provider.toUpperCase()}_LOOPBACK_PORT`]: '0', VITALSYNC_KEYCHAIN_SERVICE: `VitalSync-e2e-${crypto.randomUUID()}` });
    },
  });
}

export { expect } from '@playwright/test';

/** The main navigation's button for a page: the page's own buttons (an "Export to import" picker) never match. */
export function navButton(page: Page, name: 'Dashboard' | 'Imports' | 'Sources' | 'Preferences' | 'Export' | 'Settings') {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
}

/** What a source's card says of its counts ("12 samples, 1 workout"), as the page writes it. */
export function countsText(c: { samples: number; workouts: number }): string {
  const of = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  return `${of(c.samples, 'sample', 'samples')}, ${of(c.workouts, 'workout', 'workouts')}`;
}
