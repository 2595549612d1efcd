// `vitalsync vault` from a script: the passphrase from VITALSYNC_VAULT_PASSPHRASE, a second data
// folder joining, status as text and JSON, a pass by hand, and leaving. The keychain is the real
// one (a throwaway service); both data folders use it, each under its own device id.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VaultStatus } from '../../shared/contract';
import { keytarStore } from '../core/secrets';
import { makeTempDir } from '../core/test/tempCore';
import { runCliInProcess as cli } from './test/runInProcess';

const SERVICE = `VitalSync-test-${crypto.randomBytes(6).toString('hex')}`;
const saved = { ...process.env };
const dirs: string[] = [];

beforeAll(() => {
  process.env.VITALSYNC_KEYCHAIN_SERVICE = SERVICE;
  process.env.VITALSYNC_VAULT_KDF = 'interactive';
});

afterAll(() => {
  process.env = saved;
});

afterEach(() => {
  delete process.env.VITALSYNC_VAULT_PASSPHRASE;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function dir(): string {
  const d = makeTempDir('vitalsync-cli-vault-');
  dirs.push(d);
  return d;
}

describe('vitalsync vault', () => {
  it('init prints the recovery phrase once; join, status, sync and leave work from a script', async () => {
    const [a, b, root] = [dir(), dir(), dir()];
    const folder = path.join(root, 'vault');
    process.env.VITALSYNC_VAULT_PASSPHRASE = 'a long enough passphrase';

    const init = await cli(['--data-dir', a, 'vault', 'init', folder, '--name', 'Desktop']);
    expect(init.code, init.stderr).toBe(0);
    const phrase = /\n {2}((?:[a-z]+ ){23}[a-z]+)\n/.exec(init.stdout)?.[1];
    expect(phrase, init.stdout).toBeDefined();
    expect(init.stdout).toContain('shown once');

    const join = await cli(['--data-dir', b, 'vault', 'join', folder, '--name', 'Laptop']);
    expect(join.code, join.stderr).toBe(0);
    expect(join.stdout).toMatch(/This device Laptop/);
    expect(join.stdout).toMatch(/Desktop/);

    const status = await cli(['--data-dir', a, 'vault', 'status', '--json']);
    const s = JSON.parse(status.stdout) as VaultStatus;
    expect(s).toMatchObject({ state: 'active', deviceName: 'Desktop', held: [], lastError: null });
    expect(s.devices.map((d) => d.name).sort()).toEqual(['Desktop', 'Laptop']);

    const pass = await cli(['--data-dir', a, 'vault', 'sync']);
    expect(pass.code, pass.stderr).toBe(0);
    expect(pass.stdout).toMatch(/^Wrote 0 segment\(s\) \(0 samples\); took in 1 \(0 new samples, 0 settings\); 0 held\.$/);

    const left = await cli(['--data-dir', b, 'vault', 'leave']);
    expect(left.code).toBe(0);
    expect((await cli(['--data-dir', b, 'vault', 'status'])).stdout).toMatch(/does not sync through a vault/);
    // Its key is gone from the keychain; A's is still there.
    expect(await keytarStore(SERVICE).get(`vault-key:${s.devices.find((d) => d.name === 'Laptop')!.id}`)).toBeNull();
    const aKey = `vault-key:${s.deviceId}`;
    expect(await keytarStore(SERVICE).get(aKey)).not.toBeNull();
    await cli(['--data-dir', a, 'vault', 'leave']);
    expect(await keytarStore(SERVICE).get(aKey)).toBeNull();
  });

  it('says what to do when there is no terminal to ask the passphrase on, or a mistake on the line', async () => {
    const a = dir();
    const noPass = await cli(['--data-dir', a, 'vault', 'init', path.join(dir(), 'v')]);
    expect(noPass.code).toBe(2);
    expect(noPass.stderr).toMatch(/set VITALSYNC_VAULT_PASSPHRASE/);
    expect((await cli(['--data-dir', a, 'vault', 'init'])).stderr).toMatch(/give the vault folder/);
    expect((await cli(['--data-dir', a, 'vault', 'frobnicate'])).stderr).toMatch(/unknown vault command/);
    const notJoined = await cli(['--data-dir', a, 'vault', 'sync']);
    expect(notJoined.code).toBe(1);
    expect(notJoined.stderr).toMatch(/does not sync through a vault/);
    process.env.VITALSYNC_VAULT_PASSPHRASE = 'short';
    expect((await cli(['--data-dir', a, 'vault', 'init', path.join(dir(), 'v')])).stderr).toMatch(/at least 8 characters/);
  });
});
