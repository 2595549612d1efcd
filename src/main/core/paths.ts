import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppPaths } from './index';

/** The product name Electron derives userData from; the CLI must agree with it. */
export const APP_NAME = 'VitalSync';

/**
 * The desktop app's data folder (Electron's userData for "VitalSync"), so that the CLI and the
 * app share one database by default. VITALSYNC_DATA_DIR overrides it for every front door.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.VITALSYNC_DATA_DIR) return path.resolve(env.VITALSYNC_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

/**
 * Finds migrations and worker entries from an entry file's folder. Works for the source tree
 * (src/main, run by tsx or vitest), a build (out/main) and a packaged app (app.asar/out/main),
 * because resources/ sits at the root of each.
 */
export function appPathsFrom(entryDir: string): AppPaths {
  let dir = entryDir;
  let migrationsDir: string | null = null;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'resources', 'migrations');
    if (fs.existsSync(candidate)) {
      migrationsDir = candidate;
      break;
    }
    dir = path.dirname(dir);
  }
  if (!migrationsDir) throw new Error(`VitalSync cannot find its database migrations (resources/migrations) above ${entryDir}. The installation is incomplete.`);
  const built = path.basename(entryDir) === 'main' && path.basename(path.dirname(entryDir)) === 'out';
  return {
    migrationsDir: unpackedTwin(migrationsDir, '0000_init.sql'),
    workersDir: unpackedTwin(built ? entryDir : path.join(entryDir, 'workers'), 'importWorker.js'),
  };
}

/**
 * A packaged app keeps the import worker and the migrations it opens the database with outside
 * app.asar (electron-builder's asarUnpack, see packaging/layout.mjs), so a worker thread never
 * reads inside the archive: their app.asar.unpacked twin is used when it is there.
 */
function unpackedTwin(dir: string, probe: string): string {
  const twin = dir.replace(/([/\\])app\.asar(?=[/\\]|$)/, '$1app.asar.unpacked');
  return twin !== dir && fs.existsSync(path.join(twin, probe)) ? twin : dir;
}
