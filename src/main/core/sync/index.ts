// Connected accounts, front to back: client credentials and tokens in the keychain, the OAuth
// flow, the sync engine and its scheduler. Handlers and front doors use this and nothing deeper.
import { getSource, SOURCES } from '../../../shared/catalog';
import type { ConnectionInfo, SyncResult } from '../../../shared/contract';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import type { CoreEvents } from '../events';
import { log } from '../log';
import { OAuthFlows, type BeginResult, type FlowOutcome } from '../oauth/flow';
import { isOAuthProvider, OAUTH_PROVIDER_IDS, type OAuthProviderId } from '../oauth/providers';
import { revokeGrant, type TokenSet } from '../oauth/tokenClient';
import { TokenManager } from '../oauth/tokens';
import { ADAPTERS } from '../providers';
import { PROTOCOL } from '../oauth/deeplink';
import type { SecretStore } from '../secrets';
import { deleteSourceData } from '../samples';
import type { SettingsStore } from '../settings';
import { countByOrigin } from '../status';
import { assumedHomeZoneWarning, inferHomeZone } from '../time/inferHomeZone';
import { resolveHomeZone } from '../time/zones';
import { SyncEngine, type SyncTrigger } from './engine';
import { realTiming, type Timing } from './http';
import { ConnectionStore } from './store';

export interface ConnectionsOptions {
  /** Environment for endpoint overrides and client credentials (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Injectable waits and jitter, so tests assert backoff without waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Opens the system browser (the desktop app passes shell.openExternal). */
  openExternal?: (url: string) => Promise<void>;
  /** True only in the desktop app, which receives vitalsync:// links. */
  canReceiveDeepLinks?: boolean;
  oauthTimeoutMs?: number;
}

export interface ConnectionsDeps extends ConnectionsOptions {
  db: Db;
  events: CoreEvents;
  secrets: SecretStore | undefined;
  settings: SettingsStore;
  fetch: typeof fetch;
  clock: () => number;
}

export class Connections {
  readonly store: ConnectionStore;
  readonly tokens: TokenManager;
  readonly flows: OAuthFlows;
  readonly engine: SyncEngine;
  private readonly waiting = new Map<OAuthProviderId, Promise<FlowOutcome>>();
  private scheduling = false;

  constructor(private readonly deps: ConnectionsDeps) {
    const env = deps.env ?? process.env;
    const timing: Timing = { clock: deps.clock, sleep: deps.sleep ?? realTiming.sleep, random: deps.random ?? realTiming.random };
    this.store = new ConnectionStore(deps.db, deps.clock);
    this.tokens = new TokenManager({
      secrets: deps.secrets,
      env,
      fetch: deps.fetch,
      clock: deps.clock,
      onGrantRevoked: (provider, accountId) => this.markNeedsReauth(provider, accountId),
    });
    this.flows = new OAuthFlows({
      tokens: this.tokens,
      fetch: deps.fetch,
      clock: deps.clock,
      openExternal: deps.openExternal,
      canReceiveDeepLinks: deps.canReceiveDeepLinks ?? false,
      timeoutMs: deps.oauthTimeoutMs,
      onConnected: (provider, tokens) => this.onConnected(provider, tokens),
      onFinished: (o) => deps.events.emit('oauth:finished', o),
    });
    this.engine = new SyncEngine({
      db: deps.db,
      store: this.store,
      events: deps.events,
      tokens: this.tokens,
      fetch: deps.fetch,
      timing,
      adapters: ADAPTERS,
      // Never this machine's zone: a record without a zone must not move with the laptop.
      homeZone: () => resolveHomeZone(deps.settings.get().homeTimeZone),
      // With no home zone set (a person who only connects cloud sources), the zones the
      // provider's records name say where they live, as an Apple Health export's dates do.
      assumeHomeZone: (provider, evidence) => {
        if (deps.settings.get().homeTimeZone !== null) return null;
        const zone = inferHomeZone(evidence);
        // A few offsets of one season name no zone with its daylight saving: better say nothing.
        if (!zone || zone.basis === 'fixed-offset') return null;
        deps.settings.set({ homeTimeZone: zone.zone, homeTimeZoneAssumed: true });
        log.info(`sync ${provider}: no home time zone was set; assumed ${zone.zone} (${zone.basis})`);
        return assumedHomeZoneWarning(zone, `your ${this.tokens.config(provider as OAuthProviderId).name} data`);
      },
    });
  }

