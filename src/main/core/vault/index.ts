// Sync between a person's computers (DESIGN.md "Between the user's computers"): a vault
// folder that their own sync engine (Syncthing, iCloud Drive, Dropbox, …) carries. Each pass
//   1. checks this computer still owns its device id: its manifest naming a segment this
//      database never wrote, or a conflict copy of it, means a second computer writes with the
//      same id (both restored from one backup), and this one takes a new id;
//   2. takes in every other device's segments it has not seen, in each device's order, through
//      the single sample writer (idempotent), each segment in one transaction with its
//      bookkeeping, so a crash never loses or doubles one;
//   3. writes the intent edits stamped since its last segment (vault/intent.ts: edits are
//      stamped when they are made), and every sample, workout and deletion written here since
//      the last pass, as new segments; each is recorded in the database before the manifest,
//      which is always rebuilt from those records, so the manifest never names a segment this
//      database does not know.
// The live database never lives in the vault, and derived tables never travel.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERROR_CODES, type HeldSegment, type VaultDevice, type VaultStatus, type VaultSyncResult } from '../../../shared/contract';
import { AppError, invalidInput } from '../errors';
import { addCounts, emptyCounts, type WriteCounts } from '../samples';
import type { Core } from '../index';
import { log } from '../log';
import { keychainUnavailable } from '../secrets';
import { createVault, keyFromBase64, keyToBase64, unlockWithPassphrase, unlockWithRecoveryPhrase, VaultCryptoError, type KdfStrength } from './crypto';
import {
  HEADER_FILE,
  listDevices,
  manifestConflictCopies,
  newDeviceId,
  readHeader,
  readManifest,
  readSegment,
  removeOrphanSegments,
  writeHeader,
  writeManifest,
  writeSegment,
  type Manifest,
  type ManifestEntry,
} from './folder';
import { deriveInWorker } from './kdfThread';
import { formatHlc } from './hlc';
import { applyRemoteIntent, DEVICE_KEY, HLC_KEY, intentClock, readIntent, savedRegisters, stampLocalEdits, unsentEdits, type IntentEntry } from './intent';
import { collectData, decodeSegment, encodeSegment, ingestData, recordCount, SEGMENT_VERSION, type DataSegment, type PublishMarks, type Segment } from './segment';

type Parts = Pick<Core, 'dataDir' | 'db' | 'events' | 'prefs' | 'settings' | 'derived' | 'deps'>;

/** meta keys of this computer's vault settings (never synced). */
const K = {
  folder: 'vault.folder',
  device: DEVICE_KEY,
  name: 'vault.device_name',
  vaultId: 'vault.vault_id',
  paused: 'vault.paused',
  seq: 'vault.seq',
  sample: 'vault.sample_id',
  workout: 'vault.workout_id',
  tombstone: 'vault.tombstone_id',
  hlc: HLC_KEY,
  sampleFreed: 'vault.sample_freed',
  workoutFreed: 'vault.workout_freed',
  /** The last intent stamp written to the vault. */
  intentSent: 'vault.intent_sent',
  left: 'vault.left',
  lastSync: 'vault.last_sync_at',
  lastError: 'vault.last_error',
} as const;

/** How often a running app looks at the vault folder (a file watcher wakes it sooner). */
const POLL_MS = 3_000;
/**
 * A segment file of ours that no record names is removed once this old: a younger one may be
 * being written by a pass that lost the lock while asleep, or arriving from a clone.
 */
const ORPHAN_AGE_MS = 10 * 60 * 1000;
/** A device's manifest is rewritten at least this often, so the others see it is alive. */
const HEARTBEAT_MS = 60 * 60 * 1000;

export const keyAccount = (device: string) => `vault-key:${device}`;

export interface VaultOptions {
  /** Argon2id cost for a new vault: moderate (default); tests use interactive. */
  kdf?: KdfStrength;
}

export class Vault {
  private key: Uint8Array | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private watcher: fs.FSWatcher | null = null;
  private wake: NodeJS.Timeout | null = null;
  private names = new Map<string, { name: string; updatedAt: number; segments: number; left: boolean }>();
  private closed = false;
  /** Keeps the pass's lock fresh while a long pass runs (called per segment). */
  private refreshLock: () => void = () => undefined;

  constructor(
    private readonly core: Parts,
    private readonly options: VaultOptions = {},
  ) {}

  private get sql() {
    return this.core.db.$client;
  }

