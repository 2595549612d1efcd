// After a full connect + sync + refresh cycle, no token or secret may exist anywhere in the
// data folder: not in SQLite (or its WAL), not in config.json, not in the log.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { startEmulator } from '../../../../e2e/emulator/server';
import { log } from '../log';
import { connectWithings, emulatedCore } from './test-helpers';

it('after connecting, syncing and a refresh, no token or secret is in the database, settings or logs', async () => {
  const emu = await startEmulator({ pageSize: 3 });
  const env = emulatedCore(emu);
  const logFile = path.join(env.core.dataDir, 'vitalsync.log');
  log.toFile(logFile);
  log.setLevel('debug');
  try {
    await connectWithings(env.core);
    env.core.settings.set({ units: 'imperial' });
    await env.core.connections.syncNow('withings');
    emu.expireAccessTokens('withings');
    emu.fault({ provider: 'withings', action: 'getworkouts', kind: 'http', status: 500 });
    await env.core.connections.syncNow('withings');
    // A failed exchange and a refused refresh log errors too.
    emu.revokeAll('withings');
    await env.core.connections.syncNow('withings');
    await env.core.connections.list();
    env.core.db.$client.pragma('wal_checkpoint(TRUNCATE)');

    const files = fs.readdirSync(env.core.dataDir).map((f) => path.join(env.core.dataDir, f));
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['vitalsync.db', 'config.json', 'vitalsync.log']));
    expect(fs.readFileSync(logFile, 'utf8')).toContain('sync withings run');
    const haystack = files.map((f) => fs.readFileSync(f).toString('latin1')).join('\n');
    const secrets = emu.secrets();
    expect(secrets.length).toBeGreaterThan(5);
    for (const s of secrets) expect(haystack.includes(s), 'a token or secret leaked into the data folder').toBe(false);
    // And the keychain really does hold them.
    expect(await env.keychain.get('client:withings')).toContain(emu.clients.withings.clientSecret);
  } finally {
    log.setLevel('info');
    await env.cleanup();
    await emu.close();
  }
});
