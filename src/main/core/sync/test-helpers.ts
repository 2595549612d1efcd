// Test helper: a real core wired to a real keychain entry set (a unique keytar service per
// test, in the Secret Service that scripts/with-keyring.sh provides) and to the provider
// emulator, with recorded instead of real waits.
import crypto from 'node:crypto';
import { DEFAULT_CLIENTS, type ProviderEmulator } from '../../../../e2e/emulator/server';
import { signIn } from '../../../../e2e/emulator/browser';
import type { EventName, EventPayload } from '../../../shared/contract';
import type { CoreDeps } from '../index';
import { keytarStore, type SecretStore } from '../secrets';
import { tempCore } from '../test/tempCore';

export interface TestKeychain extends SecretStore {
  service: string;
  /** Removes every entry this test wrote. */
  wipe(): Promise<void>;
}

export function testKeychain(service = `VitalSync-test-${crypto.randomBytes(6).toString('hex')}`): TestKeychain {
  const store = keytarStore(service);
  const written = new Set<string>();
  return {
    service,
    get: (a) => store.get(a),
    set: async (a, s) => {
      written.add(a);
      await store.set(a, s);
    },
    delete: (a) => store.delete(a),
    async wipe() {
      for (const a of written) await store.delete(a).catch(() => false);
    },
  };
}

export function emulatedCore(emu: ProviderEmulator, opts: { keychain?: TestKeychain; dataDir?: string; deps?: Partial<CoreDeps> } = {}) {
  const keychain = opts.keychain ?? testKeychain();
  const waits: number[] = [];
  const core = tempCore({
    secrets: keychain,
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...opts.deps,
    connections: {
      env: { ...emu.env(), VITALSYNC_WITHINGS_LOOPBACK_PORT: '0', VITALSYNC_OURA_LOOPBACK_PORT: '0' },
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
      ...opts.deps?.connections,
    },
  });
  const seen: { event: EventName; payload: unknown }[] = [];
  core.events.onAny((event, payload) => seen.push({ event, payload }));
  return {
    core,
    keychain,
    waits,
    events<K extends EventName>(name: K): EventPayload<K>[] {
      return seen.filter((e) => e.event === name).map((e) => e.payload as EventPayload<K>);
    },
    async cleanup() {
      core.cleanup();
      await keychain.wipe();
    },
  };
}

/** Client credentials, Connect, Allow in the "browser": a connected Withings account. */
export async function connectWithings(core: ReturnType<typeof emulatedCore>['core']) {
  const c = DEFAULT_CLIENTS.withings;
  await core.connections.setup('withings', c.clientId, c.clientSecret);
  const begin = await core.connections.connect('withings', { redirect: 'loopback', port: 0 });
  const done = core.connections.waitForSignIn('withings')!;
  const visit = await signIn(begin.authorizeUrl, 'approve');
  const outcome = await done;
  return { begin, visit, outcome };
}
