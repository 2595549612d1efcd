// The vault's front: one Vault per core (its passes queue behind each other and its watcher
// is stopped when the core closes). Loaded on first use, so `vitalsync status` never pays for
// libsodium.
import type { Handlers } from '../handlers';
import type { Core } from '../index';
import { Vault, type VaultOptions } from './index';

type Parts = Pick<Core, 'dataDir' | 'db' | 'events' | 'prefs' | 'settings' | 'derived' | 'deps' | 'onClose'>;

const vaults = new WeakMap<Parts['db'], Vault>();

/** The core's Vault, made on first use. */
export function vaultOf(core: Parts, options: VaultOptions = kdfFromEnv()): Vault {
  let v = vaults.get(core.db);
  if (!v) {
    const made = new Vault(core, options);
    vaults.set(core.db, made);
    core.onClose(() => made.close());
    v = made;
  }
  return v;
}

/**
 * VITALSYNC_VAULT_KDF=interactive makes new vaults with libsodium's interactive Argon2id cost
 * (tests and benchmarks create many); anything else uses the moderate default.
 */
function kdfFromEnv(): VaultOptions {
  return process.env.VITALSYNC_VAULT_KDF === 'interactive' ? { kdf: 'interactive' } : {};
}

export function vaultHandlers(core: Parts): Pick<Handlers, 'vault:status' | 'vault:init' | 'vault:join' | 'vault:sync' | 'vault:pause' | 'vault:confirm' | 'vault:leave'> {
  const v = () => vaultOf(core);
  return {
    'vault:status': () => v().status(),
    'vault:init': (input) => v().init(input),
    'vault:join': (input) => v().join(input),
    'vault:sync': () => v().sync(),
    'vault:pause': (input) => v().pause(input.paused),
    'vault:confirm': (input) => v().confirm(input.device, input.segment),
    'vault:leave': () => v().leave(),
  };
}

/** Background syncing through the vault, now and once one is created or joined (the app and browser mode call it once the core is open). */
export function runVaultInBackground(core: Parts): void {
  vaultOf(core).runInBackground();
}