  private meta(key: string): string | null {
    const row = this.sql.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row && row.value !== '' ? row.value : null;
  }

  private setMeta(values: Record<string, string | number | null>): void {
    const up = this.sql.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.sql.transaction(() => {
      for (const [k, v] of Object.entries(values)) up.run(k, v === null ? '' : String(v));
    })();
  }

  private num(key: string): number {
    return Number(this.meta(key) ?? 0) || 0;
  }

  private lastSyncAt(): number | null {
    return this.meta(K.lastSync) ? this.num(K.lastSync) : null;
  }

  private get folder(): string | null {
    return this.meta(K.folder);
  }

  private get device(): string | null {
    return this.meta(K.device);
  }

  private clock(device: string) {
    return intentClock(this.sql, device, this.core.deps.clock);
  }

  private get secrets() {
    const s = this.core.deps.secrets;
    if (!s) throw keychainUnavailable();
    return s;
  }

  private intentParts() {
    return { sql: this.sql, prefs: this.core.prefs, settings: this.core.settings, events: this.core.events };
  }

  // ---- front doors -------------------------------------------------------------------------

  /** Creates a vault in `folder` and makes this computer its first device. */
  async init(input: { folder: string; passphrase: string; deviceName?: string }): Promise<{ recoveryPhrase: string; status: VaultStatus }> {
    this.refuseIfJoined();
    const folder = this.checkFolder(input.folder);
    fs.mkdirSync(folder, { recursive: true });
    const { header, key, recoveryPhrase } = await createVault(input.passphrase, this.options.kdf ?? 'moderate', deriveInWorker(this.core.deps.paths));
    try {
      writeHeader(folder, header);
    } catch (err) {
      rethrow(err);
    }
    await this.adopt(folder, header.vaultId, key, input.deviceName, false);
    // The vault exists now: a first pass that fails (a folder that cannot be written) must not
    // lose the recovery phrase. Its error is the status's lastError, and the next pass retries.
    await this.sync().catch(() => undefined);
    if (this.background) this.start();
    return { recoveryPhrase, status: await this.status() };
  }

  /** Joins the vault in `folder` with its passphrase or recovery phrase, and takes in what it holds. */
  async join(input: { folder: string; passphrase?: string; recoveryPhrase?: string; deviceName?: string }): Promise<VaultStatus> {
    this.refuseIfJoined();
    const folder = this.checkFolder(input.folder);
    const header = this.readHeaderOrExplain(folder);
    const key =
      input.passphrase !== undefined
        ? await unlockWithPassphrase(header, input.passphrase, deriveInWorker(this.core.deps.paths)).catch(rethrow)
        : await unlockWithRecoveryPhrase(header, input.recoveryPhrase ?? '').catch(rethrow);
    await this.adopt(folder, header.vaultId, key, input.deviceName, true);
    // The vault's preferences win over this computer's earlier ones: they are taken in before
    // anything here is stamped as an edit. A first pass that fails is the status's lastError.
    await this.sync().catch(() => undefined);
    if (this.background) this.start();
    return this.status();
  }

