import { defineConfig } from '@playwright/test';

// e2e tests drive the real built app (browser mode: `vitalsync serve`) in Debian's Chromium.
// Run `npm run build` first (npm test does). CHROMIUM_PATH overrides the browser binary.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