  private markNeedsReauth(provider: OAuthProviderId, accountId: string): void {
    const conn = this.store.byProvider(provider);
    if (!conn || conn.accountId !== accountId || conn.status === 'disconnected') return;
    const name = this.tokens.config(provider).name;
    this.store.setStatus(conn.id, 'needs_reauth', { lastError: `${name} no longer accepts VitalSync's sign-in (it was revoked or expired). Click Reconnect; your data is kept.` });
    this.deps.events.emit('sync:status', this.engine.statusPayload(this.store.byId(conn.id)!));
  }

  private onConnected(provider: OAuthProviderId, tokens: TokenSet): void {
    const previous = this.store.all().filter((c) => c.provider === provider && c.accountId !== tokens.accountId && c.status !== 'disconnected');
    const conn = this.store.upsertConnected(provider, tokens.accountId, tokens.scope, this.deps.clock());
    for (const p of previous) void this.tokens.forget(provider, p.accountId).catch(() => undefined);
    this.deps.events.emit('sync:status', this.engine.statusPayload(conn));
    if (this.scheduling) void this.engine.sync(provider, 'connect');
  }

  private provider(id: string): OAuthProviderId {
    if (!isOAuthProvider(id)) throw new AppError('INVALID_INPUT', `"${id}" is not a source you connect with an account.`);
    const src = getSource(id)!;
    if (!src.available) throw new AppError('UNAVAILABLE', src.unavailableReason ?? `${src.name} is not available yet.`);
    return id;
  }

  async list(): Promise<ConnectionInfo[]> {
    const perOrigin = countByOrigin(this.deps.db);
    const counts = OAUTH_PROVIDER_IDS.map((source) => ({
      source,
      samples: perOrigin.filter((o) => o.source === source).reduce((a, o) => a + o.samples, 0),
      workouts: perOrigin.filter((o) => o.source === source).reduce((a, o) => a + o.workouts, 0),
    }));
    const out: ConnectionInfo[] = [];
    for (const id of OAUTH_PROVIDER_IDS) {
      const src = SOURCES.find((s) => s.id === id)!;
      const cfg = this.tokens.config(id);
      const conn = this.store.byProvider(id);
      let creds: Awaited<ReturnType<TokenManager['clientCredentials']>> = null;
      let bounceUrl: string | null = cfg.bounceUrl;
      let keychainError: string | null = null;
      try {
        creds = await this.tokens.clientCredentials(id);
        bounceUrl = await this.tokens.bounceUrl(id);
      } catch (err) {
        keychainError = (err as Error).message;
      }
      const loopback = `http://127.0.0.1:${cfg.loopbackPort}/oauth/${id}/callback`;
      const custom = `${PROTOCOL}://oauth/${id}`;
      const needsBounce = src.redirect === 'https-bounce';
      const main = needsBounce ? (bounceUrl ?? '') : src.redirect === 'custom-scheme' && this.deps.canReceiveDeepLinks ? custom : loopback;
      const c = counts.find((x) => x.source === id);
      out.push({
        provider: id,
        name: src.name,
        available: src.available,
        status: conn ? conn.status : 'not_connected',
        accountId: conn?.accountId ?? null,
        lastSyncAt: conn?.lastSyncAt ?? null,
        nextSyncAt: conn && conn.status !== 'disconnected' && conn.status !== 'needs_reauth' ? conn.nextSyncAt : null,
        lastError: conn?.lastError ?? null,
        running: conn ? this.engine.isRunning(conn.id) : false,
        pending: this.flows.isPending(id),
        samples: c?.samples ?? 0,
        workouts: c?.workouts ?? 0,
        credentials: { configured: Boolean(creds) && (!needsBounce || Boolean(bounceUrl)), from: creds?.from ?? null, clientId: creds?.clientId ?? null },
        setup: {
          registerUrl: cfg.registerUrl,
          help: cfg.registerHelp,
          redirectUri: main,
          otherRedirectUris: [loopback, custom].filter((u) => u !== main),
          scopes: cfg.scopes,
          needsBounce,
          bounceUrl,
          bounceFromEnv: Boolean(cfg.bounceUrl),
        },
        syncEveryMinutes: cfg.syncEveryMinutes,
        keychainError,
      });
    }
    return out;
  }

