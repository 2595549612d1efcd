// The CLI's connect/sync/disconnect against the provider emulator and the real keychain.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIn } from '../../../e2e/emulator/browser';
import { startEmulator, type ProviderEmulator } from '../../../e2e/emulator/server';
import { expectedWithingsCounts } from '../../../e2e/emulator/withings/data';
import { keytarStore } from '../core/secrets';
import { DEV_PATHS, makeTempDir } from '../core/test/tempCore';
import type { CliIo } from './output';
import { runCli } from './run';

let emu: ProviderEmulator;
const saved = { ...process.env };
beforeAll(async () => {
  emu = await startEmulator({ pageSize: 5 });
  Object.assign(process.env, emu.env());
});
afterAll(async () => {
  process.env = saved;
  await emu.close();
  // The CLI uses the real service name; leave this throwaway keyring as it was.
  const store = keytarStore();
  await store.delete('client:withings').catch(() => false);
  await store.delete(`oauth:withings:${emu.userIds.withings}`).catch(() => false);
});

function capture(onOut?: (line: string) => void): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    isTty: false,
    out: (t) => {
      stdout.push(t);
      onOut?.(t);
    },
    err: (t) => void stderr.push(t),
  };
}

it('connect prints the address, waits for the browser, then sync and disconnect report what they did', async () => {
  const dataDir = makeTempDir();
  const ctx = { paths: DEV_PATHS, entryDir: DEV_PATHS.workersDir };
  let visit: Promise<{ status: number; text: string }> | null = null;
  const io = capture((line) => {
    if (line.startsWith('http')) visit = signIn(line, 'approve');
  });
  const c = emu.clients.withings;
  const code = await runCli(['--data-dir', dataDir, 'connect', 'withings', '--client-id', c.clientId, '--client-secret', c.clientSecret, '--port', '0'], ctx, io);
  expect(code).toBe(0);
  expect(io.stdout[0]).toContain('/withings/oauth2_user/authorize2?');
  expect(io.stderr.join('\n')).toContain('Withings is connected.');
  expect((await visit!)!.status).toBe(200);

  const syncIo = capture();
  expect(await runCli(['--data-dir', dataDir, 'sync', 'withings', '--json'], ctx, syncIo)).toBe(0);
  const [result] = JSON.parse(syncIo.stdout.join('')) as { provider: string; inserted: number; duplicates: number }[];
  const expected = expectedWithingsCounts();
  expect(result).toMatchObject({ provider: 'withings', inserted: expected.samples + expected.workouts, duplicates: 0 });

  const again = capture();
  expect(await runCli(['--data-dir', dataDir, 'sync'], ctx, again)).toBe(0);
  expect(again.stdout).toEqual(['withings: 0 inserted, 0 duplicates']);

  const bye = capture();
  expect(await runCli(['--data-dir', dataDir, 'disconnect', 'withings'], ctx, bye)).toBe(0);
  expect(bye.stdout[0]).toBe('withings disconnected and its access revoked. Its data is kept.');
  expect(await keytarStore().get(`oauth:withings:${emu.userIds.withings}`)).toBeNull();

  const after = capture();
  expect(await runCli(['--data-dir', dataDir, 'sync', 'withings'], ctx, after)).toBe(1);
  expect(after.stdout[0]).toContain('withings: skipped — Withings is not connected.');
});

it('connect refuses a half-given credential pair as a usage error', async () => {
  const io = capture();
  const code = await runCli(['--data-dir', makeTempDir(), 'connect', 'withings', '--client-id', 'x'], { paths: DEV_PATHS, entryDir: DEV_PATHS.workersDir }, io);
  expect(code).toBe(2);
  expect(io.stderr[0]).toContain('give --client-id and --client-secret together');
});