  async status(): Promise<VaultStatus> {
    const folder = this.folder;
    const me = this.device;
    if (!folder || !me) return { state: 'none', folder: null, deviceId: null, deviceName: null, devices: [], pending: 0, ingested: 0, held: [], lastSyncAt: null, lastError: null };
    const key = await this.loadKey().catch(() => null);
    const missing = !fs.existsSync(path.join(folder, HEADER_FILE));
    const state: VaultStatus['state'] = missing ? 'missing' : !key ? 'locked' : this.meta(K.paused) ? 'paused' : 'active';
    const counts = new Map(
      (this.sql.prepare("SELECT device, count(*) AS n FROM vault_segments WHERE status = 'ingested' GROUP BY device").all() as { device: string; n: number }[]).map((r) => [r.device, r.n]),
    );
    const devices: VaultDevice[] = [];
    let pending = 0;
    if (key && !missing) {
      for (const id of listDevices(folder)) {
        const m = await readManifest(folder, key, id).catch(() => null);
        if (m) this.names.set(id, { name: m.name, updatedAt: m.updatedAt, segments: m.entries.length, left: m.left === true });
      }
    }
    const ids = new Set([me, ...(key && !missing ? listDevices(folder) : [])]);
    const published = (this.sql.prepare("SELECT count(*) AS n FROM vault_segments WHERE device = ? AND status = 'published'").get(me) as { n: number }).n;
    for (const id of ids) {
      const seen = this.names.get(id);
      const thisDevice = id === me;
      const segments = thisDevice ? published : (seen?.segments ?? 0);
      const ingested = thisDevice ? published : (counts.get(id) ?? 0);
      if (!thisDevice) pending += Math.max(0, segments - ingested);
      devices.push({ id, name: thisDevice ? (this.meta(K.name) ?? id) : (seen?.name ?? id), lastActiveAt: seen?.updatedAt ?? (thisDevice ? this.lastSyncAt() : null), segments, ingested, thisDevice, left: !thisDevice && (seen?.left ?? false) });
    }
    const held = this.heldSegments();
    pending -= held.length;
    return {
      state,
      folder,
      deviceId: me,
      deviceName: this.meta(K.name),
      devices,
      pending: Math.max(0, pending),
      ingested: [...counts.values()].reduce((a, b) => a + b, 0),
      held,
      lastSyncAt: this.lastSyncAt(),
      lastError: missing ? `The vault folder ${folder} is not there. Reconnect the drive or restore the folder, or leave the vault and join it again where it is now.` : !key ? 'The vault key is not in this computer’s keychain. Leave the vault and join it again with its passphrase or recovery phrase.' : this.meta(K.lastError),
    };
  }

  /** One pass now (queued behind a pass already running). */
  sync(opts: { confirm?: { device: string; segment: string } } = {}): Promise<VaultSyncResult> {
    const run = this.running.then(() => this.pass(opts));
    this.running = run.catch(() => undefined);
    return run;
  }

  async pause(paused: boolean): Promise<VaultStatus> {
    this.requireJoined();
    this.setMeta({ [K.paused]: paused ? '1' : null });
    this.core.events.emit('vault:changed', {});
    if (!paused) void this.sync().catch(() => undefined);
    return this.status();
  }

  async confirm(device: string, segment: string): Promise<VaultStatus> {
    this.requireJoined();
    const row = this.sql.prepare("SELECT 1 FROM vault_segments WHERE device = ? AND segment = ? AND status = 'held'").get(device, segment);
    if (!row) throw new AppError(ERROR_CODES.notFound, 'That segment is not waiting for confirmation (it may have been taken in already). Refresh the Sync page.');
    await this.sync({ confirm: { device, segment } });
    return this.status();
  }

  /**
   * Stops syncing here and forgets the key. What this computer wrote stays in the vault (a
   * computer joining later still gets that history); its manifest says it left. The data here stays.
   */
  async leave(): Promise<VaultStatus> {
    const folder = this.folder;
    const me = this.requireJoined();
    await this.running;
    this.stop();
    const key = await this.loadKey().catch(() => null);
    if (folder && key && fs.existsSync(path.join(folder, HEADER_FILE))) {
      await this.writeOwnManifest(folder, key, me, { left: true }).catch((err: unknown) => log.warn(`vault: could not mark this computer as gone in the vault: ${err instanceof Error ? err.message : String(err)}`));
    }
    await this.secrets.delete(keyAccount(me)).catch(() => false);
    this.key = null;
    this.sql.transaction(() => {
      this.sql.prepare("DELETE FROM meta WHERE key LIKE 'vault.%'").run();
      this.sql.exec('DELETE FROM vault_segments; DELETE FROM vault_intent;');
    })();
    this.core.events.emit('vault:changed', {});
    log.info('vault: this computer left the vault');
    if (this.background) this.start();
    return this.status();
  }

  /** Set by long-running front doors (the app, browser mode): a vault created or joined then syncs in the background. */
  private background = false;

  /** Syncs in the background from now on, and at once when this computer is in a vault (the app and browser mode; not the CLI). */
  runInBackground(): void {
    this.background = true;
    this.start();
  }

  /**
   * Syncs in the background: a poll, a watcher on the vault folder, and local changes. It runs
   * before this computer is in a vault too, so a vault joined from the CLI while the app runs
   * is noticed at the next poll.
   */
  private start(): void {
    if (this.closed || this.timer) return;
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    const offs = [this.core.events.on('data:changed', (p) => p.reason.startsWith('vault') || this.kick(1_000)), this.core.events.on('prefs:changed', () => this.kick(1_000))];
    this.offs.push(...offs);
    this.kick(0);
  }

