// Test helper: a real core over a real SQLite file in a fresh temp folder, with the real
// migrations. Used by every core test so they build the core exactly as the app does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core, type CoreDeps } from '../index';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = path.resolve(here, '../../../..');
export const DEV_PATHS = {
  migrationsDir: path.join(PROJECT_ROOT, 'resources/migrations'),
  workersDir: path.join(PROJECT_ROOT, 'src/main/workers'),
};

export function makeTempDir(prefix = 'vitalsync-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function tempCore(overrides: Partial<CoreDeps> = {}): Core & { cleanup(): void } {
  const dataDir = overrides.dataDir ?? makeTempDir();
  const core = createCore({ dataDir, paths: DEV_PATHS, ...overrides });
  return Object.assign(core, {
    cleanup() {
      core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