  async info(provider: OAuthProviderId): Promise<ConnectionInfo> {
    return (await this.list()).find((c) => c.provider === provider)!;
  }

  async setup(providerId: string, clientId: string, clientSecret: string, bounceUrl?: string | null): Promise<ConnectionInfo> {
    const provider = this.provider(providerId);
    await this.tokens.saveClientCredentials(provider, { clientId: clientId.trim(), clientSecret: clientSecret.trim(), bounceUrl: bounceUrl?.trim() || null });
    log.info(`client credentials saved for ${provider}`);
    return this.info(provider);
  }

  async connect(providerId: string, opts: { redirect?: 'loopback' | 'bounce' | 'custom'; port?: number } = {}): Promise<BeginResult> {
    const provider = this.provider(providerId);
    const { finished, ...result } = await this.flows.begin(provider, opts);
    this.waiting.set(provider, finished);
    void finished.finally(() => this.waiting.delete(provider));
    return result;
  }

  /** Resolves when the current sign-in attempt for a provider ends (the CLI waits on it). */
  waitForSignIn(provider: OAuthProviderId): Promise<FlowOutcome> | null {
    return this.waiting.get(provider) ?? null;
  }

  cancel(providerId: string): boolean {
    return isOAuthProvider(providerId) ? this.flows.cancel(providerId) : false;
  }

  handleDeepLink(url: string): Promise<FlowOutcome | null> {
    return this.flows.handleDeepLink(url);
  }

  async disconnect(providerId: string, deleteData: boolean): Promise<{ revoked: boolean; deletedSamples: number; deletedWorkouts: number }> {
    if (!isOAuthProvider(providerId)) throw new AppError('INVALID_INPUT', `"${providerId}" is not a source you connect with an account.`);
    const provider = providerId;
    const cfg = this.tokens.config(provider);
    const conn = this.store.byProvider(provider);
    if (!conn || conn.status === 'disconnected') {
      if (!deleteData) throw new AppError('NOT_FOUND', `${cfg.name} is not connected.`);
    }
    let revoked = false;
    if (conn && conn.status !== 'disconnected') {
      if (this.engine.isRunning(conn.id)) await this.engine.sync(provider, 'manual').catch(() => undefined);
      const tokens = await this.tokens.load(provider, conn.accountId);
      const client = await this.tokens.clientCredentials(provider);
      if (tokens && client) revoked = await revokeGrant(cfg, { fetch: this.deps.fetch, clock: this.deps.clock }, client, tokens);
      await this.tokens.forget(provider, conn.accountId);
      this.store.setStatus(conn.id, 'disconnected', { lastError: null, nextSyncAt: null });
    }
    let deleted = { samples: 0, workouts: 0 };
    if (deleteData) {
      deleted = deleteSourceData(this.deps.db.$client, provider, { at: this.deps.clock() });
      if (conn) this.store.resetCursors(conn.id);
      this.deps.events.emit('data:changed', { reason: `disconnect:${provider}`, fromMs: null, toMs: null });
    }
    if (conn) this.deps.events.emit('sync:status', this.engine.statusPayload(this.store.byId(conn.id)!));
    log.info(`${provider} disconnected (revoked: ${revoked}, data ${deleteData ? 'deleted' : 'kept'})`);
    return { revoked, deletedSamples: deleted.samples, deletedWorkouts: deleted.workouts };
  }

  async syncNow(providerId?: string, trigger: SyncTrigger = 'manual'): Promise<SyncResult[]> {
    if (providerId) {
      const provider = this.provider(providerId);
      const result = await this.engine.sync(provider, trigger);
      return [result];
    }
    const results: SyncResult[] = [];
    for (const c of this.store.all()) {
      if (c.status === 'disconnected' || !isOAuthProvider(c.provider) || !ADAPTERS[c.provider]) continue;
      results.push(await this.engine.sync(c.provider, trigger));
    }
    return results;
  }

  /** For long-running front doors (desktop, serve): launch sync, periodic syncs, sync after connect. */
  startScheduler(checkEveryMs?: number): void {
    this.scheduling = true;
    this.engine.startScheduler(checkEveryMs);
  }

  onResume(): void {
    this.engine.onResume();
  }

  close(): void {
    this.scheduling = false;
    this.engine.stopScheduler();
    this.flows.closeAll();
  }
}
