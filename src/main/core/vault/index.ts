// Sync between a person's computers (DESIGN.md "Between the user's computers"): a vault
// folder that their own sync engine (Syncthing, iCloud Drive, Dropbox, …) carries. Each pass
//   1. checks this computer still owns its device id (a clone restored from the same backup
//      shows up as someone else's manifest in our folder: we take a new id);
//   2. takes in every other device's segments it has not seen, in each device's order, through
//      the single sample writer (idempotent), each segment in one transaction with its
//      bookkeeping, so a crash never loses or doubles one;
//   3. stamps local edits of the person's intent and writes them, and every sample, workout and
//      deletion written here since the last pass, as new segments, then the manifest.
// The live database never lives in the vault, and derived tables never travel.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERROR_CODES, type HeldSegment, type VaultDevice, type VaultStatus, type VaultSyncResult } from '../../../shared/contract';
import { AppError, invalidInput } from '../errors';
import type { Core } from '../index';
import { log } from '../log';
import { keychainUnavailable } from '../secrets';
import { createVault, keyFromBase64, keyToBase64, unlockWithPassphrase, unlockWithRecoveryPhrase, VaultCryptoError, type KdfStrength } from './crypto';
import {
  conflictCopies,
  HEADER_FILE,
  listDevices,
  newDeviceId,
  readHeader,
  readManifest,
  readSegment,
  removeDeviceDir,
  writeHeader,
  writeManifest,
  writeSegment,
  type Manifest,
  type ManifestEntry,
} from './folder';
import { HlcClock } from './hlc';
import { applyRemoteIntent, savedRegisters, stampLocalEdits, type IntentEntry } from './intent';
import { collectData, decodeSegment, encodeSegment, ingestData, recordCount, SEGMENT_VERSION, type DataSegment, type PublishMarks, type Segment } from './segment';

type Parts = Pick<Core, 'dataDir' | 'db' | 'events' | 'prefs' | 'settings' | 'derived' | 'deps'>;

/** meta keys of this computer's vault settings (never synced). */
const K = {
  folder: 'vault.folder',
  device: 'vault.device_id',
  name: 'vault.device_name',
  vaultId: 'vault.vault_id',
  instance: 'vault.instance',
  paused: 'vault.paused',
  seq: 'vault.seq',
  sample: 'vault.sample_id',
  workout: 'vault.workout_id',
  tombstone: 'vault.tombstone_id',
  hlc: 'vault.hlc',
  lastSync: 'vault.last_sync_at',
  lastError: 'vault.last_error',
} as const;