  /** Watches the vault folder's devices (a network drive may refuse: the poll still finds new files). */
  private watch(folder: string): void {
    if (this.watching === folder) return;
    this.watcher?.close();
    this.watcher = null;
    this.watching = folder;
    try {
      this.watcher = fs.watch(path.join(folder, 'devices'), { recursive: true }, () => this.kick(300));
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // Not there yet, or not watchable: the poll goes on.
      this.watching = null;
    }
  }

  private watching: string | null = null;
  private readonly offs: (() => void)[] = [];

  private kick(delay = 0): void {
    if (this.closed || this.wake) return;
    this.wake = setTimeout(() => {
      this.wake = null;
      const folder = this.folder;
      if (!folder) return;
      this.watch(folder);
      if (this.meta(K.paused)) return;
      this.sync().catch(() => undefined);
    }, delay);
    this.wake.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.wake) clearTimeout(this.wake);
    this.watcher?.close();
    this.timer = this.wake = null;
    this.watcher = null;
    this.watching = null;
    this.offs.splice(0).forEach((off) => off());
  }

  close(): void {
    this.closed = true;
    this.stop();
  }

  /** Resolves when the pass running (if any) has ended. */
  idle(): Promise<void> {
    return this.running.then(() => undefined);
  }

  // ---- inside ------------------------------------------------------------------------------

  private refuseIfJoined(): void {
    const folder = this.folder;
    if (folder) throw new AppError(ERROR_CODES.conflict, `This computer already syncs through the vault in ${folder}. Leave it first (Settings → Sync → Remove this computer, or vitalsync vault leave).`);
  }

  private requireJoined(): string {
    const me = this.device;
    if (!me) throw new AppError(ERROR_CODES.notFound, 'This computer does not sync through a vault. Create one or join one first (Settings → Sync, or vitalsync vault init / join).');
    return me;
  }

  /** The vault folder as an absolute path, never inside the data folder nor holding it (a live database in a synced folder corrupts). */
  private checkFolder(input: string): string {
    const folder = realPath(path.resolve(input));
    const data = realPath(path.resolve(this.core.dataDir));
    const inside = (a: string, b: string) => a === b || a.startsWith(b + path.sep);
    if (inside(folder, data) || inside(data, folder)) {
      throw invalidInput(`The vault folder must be outside VitalSync's data folder (${data}), and must not hold it: a live database inside a synced folder gets corrupted. Choose a folder your sync engine carries, such as ~/Sync/VitalSync or Dropbox/VitalSync.`);
    }
    return folder;
  }

  private readHeaderOrExplain(folder: string) {
    try {
      return readHeader(folder);
    } catch (err) {
      rethrow(err);
    }
  }

  private async adopt(folder: string, vaultId: string, key: Uint8Array, deviceName: string | undefined, joining: boolean): Promise<void> {
    const device = newDeviceId();
    await this.secrets.set(keyAccount(device), keyToBase64(key));
    this.key = key;
    this.sql.exec('DELETE FROM vault_segments; DELETE FROM vault_intent;');
    if (joining) {
      // What this computer chose before joining is stamped at the dawn of time: any choice the
      // vault holds wins over it, however late it arrives (a folder still being copied), and
      // what the vault never set is still sent.
      const dawn = formatHlc({ wall: 0, counter: 0, device });
      const save = this.sql.prepare('INSERT INTO vault_intent (key, value, hlc) VALUES (?, ?, ?)');
      for (const [k, value] of readIntent(this.intentParts())) if (value !== 'null') save.run(k, value, dawn);
    }
    // Everything written here so far is published; deletions from before the vault are not.
    const tombstones = (this.sql.prepare('SELECT coalesce(max(id), 0) AS n FROM vault_tombstones').get() as { n: number }).n;
    this.setMeta({
      [K.folder]: folder,
      [K.device]: device,
      [K.name]: deviceName ?? defaultDeviceName(),
      [K.vaultId]: vaultId,
      [K.paused]: null,
      [K.seq]: 0,
      [K.sample]: 0,
      [K.workout]: 0,
      [K.tombstone]: tombstones,
      [K.hlc]: null,
      [K.intentSent]: null,
      [K.lastSync]: null,
      [K.lastError]: null,
    });
    log.info('vault: this computer joined a vault');
  }

  private async loadKey(): Promise<Uint8Array> {
    if (this.key) return this.key;
    const me = this.requireJoined();
    const stored = await this.secrets.get(keyAccount(me));
    if (!stored) throw new AppError(ERROR_CODES.unavailable, 'The vault key is not in this computer’s keychain. Leave the vault and join it again with its passphrase or recovery phrase.');
    this.key = keyFromBase64(stored);
    return this.key;
  }

  private async pass(opts: { confirm?: { device: string; segment: string } }): Promise<VaultSyncResult> {
    const started = performance.now();
    const result: VaultSyncResult = { published: 0, publishedSamples: 0, ingested: 0, ingestedSamples: 0, intent: 0, held: 0, waiting: [], ms: 0 };
    const folder = this.folder;
    if (!folder || !this.device) this.requireJoined();
    if (this.meta(K.paused) && !opts.confirm) return { ...result, ms: performance.now() - started };
    let lock: ReturnType<typeof acquireLock> = null;
    try {
      lock = acquireLock(path.join(this.core.dataDir, 'vault.lock'));
      this.refreshLock = lock ? lock.refresh : () => undefined;
      if (!lock) {
        result.waiting.push({ device: this.device!, segment: 'lock', reason: 'Another VitalSync on this computer (the app or the CLI) is syncing this data folder right now; this pass was left to it.' });
        return { ...result, ms: performance.now() - started };
      }
      const key = await this.loadKey();
      if (!fs.existsSync(path.join(folder!, HEADER_FILE))) {
        throw new AppError(ERROR_CODES.unavailable, `The vault folder ${folder} is not there (an unplugged drive, or a sync engine not running). Nothing was synced; VitalSync tries again. If the vault moved, leave it here and join it where it is now.`);
      }
      const header = this.readHeaderOrExplain(folder!);
      if (header.vaultId !== this.meta(K.vaultId)) {
        throw new AppError(ERROR_CODES.conflict, `The folder ${folder} now holds another vault than the one this computer joined. Leave the vault here and join the one in that folder.`);
      }
      await this.checkOwnership(folder!, key);
      removeOrphanSegments(folder!, this.device!, this.publishedNames(), this.core.deps.clock() - ORPHAN_AGE_MS);
      // Edits made here are stamped before the others' are taken in, so a later edit elsewhere
      // wins over them and an earlier one loses, by stamp. A device that has written nothing
      // yet (it just joined) takes the vault's intent first: its earlier choices do not
      // override the vault's.
      const joined = this.num(K.seq) === 0;
      if (!joined) stampLocalEdits(this.intentParts(), this.clock(this.device!));
      const problem = await this.ingest(folder!, key, result, opts.confirm);
      // Ids freed from here on are watched while this pass publishes (saveMarks).
      this.setMeta({ [K.sampleFreed]: null, [K.workoutFreed]: null });
      await this.publish(folder!, key, result, joined);
      this.setMeta({ [K.lastSync]: this.core.deps.clock(), [K.lastError]: problem });
      if (result.published || result.ingested || result.intent || result.held) this.core.events.emit('vault:changed', {});
      return { ...result, ms: performance.now() - started };
    } catch (err) {
      const message = err instanceof AppError || err instanceof VaultCryptoError ? err.message : `Syncing through the vault failed: ${err instanceof Error ? err.message : String(err)}`;
      this.setMeta({ [K.lastError]: message });
      this.core.events.emit('vault:changed', {});
      log.info(`vault: ${message}`);
      throw err instanceof AppError ? err : new AppError(ERROR_CODES.internal, message);
    } finally {
      lock?.release();
    }
  }

  /** Names of the segments this computer wrote (recorded before any manifest names them). */
  private publishedNames(): Set<string> {
    return new Set((this.sql.prepare("SELECT segment FROM vault_segments WHERE device = ? AND status = 'published'").all(this.device) as { segment: string }[]).map((r) => r.segment));
  }

  /**
   * Our folder must hold only what this database wrote. A manifest naming a segment this
   * database never recorded, or a conflict copy of the manifest, means a second computer
   * writes with our device id (both restored from one backup). This one takes a new id and
   * writes everything of its own again under it (taken in elsewhere, stored once); what the
   * old id holds is taken in like any other device's.
   */
  private async checkOwnership(folder: string, key: Uint8Array): Promise<void> {
    const me = this.device!;
    const mine = await readManifest(folder, key, me).catch(() => null);
    const published = this.publishedNames();
    const foreign = mine?.entries.some((e) => !published.has(e.name)) ?? false;
    if (!foreign && manifestConflictCopies(folder, me).length === 0) return;
    const device = newDeviceId();
    // New key entry, then the database, then the old entry: a crash at any point leaves the
    // database's device id with its key in the keychain.
    await this.secrets.set(keyAccount(device), keyToBase64(key));
    this.sql.transaction(() => {
      this.setMeta({ [K.device]: device, [K.seq]: 0, [K.sample]: 0, [K.workout]: 0, [K.intentSent]: null });
      // Our own earlier segments now belong to the old id, like another device's: we have them.
      this.sql.prepare("UPDATE vault_segments SET status = 'ingested' WHERE device = ? AND status = 'published'").run(me);
    })();
    await this.secrets.delete(keyAccount(me)).catch(() => false);
    log.warn('vault: another computer writes with this device id (restored from the same backup); this one took a new id');
  }

  /** Returns what was refused (a damaged segment or manifest) for lastError, or null. */
  private async ingest(folder: string, key: Uint8Array, result: VaultSyncResult, confirm?: { device: string; segment: string }): Promise<string | null> {
    let problem: string | null = null;
    const me = this.device!;
    const seen = new Map((this.sql.prepare('SELECT device, segment, status FROM vault_segments').all() as { device: string; segment: string; status: string }[]).map((r) => [`${r.device}/${r.segment}`, r.status]));
    const todo: { device: string; entry: ManifestEntry }[] = [];
    for (const device of listDevices(folder)) {
      if (device === me) continue;
      let m: Manifest | null;
      try {
        m = await readManifest(folder, key, device);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        result.waiting.push({ device, segment: 'manifest', reason });
        if (!(err instanceof VaultCryptoError && err.code === 'incomplete')) problem ??= reason;
        continue;
      }
      if (!m) continue;
      this.names.set(device, { name: m.name, updatedAt: m.updatedAt, segments: m.entries.length, left: m.left === true });
      for (const entry of [...m.entries].sort((a, b) => a.seq - b.seq)) {
        const status = seen.get(`${device}/${entry.name}`);
        if (status === 'ingested') continue;
        todo.push({ device, entry });
      }
    }
    const blocked = new Set<string>();
    let changed: WriteCounts | 'all' | null = null;
    let done = 0;
    const clock = this.clock(me);
    for (const { device, entry } of todo) {
      this.core.events.emit('vault:progress', { phase: 'ingest', done, total: todo.length });
      this.refreshLock();
      done++;
      if (blocked.has(device)) continue;
      const confirmed = confirm?.device === device && confirm.segment === entry.name;
      if (seen.get(`${device}/${entry.name}`) === 'held' && !confirmed) {
        // Later segments of that device wait too: they may build on what it deletes.
        blocked.add(device);
        result.held++;
        continue;
      }
      let seg: Segment;
      try {
        seg = decodeSegment(await readSegment(folder, key, device, entry));
      } catch (err) {
        blocked.add(device);
        const reason = err instanceof Error ? err.message : String(err);
        result.waiting.push({ device, segment: entry.name, reason });
        if (!(err instanceof VaultCryptoError && err.code === 'incomplete')) problem ??= reason;
        continue;
      }
      const note = this.sql.prepare(
        `INSERT INTO vault_segments (device, segment, seq, kind, status, records, bytes, created_at, deletes, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(device, segment) DO UPDATE SET status = excluded.status, deletes = excluded.deletes, note = excluded.note, at = excluded.at`,
      );
      if (seg.kind === 'intent') {
        const applied = this.sql.transaction(() => {
          const n = applyRemoteIntent(this.intentParts(), clock, seg.entries);
          note.run(device, entry.name, entry.seq, 'intent', 'ingested', seg.entries.length, entry.bytes, seg.createdAt, 0, '', this.core.deps.clock());
          return n;
        })();
        result.intent += applied;
        result.ingested++;
        continue;
      }
      const outcome = this.sql.transaction(() => {
        const o = ingestData(this.sql, seg, confirmed);
        const what = o.status === 'held' ? `deletes ${o.deletedSources.join(', ')} data written before ${new Date(seg.tombstones[0].at).toISOString().slice(0, 16).replace('T', ' ')} UTC (${o.deletes.toLocaleString('en')} rows here)` : '';
        note.run(device, entry.name, entry.seq, 'data', o.status, recordCount(seg), entry.bytes, seg.createdAt, o.deletes, what, this.core.deps.clock());
        return o;
      })();
      if (outcome.status === 'held') {
        blocked.add(device);
        result.held++;
        log.warn(`vault: a segment from another computer would delete ${outcome.deletes} rows (more than a tenth of the data here); it waits for confirmation`);
        continue;
      }
      result.ingested++;
      result.ingestedSamples += outcome.counts.inserted;
      if (outcome.counts.inserted || outcome.counts.replaced || outcome.deletes) {
        changed = outcome.deletes || changed === 'all' ? 'all' : addCounts(changed ?? emptyCounts(), outcome.counts);
      }
    }
    if (todo.length) this.core.events.emit('vault:progress', { phase: 'ingest', done: todo.length, total: todo.length });
    // Once for the whole pass: merged values rebuilt between segments would be rebuilt again.
    if (changed) this.core.events.emit('data:changed', { reason: 'vault', ...(changed === 'all' ? { fromMs: null, toMs: null } : { fromMs: changed.fromMs, toMs: changed.toMs }) });
    return problem;
  }

  /** `first`: the device's first pass since it joined (it sends every register it has). */
  private async publish(folder: string, key: Uint8Array, result: VaultSyncResult, first: boolean): Promise<void> {
    const me = this.device!;
    let seq = this.num(K.seq);
    const header = () => ({ v: SEGMENT_VERSION, device: me, seq: ++seq, createdAt: this.core.deps.clock() });
    const marks: PublishMarks = { sample: this.num(K.sample), workout: this.num(K.workout), tombstone: this.num(K.tombstone) };
    const write = async (segment: Segment, extra: Record<string, string | number | null>, next?: PublishMarks) => {
      const { name, bytes } = await writeSegment(folder, key, me, encodeSegment(segment));
      // Recorded before the manifest names it (the manifest is rebuilt from these records): a
      // crash in between leaves a segment the next manifest lists; one before, an orphan file
      // the next pass removes, and its rows written again.
      this.refreshLock();
      this.sql.transaction(() => {
        if (next) this.saveMarks(marks, next);
        this.setMeta({ ...extra, [K.seq]: segment.seq });
        this.sql
          .prepare("INSERT OR IGNORE INTO vault_segments (device, segment, seq, kind, status, records, bytes, created_at, deletes, note, at) VALUES (?, ?, ?, ?, 'published', ?, ?, ?, 0, '', ?)")
          .run(me, name, segment.seq, segment.kind, recordCount(segment), bytes, segment.createdAt, this.core.deps.clock());
      })();
      await this.writeOwnManifest(folder, key, me);
      this.refreshLock();
      result.published++;
      this.core.events.emit('vault:progress', { phase: 'publish', done: result.published, total: result.published });
    };

    // The first intent segment of a device carries every register it knows, so a computer
    // joining later needs nothing else to agree; later ones, what was stamped here since.
    if (first) stampLocalEdits(this.intentParts(), this.clock(me));
    const entries: IntentEntry[] = first ? [...savedRegisters(this.sql).values()] : unsentEdits(this.sql, me, this.meta(K.intentSent));
    const newest = entries.map((e) => e.hlc).sort().at(-1) ?? null;
    // Written even when empty on the first pass: seq 0 means "has not taken the vault's intent yet".
    if (entries.length || first) await write({ ...header(), kind: 'intent', entries }, newest ? { [K.intentSent]: newest } : {});

    for (const { segment, marks: next } of collectData(this.sql, marks, header)) {
      await write(segment, {}, next);
      result.publishedSamples += (segment as DataSegment).samples.type.length;
    }
    // The manifest is rewritten when it does not list what this database recorded (a crash, a
    // damaged copy), and at least hourly so the others see this computer is alive.
    const current = await readManifest(folder, key, me).catch(() => null);
    const stale = !current || current.entries.length !== this.publishedNames().size || current.left;
    if (!result.published && (stale || this.core.deps.clock() - current.updatedAt > HEARTBEAT_MS)) await this.writeOwnManifest(folder, key, me);
  }

  /**
   * Saves the publish marks reached, unless a deletion lowered a saved mark since the pass read
   * it (the trigger of migration 0013: a freed top id is handed out again); then the lowered
   * mark stays, and the rows from there are published again (taken in elsewhere, stored once).
   */
  private saveMarks(read: PublishMarks, next: PublishMarks): void {
    // An id freed since publishing began (vault.*_freed, noted by the triggers) may have been
    // handed out again below the mark reached: the mark stays below it.
    const freed = (k: string) => (this.meta(k) === null ? Infinity : this.num(k) - 1);
    const save = this.sql.prepare(`UPDATE meta SET value = CASE WHEN CAST(value AS INTEGER) < ? THEN value ELSE ? END WHERE key = ?`);
    save.run(read.sample, String(Math.min(next.sample, freed(K.sampleFreed))), K.sample);
    save.run(read.workout, String(Math.min(next.workout, freed(K.workoutFreed))), K.workout);
    this.setMeta({ [K.tombstone]: next.tombstone });
  }

  /** This device's manifest, rebuilt from the segments this database recorded as written. */
  private async writeOwnManifest(folder: string, key: Uint8Array, me: string, opts: { left?: boolean } = {}): Promise<void> {
    const rows = this.sql
      .prepare("SELECT segment AS name, seq, kind, bytes, records, created_at AS createdAt FROM vault_segments WHERE device = ? AND status = 'published' ORDER BY seq")
      .all(me) as ManifestEntry[];
    const manifest: Manifest = { v: 1, device: me, name: this.meta(K.name) ?? me, updatedAt: this.core.deps.clock(), entries: rows, ...(opts.left ? { left: true } : {}) };
    await writeManifest(folder, key, manifest);
  }

  private heldSegments(): HeldSegment[] {
    const rows = this.sql.prepare("SELECT device, segment, deletes, note FROM vault_segments WHERE status = 'held' ORDER BY device, seq").all() as { device: string; segment: string; deletes: number; note: string }[];
    if (!rows.length) return [];
    const total = (this.sql.prepare('SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM workouts) AS n').get() as { n: number }).n;
    return rows.map((r) => ({
      device: r.device,
      deviceName: this.names.get(r.device)?.name ?? r.device,
      segment: r.segment,
      deletes: r.deletes,
      share: total ? r.deletes / total : 1,
      what: r.note || `deletes ${r.deletes.toLocaleString('en')} rows here`,
    }));
  }
}

