// With no Secret Service reachable, connecting fails with a clear message and nothing falls
// back to a file. The bus address is pointed nowhere before keytar is first loaded.
process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/vitalsync-no-bus';

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type ProviderEmulator } from '../../../../e2e/emulator/server';
import { dispatch } from '../dispatch';
import { keytarStore } from '../secrets';
import { tempCore } from '../test/tempCore';

let emu: ProviderEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

it('without a keychain, setting up and connecting fail in plain words and nothing is written to disk', async () => {
  const core = tempCore({ secrets: keytarStore('VitalSync-nokeychain-test'), connections: { env: emu.env({ withClients: true }) } });
  try {
    const setup = await dispatch(core.handlers, 'connections:setup', { provider: 'withings', clientId: 'id', clientSecret: 'very-secret-value' });
    expect(setup).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('cannot reach the system keychain') } });
    // Even with credentials from the environment, tokens would have nowhere safe to go.
    const connect = await dispatch(core.handlers, 'connections:connect', { provider: 'withings', redirect: 'loopback', port: 0 });
    expect(connect).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('will not store it anywhere else') } });
    const list = await dispatch(core.handlers, 'connections:list', {});
    expect(list.ok && (list.value as { provider: string; keychainError: string | null }[]).find((c) => c.provider === 'withings')!.keychainError).toContain('keychain');
    const everything = fs.readdirSync(core.dataDir).map((f) => fs.readFileSync(path.join(core.dataDir, f)).toString('latin1')).join('');
    expect(everything).not.toContain('very-secret-value');
    expect(everything).not.toContain(emu.clients.withings.clientSecret);
    expect(emu.requests).toHaveLength(0);
  } finally {
    core.cleanup();
  }
});

it('a core without any secret store refuses the same way', async () => {
  const core = tempCore({ connections: { env: emu.env() } });
  try {
    const res = await dispatch(core.handlers, 'connections:setup', { provider: 'withings', clientId: 'id', clientSecret: 'x' });
    expect(res).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
  } finally {
    core.cleanup();
  }
});
