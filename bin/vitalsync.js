#!/usr/bin/env node
// Launcher for the `vitalsync` CLI (built to out/main/cli.js by `npm run build`).
//
// On a desktop machine the native modules (better-sqlite3, keytar) may have been rebuilt for
// Electron's ABI by `npm start`. Plain Node then cannot load them, so we re-run this same CLI
// under Electron's own Node (ELECTRON_RUN_AS_NODE=1), which can.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('vitalsync: the CLI is not built yet. Run "npm run build" in the VitalSync folder first.\n');
  process.exit(1);
}

function nativeModulesLoad() {
  try {
    createRequire(import.meta.url)('better-sqlite3');
    return true;
  } catch (err) {
    if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version|ERR_DLOPEN_FAILED/.test(String(err?.message ?? err))) return false;
    throw err;
  }
}

if (process.versions.electron || nativeModulesLoad()) {
  await import(cli);
} else {
  let electronBinary;
  try {
    electronBinary = createRequire(import.meta.url)('electron');
  } catch {
    electronBinary = null;
  }
  if (typeof electronBinary !== 'string' || !existsSync(electronBinary)) {
    process.stderr.write('vitalsync: better-sqlite3 is built for another runtime and Electron is not installed. Run "npm rebuild better-sqlite3 keytar".\n');
    process.exit(1);
  }
  const result = spawnSync(electronBinary, [cli, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  process.exit(result.status ?? 1);
}
