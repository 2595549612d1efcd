// The vault between two (or three) real cores, each with its own SQLite file and its own entry
// in the real keychain, sharing one folder as a sync engine would leave it. Syncthing carrying
// the folder is tested in syncthing-vault.test.ts; here are the rules: what travels, how it
// merges, what is refused and held.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvMappingSchema, type VaultStatus } from '../../../shared/contract';
import { loadMapping, saveMapping } from '../imports/generic-csv/store';
import type { Core } from '../index';
import { tempCore } from '../test/tempCore';
import type { TestKeychain } from '../sync/test-helpers';
import { deleteSourceData, SampleWriter } from '../samples';
import { ZONE_SRC } from '../time/zones';
import { DEVICES_DIR } from './folder';
import { SEGMENT_RECORDS } from './segment';
import { call, callError, dailySteps, device, facts, paris, PASS, steps, sync, vaultDir, weighing, workoutFacts, writeSamples, type TestCore } from './test/devices';

async function dayValue(core: Core, metric: string, day: string): Promise<number | null> {
  const s = await call<{ buckets: { start: string; value: number }[] }>(core, 'metrics:series', { metric, from: day, to: day });
  return s.buckets.find((b) => b.start === day)?.value ?? null;
}

/** A core over an existing data folder (a restored backup), with the given keychain. */
function tempCoreOn(dataDir: string, keychain: TestKeychain) {
  return tempCore({ dataDir, secrets: keychain });
}

async function pair(): Promise<{ a: TestCore; b: TestCore; folder: string; recoveryPhrase: string }> {
  const a = device();
  const b = device();
  const folder = vaultDir();
  const { recoveryPhrase } = await call<{ recoveryPhrase: string }>(a, 'vault:init', { folder, passphrase: PASS, deviceName: 'Desktop' });
  await call(b, 'vault:join', { folder, passphrase: PASS, deviceName: 'Laptop' });
  return { a, b, folder, recoveryPhrase };
}

