// The vault carried by two real Syncthing instances (Debian's syncthing, on 127.0.0.1 with
// discovery and relays off) between two VitalSync data folders, each with its own keychain
// entries: an import, preferences, concurrent edits, a deletion, and processes killed in the
// middle of writing or taking in segments. Skipped only on a machine without syncthing; under
// CI a missing syncthing fails (test/syncthing.test.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { CategoryPreference, VaultStatus } from '../../../shared/contract';
import { importManager } from '../imports';
import { PROJECT_ROOT } from '../test/tempCore';
import { call, device, facts, PASS, steps, sync, vaultDir, weighing, writeSamples, type TestCore } from './test/devices';
import { startSyncthingPair, syncthingAvailable, waitFor, type SyncthingPair } from './test/syncthing';

const skip = !syncthingAvailable() && !process.env.CI;
const TIMEOUT = 180_000;
const pairs: SyncthingPair[] = [];

afterEach(async () => {
  for (const p of pairs.splice(0)) await p.stop();
});

async function carried(): Promise<{ a: TestCore; b: TestCore; pair: SyncthingPair; folderA: string; folderB: string }> {
  const folderA = vaultDir();
  const folderB = vaultDir();
  const pair = await startSyncthingPair({ folderA, folderB });
  pairs.push(pair);
  return { a: device(), b: device(), pair, folderA, folderB };
}

const prefOf = async (core: TestCore, category: string) => (await call<CategoryPreference[]>(core, 'prefs:get')).find((p) => p.category === category)!;

/** Count, sum of values and a checksum of instants: equal on two computers = the same rows, none doubled. */
function fingerprint(file: string): { n: number; sum: number; check: number } {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) AS n, coalesce(sum(value), 0) AS sum, coalesce(sum(start_ms % 1000003), 0) AS "check" FROM samples').get() as { n: number; sum: number; check: number };
  } finally {
    db.close();
  }
}

/** `vitalsync vault sync` in a child process over a data folder (the CLI, from the source tree). */
function cliSync(core: TestCore) {
  return spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/main/cli.ts'), '--data-dir', core.dataDir, 'vault', 'sync', '--json'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, VITALSYNC_KEYCHAIN_SERVICE: core.keychain.service },
    stdio: 'ignore',
  });
}

const exited = (child: ReturnType<typeof spawn>) => new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

