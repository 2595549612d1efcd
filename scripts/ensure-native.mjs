// Makes the native modules (better-sqlite3, keytar) loadable by the runtime about to use them.
//
//   node scripts/ensure-native.mjs node       before tests and the CLI under plain Node
//   node scripts/ensure-native.mjs electron   before `npm start` / `npm run dev`
//
// Electron and Node have different native ABIs, so one build cannot serve both. We check
// whether the target runtime can load the modules and rebuild only when it cannot (the usual
// case is: nothing to do). The Electron rebuild follows Electron's documented npm recipe
// (runtime=electron, target=<version>, disturl=Electron's headers), so it needs no extra tool.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const MODULES = ['better-sqlite3', 'keytar'];
const target = process.argv[2];
const require = createRequire(import.meta.url);

function loadsUnder(cmd, env) {
  const probe = `for (const m of ${JSON.stringify(MODULES)}) { const x = require(m); if (m === 'better-sqlite3') new x(':memory:').close(); }`;
  const r = spawnSync(cmd, ['-e', probe], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { ok: r.status === 0, detail: (r.stderr || '').split('\n').find((l) => /Error|MODULE_VERSION/.test(l)) ?? '' };
}

function rebuild(env, label) {
  console.log(`Rebuilding ${MODULES.join(', ')} for ${label}…`);
  const r = spawnSync('npm', ['rebuild', ...MODULES], { stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`Could not rebuild the native modules for ${label}. See the messages above; a C++ toolchain (python3, make, g++/Xcode/MSVC) may be missing.`);
    process.exit(1);
  }
}

if (target === 'node') {
  const check = loadsUnder(process.execPath, {});
  if (!check.ok) {
    rebuild({}, `Node ${process.version}`);
    const again = loadsUnder(process.execPath, {});
    if (!again.ok) {
      console.error(`The native modules still fail to load under Node: ${again.detail}`);
      process.exit(1);
    }
  }
} else if (target === 'electron') {
  let electronBinary;
  try {
    electronBinary = require('electron');
  } catch {
    console.error('Electron is not installed. Run "npm install" (with network access: Electron downloads its binary on install).');
    process.exit(1);
  }
  const version = require('electron/package.json').version;
  const check = loadsUnder(electronBinary, { ELECTRON_RUN_AS_NODE: '1' });
  if (!check.ok) {
    rebuild(
      {
        npm_config_runtime: 'electron',
        npm_config_target: version,
        npm_config_disturl: 'https://electronjs.org/headers',
        npm_config_build_from_source: process.env.npm_config_build_from_source ?? '',
      },
      `Electron ${version}`,
    );
  }
} else {
  console.error('usage: node scripts/ensure-native.mjs node|electron');
  process.exit(2);
}