function rethrow(err: unknown): never {
  if (err instanceof VaultCryptoError) {
    const code = err.code === 'wrong-passphrase' || err.code === 'wrong-recovery-phrase' || err.code === 'not-a-recovery-phrase' ? ERROR_CODES.invalidInput : ERROR_CODES.unavailable;
    throw new AppError(code, err.message);
  }
  throw err;
}

/** The real path of `p` (symbolic links resolved), for its nearest existing ancestor when it does not exist yet. */
function realPath(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(realPath(parent), path.basename(p));
  }
}

function defaultDeviceName(): string {
  return os.hostname() || 'This computer';
}

/** A lock not refreshed for this long is stale even if its process id is alive (ids are reused after a reboot). */
const LOCK_STALE_MS = 10 * 60 * 1000;

/**
 * A lock file in the data folder, so the app and a `vitalsync vault sync` never run a pass at
 * once (both would publish the same rows). A lock whose process is gone, or that its holder has
 * not refreshed for LOCK_STALE_MS (a pass refreshes it as it goes), is taken over. Taking over
 * is write-then-rename and read back, so of two processes taking it over at once one wins.
 * Returns the lock, or null when another live process holds it.
 */
function acquireLock(file: string): { release(): void; refresh(): void } | null {
  // refresh() throws once the lock is someone else's.
  const mine = `${process.pid} ${Math.random().toString(36).slice(2)}`;
  const lock = {
    release: () => {
      if (readLock(file) === mine) fs.rmSync(file, { force: true });
    },
    refresh: () => {
      // Lost (taken over as stale while this process slept): the pass must stop, not go on
      // beside the new holder.
      if (readLock(file) !== mine) throw new AppError(ERROR_CODES.conflict, 'Another VitalSync took over syncing this data folder while this pass was paused; this pass stopped and the other one carries on.');
      const now = new Date();
      fs.utimesSync(file, now, now);
    },
  };
  try {
    fs.writeFileSync(file, mine, { flag: 'wx' });
    return lock;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const held = readLock(file);
  const pid = Number(held?.split(' ')[0]) || 0;
  let age = 0;
  try {
    age = Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    // Released meanwhile: taken over below.
  }
  if (held !== null && alive(pid) && age < LOCK_STALE_MS) return null;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, mine);
  fs.renameSync(tmp, file);
  return readLock(file) === mine ? lock : null;
}

function readLock(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