/** How often a running app looks at the vault folder (a file watcher wakes it sooner). */
const POLL_MS = 3_000;
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
  private names = new Map<string, { name: string; updatedAt: number; segments: number }>();
  private closed = false;

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

  private get folder(): string | null {
    return this.meta(K.folder);
  }

  private get device(): string | null {
    return this.meta(K.device);
  }

  private clock(device: string): HlcClock {
    return new HlcClock(device, this.core.deps.clock, () => this.meta(K.hlc), (s) => this.setMeta({ [K.hlc]: s }));
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
    const { header, key, recoveryPhrase } = await createVault(input.passphrase, this.options.kdf ?? 'moderate');
    writeHeader(folder, header);
    await this.adopt(folder, header.vaultId, key, input.deviceName);
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
    const key = input.passphrase !== undefined ? await unlockWithPassphrase(header, input.passphrase).catch(rethrow) : await unlockWithRecoveryPhrase(header, input.recoveryPhrase ?? '').catch(rethrow);
    await this.adopt(folder, header.vaultId, key, input.deviceName);
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
        if (m) this.names.set(id, { name: m.name, updatedAt: m.updatedAt, segments: m.entries.length });
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
      devices.push({ id, name: thisDevice ? (this.meta(K.name) ?? id) : (seen?.name ?? id), lastActiveAt: seen?.updatedAt ?? null, segments, ingested, thisDevice });
    }
    const held = await this.heldSegments();
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
      lastSyncAt: this.meta(K.lastSync) ? this.num(K.lastSync) : null,
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

  /** Stops syncing here, forgets the key and removes this computer's files from the vault. The data here stays. */
  async leave(): Promise<VaultStatus> {
    const folder = this.folder;
    const me = this.requireJoined();
    await this.running;
    this.stop();
    if (folder) removeDeviceDir(folder, me);
    await this.secrets.delete(keyAccount(me)).catch(() => false);
    this.key = null;
    this.sql.transaction(() => {
      this.sql.prepare("DELETE FROM meta WHERE key LIKE 'vault.%'").run();
      this.sql.exec('DELETE FROM vault_segments; DELETE FROM vault_intent;');
    })();
    this.core.events.emit('vault:changed', {});
    log.info('vault: this computer left the vault');
    return this.status();
  }

  /** Set by long-running front doors (the app, browser mode): a vault created or joined then syncs in the background. */
  private background = false;

  /** Syncs in the background from now on, and at once when this computer is in a vault (the app and browser mode; not the CLI). */
  runInBackground(): void {
    this.background = true;
    if (this.folder) this.start();
  }

  /** Watches the vault folder and syncs in the background. */
  private start(): void {
    if (this.closed || this.timer || !this.folder) return;
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    try {
      this.watcher = fs.watch(path.join(this.folder, 'devices'), { recursive: true }, () => this.kick(300));
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No watcher (a network drive): the poll still finds new files.
    }
    const offs = [this.core.events.on('data:changed', (p) => p.reason.startsWith('vault') || this.kick(1_000)), this.core.events.on('prefs:changed', () => this.kick(1_000))];
    this.offs.push(...offs);
    this.kick(0);
  }

  private readonly offs: (() => void)[] = [];

  private kick(delay = 0): void {
    if (this.closed || this.wake) return;
    this.wake = setTimeout(() => {
      this.wake = null;
      if (!this.folder || this.meta(K.paused)) return;
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
    const folder = path.resolve(input);
    const data = path.resolve(this.core.dataDir);
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

  private async adopt(folder: string, vaultId: string, key: Uint8Array, deviceName: string | undefined): Promise<void> {
    const device = newDeviceId();
    await this.secrets.set(keyAccount(device), keyToBase64(key));
    this.key = key;
    this.sql.exec('DELETE FROM vault_segments; DELETE FROM vault_intent;');
    // Everything written here so far is published; deletions from before the vault are not.
    const tombstones = (this.sql.prepare('SELECT coalesce(max(id), 0) AS n FROM vault_tombstones').get() as { n: number }).n;
    this.setMeta({
      [K.folder]: folder,
      [K.device]: device,
      [K.name]: deviceName ?? defaultDeviceName(),
      [K.vaultId]: vaultId,
      [K.instance]: newDeviceId(),
      [K.paused]: null,
      [K.seq]: 0,
      [K.sample]: 0,
      [K.workout]: 0,
      [K.tombstone]: tombstones,
      [K.hlc]: null,
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
    let release: (() => void) | null = null;
    try {
      release = acquireLock(path.join(this.core.dataDir, 'vault.lock'));
      if (!release) {
        result.waiting.push({ device: this.device!, segment: 'lock', reason: 'Another VitalSync on this computer (the app or the CLI) is syncing this data folder right now; this pass was left to it.' });
        return { ...result, ms: performance.now() - started };
      }
      const key = await this.loadKey();
      const header = this.readHeaderOrExplain(folder!);
      if (header.vaultId !== this.meta(K.vaultId)) {
        throw new AppError(ERROR_CODES.conflict, `The folder ${folder} now holds another vault than the one this computer joined. Leave the vault here and join the one in that folder.`);
      }
      await this.checkOwnership(folder!, key);
      // Edits made here are stamped before the others' are taken in, so a later edit elsewhere
      // wins over them and an earlier one loses, by stamp. A device that has written nothing
      // yet (it just joined) takes the vault's intent first: its earlier choices do not
      // override the vault's.
      const joined = this.num(K.seq) === 0;
      const edits = joined ? [] : stampLocalEdits(this.intentParts(), this.clock(this.device!));
      const problem = await this.ingest(folder!, key, result, opts.confirm);
      await this.publish(folder!, key, result, joined ? null : edits);
      this.setMeta({ [K.lastSync]: this.core.deps.clock(), [K.lastError]: problem });
      if (result.published || result.ingested || result.intent || result.held) this.core.events.emit('vault:changed', {});
      return { ...result, ms: performance.now() - started };
    } catch (err) {
      const message = err instanceof AppError || err instanceof VaultCryptoError ? err.message : `Syncing through the vault failed: ${err instanceof Error ? err.message : String(err)}`;
      this.setMeta({ [K.lastError]: message });
      this.core.events.emit('vault:changed', {});
      log.warn(`vault: ${message}`);
      throw err instanceof AppError ? err : new AppError(ERROR_CODES.internal, message);
    } finally {
      release?.();
    }
  }

  /**
   * Our folder must hold only what this database wrote. Another instance in our manifest, or a
   * conflict copy beside it, means a second computer uses our device id (both restored from
   * one backup): this one takes a new id, and its earlier segments stay where they are.
   */
  private async checkOwnership(folder: string, key: Uint8Array): Promise<void> {
    const me = this.device!;
    const mine = await readManifest(folder, key, me).catch(() => null);
    const clone = (mine && mine.instance !== this.meta(K.instance)) || conflictCopies(folder, me).length > 0;
    if (!clone) return;
    const device = newDeviceId();
    await this.secrets.set(keyAccount(device), keyToBase64(key));
    await this.secrets.delete(keyAccount(me)).catch(() => false);
    this.setMeta({ [K.device]: device, [K.instance]: newDeviceId(), [K.seq]: 0 });
    // Our own earlier segments are now another device's: they are ours already.
    this.sql.prepare("UPDATE vault_segments SET status = 'ingested' WHERE device = ? AND status = 'published'").run(me);
    log.warn('vault: another computer uses this device id (restored from the same backup); this one took a new id');
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
      this.names.set(device, { name: m.name, updatedAt: m.updatedAt, segments: m.entries.length });
      for (const entry of [...m.entries].sort((a, b) => a.seq - b.seq)) {
        const status = seen.get(`${device}/${entry.name}`);
        if (status === 'ingested') continue;
        todo.push({ device, entry });
      }
    }
    const blocked = new Set<string>();
    let done = 0;
    const clock = this.clock(me);
    for (const { device, entry } of todo) {
      this.core.events.emit('vault:progress', { phase: 'ingest', done, total: todo.length });
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
      const batch = `vault:${device}:${entry.seq}`;
      const note = this.sql.prepare(
        `INSERT INTO vault_segments (device, segment, seq, kind, status, records, deletes, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(device, segment) DO UPDATE SET status = excluded.status, deletes = excluded.deletes, at = excluded.at`,
      );
      if (seg.kind === 'intent') {
        const applied = this.sql.transaction(() => {
          const n = applyRemoteIntent(this.intentParts(), clock, seg.entries);
          note.run(device, entry.name, entry.seq, 'intent', 'ingested', seg.entries.length, 0, this.core.deps.clock());
          return n;
        })();
        result.intent += applied;
        result.ingested++;
        continue;
      }
      const outcome = this.sql.transaction(() => {
        const o = ingestData(this.sql, seg, batch, confirmed);
        note.run(device, entry.name, entry.seq, 'data', o.status, recordCount(seg), o.deletes, this.core.deps.clock());
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
        const range = outcome.deletes ? { fromMs: null, toMs: null } : { fromMs: outcome.counts.fromMs, toMs: outcome.counts.toMs };
        this.core.events.emit('data:changed', { reason: 'vault', ...range });
      }
    }
    if (todo.length) this.core.events.emit('vault:progress', { phase: 'ingest', done: todo.length, total: todo.length });
    return problem;
  }

  /** `edits`: the intent edits stamped this pass; null on a device's first pass (it sends every register it has). */
  private async publish(folder: string, key: Uint8Array, result: VaultSyncResult, edits: IntentEntry[] | null): Promise<void> {
    const me = this.device!;
    const manifest: Manifest = (await readManifest(folder, key, me).catch(() => null)) ?? {
      v: 1,
      device: me,
      name: this.meta(K.name) ?? me,
      instance: this.meta(K.instance)!,
      updatedAt: 0,
      entries: [],
    };
    manifest.name = this.meta(K.name) ?? manifest.name;
    manifest.instance = this.meta(K.instance)!;
    let seq = this.num(K.seq);
    const header = () => ({ v: SEGMENT_VERSION, device: me, seq: ++seq, createdAt: this.core.deps.clock() });
    const write = async (segment: Segment, marks: Record<string, number>) => {
      const { name, bytes } = await writeSegment(folder, key, me, encodeSegment(segment));
      const entry: ManifestEntry = { name, seq: segment.seq, kind: segment.kind, bytes, records: recordCount(segment), createdAt: segment.createdAt };
      manifest.entries.push(entry);
      manifest.updatedAt = this.core.deps.clock();
      await writeManifest(folder, key, manifest);
      // Only once the segment and the manifest naming it are in the vault do the marks move:
      // a crash before leaves them to be written again (taken in twice, stored once).
      this.sql.transaction(() => {
        this.setMeta({ ...marks, [K.seq]: segment.seq });
        this.sql
          .prepare("INSERT OR IGNORE INTO vault_segments (device, segment, seq, kind, status, records, deletes, at) VALUES (?, ?, ?, ?, 'published', ?, 0, ?)")
          .run(me, name, segment.seq, segment.kind, entry.records, entry.createdAt);
      })();
      result.published++;
      this.core.events.emit('vault:progress', { phase: 'publish', done: result.published, total: result.published });
    };

    // The first intent segment of a device carries every register it knows, so a computer
    // joining later needs nothing else to agree.
    let entries = edits;
    if (entries === null) {
      stampLocalEdits(this.intentParts(), this.clock(me));
      entries = [...savedRegisters(this.sql).values()];
    }
    // Written even when empty on the first pass: seq 0 means "has not taken the vault's intent yet".
    if (entries.length || edits === null) await write({ ...header(), kind: 'intent', entries }, {});

    const marks: PublishMarks = { sample: this.num(K.sample), workout: this.num(K.workout), tombstone: this.num(K.tombstone) };
    for (const { segment, marks: next } of collectData(this.sql, marks, header)) {
      await write(segment, { [K.sample]: next.sample, [K.workout]: next.workout, [K.tombstone]: next.tombstone });
      result.publishedSamples += (segment as DataSegment).samples.type.length;
    }
    if (!result.published && this.core.deps.clock() - manifest.updatedAt > HEARTBEAT_MS) {
      manifest.updatedAt = this.core.deps.clock();
      await writeManifest(folder, key, manifest);
    }
  }

  private async heldSegments(): Promise<HeldSegment[]> {
    const rows = this.sql.prepare("SELECT device, segment, deletes FROM vault_segments WHERE status = 'held' ORDER BY device, seq").all() as { device: string; segment: string; deletes: number }[];
    if (!rows.length) return [];
    const total = (this.sql.prepare('SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM workouts) AS n').get() as { n: number }).n;
    const out: HeldSegment[] = [];
    for (const r of rows) {
      let what = `deletes ${r.deletes.toLocaleString('en')} rows here`;
      try {
        const key = await this.loadKey();
        const m = await readManifest(this.folder!, key, r.device);
        const entry = m?.entries.find((e) => e.name === r.segment);
        const seg = entry ? decodeSegment(await readSegment(this.folder!, key, r.device, entry)) : null;
        if (seg?.kind === 'data') what = `deletes all ${seg.tombstones.map((t) => t.source).join(', ')} data (${r.deletes.toLocaleString('en')} rows here)`;
      } catch {
        // The plain count is still true.
      }
      const name = this.names.get(r.device)?.name ?? r.device;
      out.push({ device: r.device, deviceName: name, segment: r.segment, deletes: r.deletes, share: total ? r.deletes / total : 1, what });
    }
    return out;
  }
}

function rethrow(err: unknown): never {
  if (err instanceof VaultCryptoError) {
    const code = err.code === 'wrong-passphrase' || err.code === 'wrong-recovery-phrase' || err.code === 'not-a-recovery-phrase' ? ERROR_CODES.invalidInput : ERROR_CODES.unavailable;
    throw new AppError(code, err.message);
  }
  throw err;
}

function defaultDeviceName(): string {
  return os.hostname() || 'This computer';
}

/**
 * A lock file in the data folder, so the app and a `vitalsync vault sync` never run a pass at
 * once (both would publish the same rows). A lock whose process is gone is taken over.
 * Returns the release function, or null when another live process holds it.
 */
function acquireLock(file: string): (() => void) | null {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8')) || 0;
      if (pid === process.pid || !alive(pid)) fs.rmSync(file, { force: true });
      else return null;
    }
  }
  return null;
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