describe('vault', () => {
  it('carries samples, records, daily totals and workouts with routes from A to B, and both merge to the same numbers', async () => {
    const a = device();
    writeSamples(a, 'apple_health', [steps('2026-03-02', 8, 1_200), steps('2026-03-02', 12, 800)], 'import:1');
    writeSamples(a, 'withings', [weighing('2026-03-02', 72.4, 'meas:1', 1), dailySteps('2026-03-02', 2_100)]);
    const sql = a.db.$client;
    sql.transaction(() => {
      const w = new SampleWriter(sql, 'strava');
      w.write([], [{ origin: { name: 'Strava', deviceKind: 'app' }, activityType: 'running', startMs: paris('2026-03-02T18:00:00+01:00'), endMs: paris('2026-03-02T18:30:00+01:00'), zone: { name: 'Europe/Paris', src: ZONE_SRC.provider }, durationS: 1800, distanceKm: 5.2, energyKcal: 400, avgHeartRate: 150, maxHeartRate: 170, details: { name: 'Evening run' } }], 'sync:2');
      const id = (sql.prepare('SELECT id FROM workouts').get() as { id: number }).id;
      const pt = sql.prepare('INSERT INTO route_points (workout_id, seq, time_ms, lat, lon, elevation_m, speed_mps) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (let i = 0; i < 3; i++) pt.run(id, i, paris('2026-03-02T18:00:00+01:00') + i * 1000, 48.85 + i / 1000, 2.35, 35, 3.1);
    })();

    const folder = vaultDir();
    const init = await call<{ recoveryPhrase: string; status: VaultStatus }>(a, 'vault:init', { folder, passphrase: PASS, deviceName: 'Desktop' });
    expect(init.recoveryPhrase.split(' ')).toHaveLength(24);
    expect(init.status).toMatchObject({ state: 'active', deviceName: 'Desktop' });

    const b = device();
    const joined = await call<VaultStatus>(b, 'vault:join', { folder, passphrase: PASS, deviceName: 'Laptop' });
    expect(joined.state).toBe('active');
    expect(joined.devices.map((d) => d.name).sort()).toEqual(['Desktop', 'Laptop']);
    expect(joined.pending).toBe(0);

    expect(facts(b)).toEqual(facts(a));
    expect(facts(b)).toHaveLength(4);
    expect(workoutFacts(b)).toEqual(['strava|running|' + paris('2026-03-02T18:00:00+01:00') + '|5.2|3']);
    // Merged on each computer from the same facts: the watch's 2,000 beat Withings' 2,100 (Apple Health first for activity).
    expect(await dayValue(b, 'steps', '2026-03-02')).toBe(2_000);
    expect(await dayValue(b, 'weight', '2026-03-02')).toBe(await dayValue(a, 'weight', '2026-03-02'));

    // Taken in twice (B syncs again, nothing new): nothing changes, and nothing goes back to A.
    const again = await sync(b);
    expect(again).toMatchObject({ ingested: 0, published: 0 });
    // A takes in B's first segment (its settings: none were changed) and gains nothing.
    expect(await sync(a)).toMatchObject({ ingestedSamples: 0, intent: 0, published: 0 });
    expect(facts(a)).toHaveLength(4);
  });

  it('a revised provider record replaces its earlier version on the other computer; a revised day total too', async () => {
    const { a, b } = await pair();
    writeSamples(a, 'withings', [weighing('2026-03-03', 73.0, 'meas:7', 1), dailySteps('2026-03-03', 5_000)]);
    await sync(a);
    await sync(b);
    expect(facts(b)).toEqual(facts(a));
    // Withings edits the weighing (version 2) and revises the day's steps.
    writeSamples(a, 'withings', [weighing('2026-03-03', 72.6, 'meas:7', 2), dailySteps('2026-03-03', 6_500)], 'sync:2');
    await sync(a);
    await sync(b);
    expect(facts(b)).toEqual(facts(a));
    expect(facts(b).filter((f) => f.includes('meastype:1'))).toEqual([expect.stringContaining('|72.6|')]);
    expect(await dayValue(b, 'steps', '2026-03-03')).toBe(6_500);
  });

  it('a preference changed on B reaches A; a mapping and the home zone too; theme stays per computer', async () => {
    const { a, b } = await pair();
    await call(b, 'prefs:set', { category: 'activity', sources: ['withings', 'apple_health'] });
    await call(b, 'settings:set', { homeTimeZone: 'America/St_Johns', units: 'imperial', theme: 'dark' });
    const header = ['Date', 'Weight (kg)'];
    const mapping = CsvMappingSchema.parse({ layout: 'wide', date: { column: 'Date', format: 'iso' }, columns: [{ column: 'Weight (kg)', metric: 'weight', unit: 'kg' }], origin: 'Spreadsheet' });
    saveMapping(b.db.$client, header, mapping, 1);
    await sync(b);
    const got = await sync(a);
    expect(got.intent).toBeGreaterThanOrEqual(4);
    expect(loadMapping(a.db.$client, header)).toEqual(mapping);
    const pref = (await call<{ category: string; sources: string[] }[]>(a, 'prefs:get')).find((p) => p.category === 'activity')!;
    expect(pref.sources).toEqual(['withings', 'apple_health']);
    expect(await call(a, 'settings:get')).toMatchObject({ homeTimeZone: 'America/St_Johns', homeTimeZoneAssumed: false, units: 'imperial', theme: 'system' });
    // Taken in, not edited here: A sends nothing back.
    expect((await sync(a)).published).toBe(0);
  });

  it('concurrent edits of one preference resolve to the same winner on both computers, whatever order they sync in', async () => {
    const { a, b } = await pair();
    await call(a, 'prefs:set', { category: 'sleep', sources: ['withings', 'oura'] });
    await call(b, 'prefs:set', { category: 'sleep', sources: ['oura', 'whoop'] });
    await call(b, 'prefs:set', { category: 'body', fillGaps: false });
    // A writes first, then B (B's edit is stamped later on the wall clock, or later by counter).
    await sync(a);
    await sync(b);
    await sync(a);
    await sync(b);
    const sleepOf = async (c: Core) => (await call<{ category: string; sources: string[]; fillGaps: boolean }[]>(c, 'prefs:get')).filter((p) => p.category === 'sleep' || p.category === 'body');
    expect(await sleepOf(a)).toEqual(await sleepOf(b));
    // Both kept B's body edit (nobody else touched it).
    expect((await sleepOf(a)).find((p) => p.category === 'body')!.fillGaps).toBe(false);
  });

  it('a third computer joining with the recovery phrase gets the data and the preferences', async () => {
    const { a, b, folder, recoveryPhrase } = await pair();
    writeSamples(a, 'apple_health', [steps('2026-03-04', 9, 3_000)], 'import:2');
    await call(b, 'prefs:set', { category: 'heart', sources: ['oura', 'apple_health'] });
    await sync(a);
    await sync(b);
    const c = device();
    await call(c, 'vault:join', { folder, recoveryPhrase: `  ${recoveryPhrase.toUpperCase().replace(/ /g, '   ')} ` });
    expect(facts(c)).toEqual(facts(a));
    expect((await call<{ category: string; sources: string[] }[]>(c, 'prefs:get')).find((p) => p.category === 'heart')!.sources).toEqual(['oura', 'apple_health']);
  });

  it('a wrong passphrase or recovery phrase is refused with a clear message, and nothing is joined', async () => {
    const a = device();
    const folder = vaultDir();
    await call(a, 'vault:init', { folder, passphrase: PASS });
    const b = device();
    expect(await callError(b, 'vault:join', { folder, passphrase: 'not the passphrase' })).toMatch(/passphrase/i);
    expect(await callError(b, 'vault:join', { folder, recoveryPhrase: 'apple banana' })).toMatch(/recovery phrase/i);
    expect((await call<VaultStatus>(b, 'vault:status')).state).toBe('none');
    expect(await callError(b, 'vault:join', { folder: path.dirname(folder) + '/nowhere', passphrase: PASS })).toMatch(/no VitalSync vault/);
    expect(await callError(a, 'vault:init', { folder: path.join(a.dataDir, 'vault'), passphrase: PASS })).toMatch(/already syncs/);
  });

  it('a first pass that fails still returns the recovery phrase, and the status says what failed', async () => {
    const a = device();
    // The data folder's lock file cannot be made (a folder stands in its place).
    fs.mkdirSync(path.join(a.dataDir, 'vault.lock'));
    const init = await call<{ recoveryPhrase: string; status: VaultStatus }>(a, 'vault:init', { folder: vaultDir(), passphrase: PASS });
    expect(init.recoveryPhrase.split(' ')).toHaveLength(24);
    expect(init.status.state).toBe('active');
    expect(init.status.lastError).toMatch(/Syncing through the vault failed/);
    fs.rmdirSync(path.join(a.dataDir, 'vault.lock'));
    await sync(a);
    expect((await call<VaultStatus>(a, 'vault:status')).lastError).toBeNull();
  });

  it('refuses a vault folder inside the data folder (a live database in a synced folder corrupts)', async () => {
    const a = device();
    expect(await callError(a, 'vault:init', { folder: path.join(a.dataDir, 'vault'), passphrase: PASS })).toMatch(/outside VitalSync's data folder/);
    expect(await callError(a, 'vault:init', { folder: path.dirname(a.dataDir), passphrase: PASS })).toMatch(/must not hold it/);
  });

  it('a segment still being copied is left for later, a tampered one refused; neither is taken in in part', async () => {
    const { a, b, folder } = await pair();
    writeSamples(a, 'apple_health', [steps('2026-03-05', 8, 100), steps('2026-03-05', 9, 200)], 'import:3');
    await sync(a);
    const dir = path.join(folder, DEVICES_DIR, (await call<VaultStatus>(a, 'vault:status')).deviceId!);
    const seg = fs.readdirSync(dir).filter((n) => n.endsWith('.vss')).map((n) => path.join(dir, n)).sort((x, y) => fs.statSync(y).mtimeMs - fs.statSync(x).mtimeMs)[0];
    const whole = fs.readFileSync(seg);
    const before = facts(b).length;

    fs.writeFileSync(seg, whole.subarray(0, Math.floor(whole.length / 2)));
    const half = await sync(b);
    expect(half.waiting).toEqual([expect.objectContaining({ reason: expect.stringMatching(/still being copied/) })]);
    expect(facts(b)).toHaveLength(before);
    expect((await call<VaultStatus>(b, 'vault:status')).lastError).toBeNull();

    const flipped = Buffer.from(whole);
    flipped[flipped.length - 40] ^= 0x01;
    fs.writeFileSync(seg, flipped);
    const bad = await sync(b);
    expect(bad.waiting[0].reason).toMatch(/altered or damaged/);
    expect(facts(b)).toHaveLength(before);
    expect((await call<VaultStatus>(b, 'vault:status')).lastError).toMatch(/altered or damaged/);

    fs.writeFileSync(seg, whole);
    await sync(b);
    expect(facts(b)).toEqual(facts(a));
  });

  it('ignores sync engines’ temp files and conflict copies in other folders; a conflict copy in its own folder makes it take a new id', async () => {
    const { a, b, folder } = await pair();
    const aId = (await call<VaultStatus>(a, 'vault:status')).deviceId!;
    const bId = (await call<VaultStatus>(b, 'vault:status')).deviceId!;
    const aDir = path.join(folder, DEVICES_DIR, aId);
    fs.writeFileSync(path.join(aDir, '.syncthing.manifest.vsm.tmp'), 'partial');
    fs.writeFileSync(path.join(aDir, `${'ab'.repeat(32)}.sync-conflict-20261130-101010-ABCDEFG.vss`), 'x');
    fs.writeFileSync(path.join(aDir, '~$notes.vss'), 'x');
    expect((await sync(b)).waiting).toEqual([]);

    // B's folder gets a conflict copy of its manifest: another computer writes with B's id.
    const bDir = path.join(folder, DEVICES_DIR, bId);
    fs.copyFileSync(path.join(bDir, 'manifest.vsm'), path.join(bDir, 'manifest.sync-conflict-20261130-101010-ABCDEFG.vsm'));
    await sync(b);
    const after = await call<VaultStatus>(b, 'vault:status');
    expect(after.deviceId).not.toBe(bId);
    expect(after.state).toBe('active');
  });

  it('a disconnect that deletes a source’s data deletes it on the other computer; more than a tenth waits for confirmation', async () => {
    const { a, b } = await pair();
    writeSamples(a, 'apple_health', Array.from({ length: 20 }, (_, i) => steps('2026-03-06', i % 24, 100 + i)), 'import:4');
    writeSamples(a, 'withings', [weighing('2026-03-06', 71, 'meas:9', 1)]);
    writeSamples(a, 'oura', [{ ...steps('2026-03-06', 5, 50), origin: { name: 'Oura Ring', deviceKind: 'ring' } }], 'sync:3');
    await sync(a);
    await sync(b);
    expect(facts(b)).toHaveLength(22);

    // 1 of 22 rows: under a tenth, taken in at once.
    deleteSourceData(a.db.$client, 'oura');
    await sync(a);
    expect((await sync(b)).held).toBe(0);
    expect(facts(b).some((f) => f.startsWith('oura|'))).toBe(false);

    // 20 of 21 rows: held until confirmed; a later segment of A waits behind it.
    deleteSourceData(a.db.$client, 'apple_health');
    await sync(a);
    writeSamples(a, 'withings', [weighing('2026-03-07', 70.8, 'meas:10', 1)], 'sync:4');
    await sync(a);
    expect((await sync(b)).held).toBe(1);
    expect(facts(b)).toHaveLength(21);
    const status = await call<VaultStatus>(b, 'vault:status');
    expect(status.held).toEqual([expect.objectContaining({ deviceName: 'Desktop', deletes: 20, what: expect.stringContaining('apple_health') })]);
    expect(status.held[0].share).toBeCloseTo(20 / 21, 5);

    const confirmed = await call<VaultStatus>(b, 'vault:confirm', { device: status.held[0].device, segment: status.held[0].segment });
    expect(confirmed.held).toEqual([]);
    expect(facts(b)).toEqual(facts(a));
    // B took the deletion in; it does not send it back as its own.
    expect((await sync(b)).published).toBe(0);
  });

  it('a crash in the middle of taking a segment in loses nothing and doubles nothing', async () => {
    const { a, b } = await pair();
    writeSamples(a, 'apple_health', Array.from({ length: 50 }, (_, i) => steps('2026-03-08', i % 24, 10 + i)), 'import:5');
    await sync(a);
    // The 30th row fails to insert: the whole segment is rolled back with its bookkeeping.
    b.db.$client.exec(`CREATE TRIGGER crash BEFORE INSERT ON samples WHEN (SELECT count(*) FROM samples) >= 29 BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
    await expect(sync(b)).rejects.toThrow(/simulated crash/);
    expect(facts(b)).toHaveLength(0);
    b.db.$client.exec('DROP TRIGGER crash');
    await sync(b);
    expect(facts(b)).toEqual(facts(a));
    expect(facts(b)).toHaveLength(50);
  });

  it('no vault file holds a health value, an origin name, a metric id or a preference in plain text', async () => {
    const { a, b, folder } = await pair();
    writeSamples(a, 'apple_health', [steps('2026-03-09', 8, 4321)], 'import:6');
    writeSamples(a, 'withings', [weighing('2026-03-09', 68.25, 'meas:11', 1)]);
    await call(b, 'prefs:set', { category: 'sleep', sources: ['whoop', 'oura'] });
    await sync(a);
    await sync(b);
    const needles = ['4321', '68.25', 'Apple Watch', 'Body+', 'steps', 'weight', 'HKQuantity', 'meastype', 'apple_health', 'withings', 'whoop', 'Europe/Paris', 'Desktop', 'Laptop'];
    const files: string[] = [];
    const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.join(d, e.name))));
    walk(folder);
    expect(files.length).toBeGreaterThan(4);
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      for (const n of needles) {
        for (const form of [Buffer.from(n, 'utf8'), Buffer.from(n, 'utf16le')]) expect(bytes.includes(form), `${path.relative(folder, f)} holds "${n}"`).toBe(false);
      }
      // Names say only device ids and content hashes.
      expect(path.relative(folder, f)).toMatch(/^(vitalsync-vault\.json|devices\/[0-9a-f]{16}\/(manifest\.vsm|[0-9a-f]{64}\.vss))$/);
    }
  });

  it('pause stops passes; leave forgets the key and keeps the data here, and what it wrote stays for a computer joining later', async () => {
    const { a, b, folder } = await pair();
    writeSamples(a, 'apple_health', [steps('2026-03-10', 8, 500)], 'import:7');
    await call(b, 'vault:pause', { paused: true });
    await sync(a);
    expect((await sync(b)).ingested).toBe(0);
    expect((await call<VaultStatus>(b, 'vault:status')).state).toBe('paused');
    await call(b, 'vault:pause', { paused: false });
    await sync(b);
    expect(facts(b)).toEqual(facts(a));

    // A, the computer that imported everything, leaves: its history stays in the vault.
    const aId = (await call<VaultStatus>(a, 'vault:status')).deviceId!;
    const left = await call<VaultStatus>(a, 'vault:leave');
    expect(left.state).toBe('none');
    expect(await a.keychain.get(`vault-key:${aId}`)).toBeNull();
    expect(facts(a)).toHaveLength(1);
    const seen = await call<VaultStatus>(b, 'vault:status');
    expect(seen.devices.find((d) => d.id === aId)).toMatchObject({ left: true, name: 'Desktop' });
    const c = device();
    await call(c, 'vault:join', { folder, passphrase: PASS });
    expect(facts(c)).toEqual(facts(b));
    expect(facts(c)).toHaveLength(1);
  });

  it('a deletion deletes only what was written before it: a computer’s newer rows of that source stay, and travel', async () => {
    const { a, b } = await pair();
    writeSamples(a, 'withings', [weighing('2026-03-11', 70, 'meas:20', 1), weighing('2026-03-12', 70.2, 'meas:21', 1)]);
    writeSamples(a, 'apple_health', Array.from({ length: 30 }, (_, i) => steps('2026-03-11', i % 24, 100 + i)), 'import:8');
    await sync(a);
    await sync(b);
    // A deletes its Withings data; meanwhile B, offline, imports newer Withings weighings.
    await call(a, 'connections:disconnect', { provider: 'withings', deleteData: true });
    const later = Date.now() + 60_000;
    b.db.$client.prepare("INSERT INTO import_jobs (id, kind, path, status, started_at) VALUES (900, 'csv', 'later.csv', 'completed', ?)").run(later);
    writeSamples(b, 'withings', [weighing('2026-03-13', 69.9, 'meas:22', 1)], 'import:900');
    await sync(a);
    await sync(b);
    const withings = (c: TestCore) => facts(c).filter((f) => f.startsWith('withings|'));
    expect(withings(b)).toEqual([expect.stringContaining('|69.9|')]);
    await sync(a);
    expect(withings(a)).toEqual(withings(b));
  });

  it('a damaged copy of its own manifest is rebuilt from the database, so a computer joining later still gets everything', async () => {
    const { a, folder } = await pair();
    writeSamples(a, 'apple_health', [steps('2026-03-14', 8, 700), steps('2026-03-14', 9, 800)], 'import:9');
    await sync(a);
    const aId = (await call<VaultStatus>(a, 'vault:status')).deviceId!;
    const manifest = path.join(folder, DEVICES_DIR, aId, 'manifest.vsm');
    const bytes = fs.readFileSync(manifest);
    bytes[bytes.length - 5] ^= 0xff;
    fs.writeFileSync(manifest, bytes);
    await call(a, 'settings:set', { units: 'imperial' });
    await sync(a);
    const d = device();
    await call(d, 'vault:join', { folder, passphrase: PASS });
    expect(facts(d)).toEqual(facts(a));
    expect((await call<{ units: string }>(d, 'settings:get')).units).toBe('imperial');
  });

  it('a choice made while a pass fails is sent by the next pass, never lost', async () => {
    const { a, b, folder } = await pair();
    const aDir = path.join(folder, DEVICES_DIR, (await call<VaultStatus>(a, 'vault:status')).deviceId!);
    await call(a, 'prefs:set', { category: 'body', sources: ['apple_health', 'withings'] });
    // The vault cannot be written (a file stands where A's folder was).
    fs.renameSync(aDir, `${aDir}.away`);
    fs.writeFileSync(aDir, 'in the way');
    await expect(sync(a)).rejects.toThrow();
    fs.rmSync(aDir);
    fs.renameSync(`${aDir}.away`, aDir);
    await sync(a);
    await sync(b);
    expect((await call<{ category: string; sources: string[] }[]>(b, 'prefs:get')).find((p) => p.category === 'body')!.sources).toEqual(['apple_health', 'withings']);
  });

  it('the later choice wins even when the computer that made the earlier one syncs last (stamped when made, not when sent)', async () => {
    const { a, b } = await pair();
    await call(a, 'prefs:set', { category: 'sleep', sources: ['withings', 'oura'] });
    await new Promise((r) => setTimeout(r, 5));
    await call(b, 'prefs:set', { category: 'sleep', sources: ['apple_health'] });
    await sync(b);
    await sync(a);
    await sync(b);
    for (const c of [a, b]) expect((await call<{ category: string; sources: string[] }[]>(c, 'prefs:get')).find((p) => p.category === 'sleep')!.sources).toEqual(['apple_health']);
  });

  it('two computers restored from one backup find out, and each ends with the other’s data', async () => {
    const { a, b, folder } = await pair();
    writeSamples(a, 'apple_health', [steps('2026-03-15', 8, 111)], 'import:10');
    await sync(a);
    await sync(b);
    // B2: a copy of B's database, with B's key in its own keychain.
    const b2 = device();
    b2.close();
    b.db.$client.exec(`VACUUM INTO '${b2.dbFile.replace(/'/g, "''")}.copy'`);
    fs.rmSync(b2.dbFile, { force: true });
    fs.renameSync(`${b2.dbFile}.copy`, b2.dbFile);
    const restored = Object.assign(tempCoreOn(b2.dataDir, b2.keychain), { keychain: b2.keychain });
    const bId = (await call<VaultStatus>(b, 'vault:status')).deviceId!;
    await restored.keychain.set(`vault-key:${bId}`, (await b.keychain.get(`vault-key:${bId}`))!);

    writeSamples(b, 'apple_health', [steps('2026-03-16', 8, 222)], 'import:11');
    writeSamples(restored, 'apple_health', [steps('2026-03-17', 8, 333)], 'import:12');
    for (let i = 0; i < 3; i++) for (const c of [b, restored, a]) await sync(c);
    const ids = new Set([(await call<VaultStatus>(b, 'vault:status')).deviceId, (await call<VaultStatus>(restored, 'vault:status')).deviceId]);
    expect(ids.size).toBe(2);
    expect(facts(b)).toEqual(facts(restored));
    expect(facts(a)).toEqual(facts(b));
    expect(facts(a)).toHaveLength(3);
    const c = device();
    await call(c, 'vault:join', { folder, passphrase: PASS });
    expect(facts(c)).toEqual(facts(a));
    restored.close();
  });

  it('a pass is left to another live process holding the lock, unless that lock went stale', async () => {
    const { a } = await pair();
    const lock = path.join(a.dataDir, 'vault.lock');
    // A live process (the test runner's parent) holds it, freshly.
    fs.writeFileSync(lock, `${process.ppid} other`);
    expect((await sync(a)).waiting).toEqual([expect.objectContaining({ segment: 'lock' })]);
    // Not refreshed for an hour: its id may belong to an unrelated process now.
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(lock, old, old);
    expect((await sync(a)).waiting).toEqual([]);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('a computer that had not heard of a deletion yet does not bring the deleted rows back to the others', async () => {
    const { a, b, folder } = await pair();
    const c = device();
    await call(c, 'vault:join', { folder, passphrase: PASS, deviceName: 'Tablet' });
    // C synced a weigh-in from Withings long ago and has not sent it yet.
    c.db.$client.prepare("INSERT INTO import_jobs (id, kind, path, status, started_at) VALUES (901, 'csv', 'old.csv', 'completed', ?)").run(Date.now() - 86_400_000);
    writeSamples(c, 'withings', [weighing('2026-03-19', 71, 'meas:30', 1)], 'import:901');
    // A deletes its Withings data; C sends its weigh-in before A's deletion reaches it.
    await call(a, 'connections:disconnect', { provider: 'withings', deleteData: true });
    // A computer whose data the deletion is most of (C always; B when it took C's weigh-in in
    // first: the order of devices is random) waits for the person, who confirms it.
    const syncConfirming = async (x: TestCore) => {
      await sync(x);
      for (const h of (await call<VaultStatus>(x, 'vault:status')).held) await call(x, 'vault:confirm', { device: h.device, segment: h.segment });
    };
    await sync(c);
    await syncConfirming(a);
    await syncConfirming(b);
    expect((await sync(c)).held).toBe(1);
    await syncConfirming(c);
    await syncConfirming(a);
    await syncConfirming(b);
    for (const [n, x] of [['a', a], ['b', b], ['c', c]] as const) expect(facts(x).filter((f) => f.startsWith('withings|')), n).toEqual([]);
  });

  it('a segment file of its own that no record names is removed once it is old enough to be an orphan', async () => {
    const { a, folder } = await pair();
    const dir = path.join(folder, DEVICES_DIR, (await call<VaultStatus>(a, 'vault:status')).deviceId!);
    const orphan = path.join(dir, `${'c'.repeat(64)}.vss`);
    const young = path.join(dir, `${'d'.repeat(64)}.vss`);
    fs.writeFileSync(orphan, 'left by a pass that died');
    fs.writeFileSync(young, 'being written by a pass that lost its lock');
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(orphan, old, old);
    await sync(a);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(fs.existsSync(young)).toBe(true);
  });

  it('what a computer chose before joining loses to the vault’s choice, even when the vault’s arrives after its first pass', async () => {
    const a = device();
    const folder = vaultDir();
    await call(a, 'vault:init', { folder, passphrase: PASS, deviceName: 'Desktop' });
    await call(a, 'prefs:set', { category: 'vitals', sources: ['oura', 'withings'] });
    await sync(a);
    // B chose otherwise before joining, and joins while A's segments are still being copied.
    const b = device();
    await call(b, 'prefs:set', { category: 'vitals', sources: ['apple_health'] });
    const aDir = path.join(folder, DEVICES_DIR, (await call<VaultStatus>(a, 'vault:status')).deviceId!);
    const files = fs.readdirSync(aDir).filter((n) => n.endsWith('.vss'));
    const saved = new Map(files.map((n) => [n, fs.readFileSync(path.join(aDir, n))]));
    for (const n of files) fs.writeFileSync(path.join(aDir, n), saved.get(n)!.subarray(0, 10));
    await call(b, 'vault:join', { folder, passphrase: PASS, deviceName: 'Laptop' });
    for (const [n, bytes] of saved) fs.writeFileSync(path.join(aDir, n), bytes);
    await sync(b);
    await sync(a);
    for (const x of [a, b]) expect((await call<{ category: string; sources: string[] }[]>(x, 'prefs:get')).find((p) => p.category === 'vitals')!.sources).toEqual(['oura', 'withings']);
  });

  it('a vault folder reached through a symbolic link into the data folder is refused', async () => {
    const a = device();
    const link = path.join(vaultDir(), '..', 'link');
    fs.symlinkSync(a.dataDir, link);
    expect(await callError(a, 'vault:init', { folder: path.join(link, 'v'), passphrase: PASS })).toMatch(/outside VitalSync's data folder/);
  });

  it('an existing vault is not made again: init says to join it', async () => {
    const a = device();
    const folder = vaultDir();
    await call(a, 'vault:init', { folder, passphrase: PASS });
    const b = device();
    expect(await callError(b, 'vault:init', { folder, passphrase: PASS })).toMatch(/already holds a VitalSync vault: join it/);
  });

  it('a segment holds at most SEGMENT_RECORDS records, route points counted', async () => {
    const { a, b } = await pair();
    const sql = a.db.$client;
    sql.transaction(() => {
      new SampleWriter(sql, 'strava').write([], [{ origin: { name: 'Strava', deviceKind: 'app' }, activityType: 'cycling', startMs: paris('2026-03-18T08:00:00+01:00'), endMs: paris('2026-03-18T20:00:00+01:00'), zone: { name: 'Europe/Paris', src: ZONE_SRC.provider }, durationS: 43_200, distanceKm: 300, energyKcal: 6000, avgHeartRate: 130, maxHeartRate: 170, details: {} }], 'sync:5');
      const id = (sql.prepare('SELECT id FROM workouts').get() as { id: number }).id;
      const pt = sql.prepare('INSERT INTO route_points (workout_id, seq, time_ms, lat, lon, elevation_m, speed_mps) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (let i = 0; i < SEGMENT_RECORDS - 10; i++) pt.run(id, i, paris('2026-03-18T08:00:00+01:00') + i * 500, 45 + i / 1e5, 6, 200, 7);
    })();
    writeSamples(a, 'apple_health', Array.from({ length: 20 }, (_, i) => steps('2026-03-18', i % 24, 10 + i)), 'import:13');
    const published = await sync(a);
    expect(published.published).toBe(2);
    await sync(b);
    expect(workoutFacts(b)).toEqual(workoutFacts(a));
    expect(facts(b)).toEqual(facts(a));
  });
});