function countRows(file: string, sql: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

describe.skipIf(skip)('the vault carried by two real Syncthing instances', () => {
  it(
    'an import on A appears on B, a preference set on B reaches A, concurrent edits agree, and a deletion on A deletes on B',
    async () => {
      const { a, b, pair, folderA, folderB } = await carried();
      a.settings.set({ homeTimeZone: 'Europe/Berlin' });
      // A real import on A: an Apple Health export with steps, heart rate, sleep and a workout.
      const m = importManager(a);
      const job = await m.wait((await m.start(path.join(PROJECT_ROOT, 'src/main/core/imports/apple-health/fixtures/export-every-element-kind.xml'))).id);
      expect(job.status).toBe('completed');
      writeSamples(a, 'withings', [weighing('2026-03-02', 72.4, 'meas:1', 1), weighing('2026-03-03', 72.1, 'meas:2', 1)]);
      const imported = facts(a);
      expect(imported.length).toBeGreaterThan(5);

      await call(a, 'vault:init', { folder: folderA, passphrase: PASS, deviceName: 'Desktop' });
      await pair.waitInSync();
      const joined = await call<VaultStatus>(b, 'vault:join', { folder: folderB, passphrase: PASS, deviceName: 'Laptop' });
      expect(joined.devices.map((d) => d.name).sort()).toEqual(['Desktop', 'Laptop']);
      expect(facts(b)).toEqual(imported);

      // A preference set on B reaches A.
      await call(b, 'prefs:set', { category: 'activity', sources: ['withings', 'apple_health'] });
      await sync(b);
      await pair.waitInSync();
      await sync(a);
      expect((await prefOf(a, 'activity')).sources).toEqual(['withings', 'apple_health']);

      // Both edit one category before either hears of the other: both end on the same winner.
      await call(a, 'prefs:set', { category: 'sleep', sources: ['withings', 'oura'] });
      await call(b, 'prefs:set', { category: 'sleep', sources: ['whoop', 'apple_health'] });
      await sync(a);
      await sync(b);
      await pair.waitInSync();
      await sync(a);
      await sync(b);
      expect(await prefOf(a, 'sleep')).toEqual(await prefOf(b, 'sleep'));

      // "Disconnect and delete data" for Withings on A: a small share, so B deletes at once.
      const before = facts(b).length;
      const deleted = await call<{ deletedSamples: number }>(a, 'connections:disconnect', { provider: 'withings', deleteData: true });
      expect(deleted.deletedSamples).toBe(2);
      await sync(a);
      await pair.waitInSync();
      const got = await sync(b);
      expect(got.held).toBe(0);
      expect(facts(b)).toHaveLength(before - 2);
      expect(facts(b)).toEqual(facts(a));
    },
    TIMEOUT,
  );

  it(
    'killing either side mid-publish or mid-ingest, or the sync engine mid-copy, loses nothing and duplicates nothing',
    async () => {
      const { a, b, pair, folderA, folderB } = await carried();
      await call(a, 'vault:init', { folder: folderA, passphrase: PASS, deviceName: 'Desktop' });
      await pair.waitInSync();
      await call(b, 'vault:join', { folder: folderB, passphrase: PASS, deviceName: 'Laptop' });
      // 400,000 samples: eight segments to write, carry and take in.
      const N = 400_000;
      for (let k = 0; k < N; k += 50_000) {
        writeSamples(
          a,
          'apple_health',
          Array.from({ length: 50_000 }, (_, i) => ({ ...steps('2026-01-01', 0, 1 + ((k + i) % 97)), startMs: Date.UTC(2025, 0, 1) + (k + i) * 60_000, endMs: Date.UTC(2025, 0, 1) + (k + i) * 60_000 + 30_000 })),
          `import:${k}`,
        );
      }
      const whole = fingerprint(a.dbFile);
      expect(whole.n).toBe(N);

      // A is killed as soon as its first new segment lands (the whole pass takes well under a
      // second, so the kill follows the file event, not a poll); its next pass writes the rest.
      const aId = (await call<VaultStatus>(a, 'vault:status')).deviceId!;
      const aDir = path.join(folderA, 'devices', aId);
      const segs = () => fs.readdirSync(aDir).filter((f) => f.endsWith('.vss')).length;
      const start = segs();
      const publisher = cliSync(a);
      const publisherExit = exited(publisher);
      const watcher = fs.watch(aDir, () => segs() > start && publisher.kill('SIGKILL'));
      const stopped = await publisherExit;
      watcher.close();
      expect(stopped.signal).toBe('SIGKILL');
      const written = segs() - start;
      expect(written).toBeLessThan(9);
      await sync(a);
      expect(segs() - start).toBeGreaterThan(written);

      // Syncthing on B is killed while it copies, then started again.
      await waitFor(() => fs.existsSync(path.join(folderB, 'devices', aId)) && fs.readdirSync(path.join(folderB, 'devices', aId)).length > 2, 60_000, 'B to receive some of A’s files');
      await pair.b.kill('SIGKILL');
      await pair.b.restart();
      await pair.waitInSync(120_000);

      // B is killed once it has taken in its second segment; its next pass takes in the rest.
      const ingested = () => countRows(b.dbFile, "SELECT count(*) AS n FROM vault_segments WHERE status = 'ingested' AND kind = 'data'");
      const taker = cliSync(b);
      const takerExit = exited(taker);
      let running = true;
      void takerExit.then(() => (running = false));
      while (running && ingested() < 2) await new Promise((r) => setTimeout(r, 5));
      taker.kill('SIGKILL');
      expect((await takerExit).signal).toBe('SIGKILL');
      expect(fingerprint(b.dbFile).n).toBeLessThan(N);
      await sync(b);
      expect(fingerprint(b.dbFile)).toEqual(whole);
      // And again: nothing doubles.
      await sync(b);
      expect(fingerprint(b.dbFile)).toEqual(whole);
    },
    TIMEOUT,
  );
});
