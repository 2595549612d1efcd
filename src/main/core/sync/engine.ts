// The sync engine: one sync at a time per connection, each endpoint paged from its saved
// cursor, every page written in one transaction with the cursor that follows it (a crash loses
// nothing already read and re-reads nothing needlessly), a sync_runs row per run, and status
// and progress events for the UI. The scheduler runs it on launch, every N minutes, on resume
// from sleep and on demand.
import type { EventPayload } from '../../../shared/contract';
import type { Db } from '../db/open';
import type { CoreEvents } from '../events';
import { log } from '../log';
import { ClientRejectedError, GrantRevokedError, TransientOAuthError } from '../oauth/tokenClient';
import type { OAuthProviderId } from '../oauth/providers';
import type { TokenManager } from '../oauth/tokens';
import type { ProviderAdapter } from './adapter';
import { OfflineError, ProviderError, ProviderHttp, RateBudget, RateBudgetExhaustedError, RateLimitedError, type RateSnapshot, type Timing } from './http';
import type { ConnectionRow, ConnectionStore } from './store';
import { addCounts, emptyCounts, SampleWriter, type WriteCounts } from '../samples';
import type { HomeZoneEvidence } from '../time/inferHomeZone';

export type SyncTrigger = 'launch' | 'schedule' | 'resume' | 'manual' | 'connect';

export interface EndpointSummary {
  pages: number;
  inserted: number;
  duplicates: number;
  replaced: number;
}

export interface SyncResult {
  provider: string;
  runId: number | null;
  status: 'completed' | 'failed' | 'skipped';
  inserted: number;
  duplicates: number;
  replaced: number;
  endpoints: Record<string, EndpointSummary>;
  error: string | null;
  connectionStatus: string;
  /** The run stopped at a rate window's end with work left; the next sync is due then. */
  pausedUntil?: number;
  /** What a person should know (a home time zone VitalSync assumed). */
  notes?: string[];
}

/** Where a connection keeps what its provider's rate windows have used (beside the endpoints' cursors). */
export const RATE_CURSOR = '_rateLimits';

export interface SyncEngineDeps {
  db: Db;
  store: ConnectionStore;
  events: CoreEvents;
  tokens: TokenManager;
  fetch: typeof fetch;
  timing: Timing;
  adapters: Record<string, ProviderAdapter>;
  /** The person's home zone (core/time/zones resolveHomeZone: the setting, else UTC). */
  homeZone(): string;
  /** Retry sooner than the normal interval when offline or rate limited. */
  quietRetryMs?: number;
  /**
   * After a run that stored records: where they say the person lives. Returns a note for the
   * person when it set the home zone (no home zone was set), else null.
   */
  assumeHomeZone?(provider: string, evidence: HomeZoneEvidence): string | null;
}

const MAX_PAGES_PER_ENDPOINT = 2_000;

export class SyncEngine {
  private readonly running = new Map<number, Promise<SyncResult>>();
  private readonly limiters = new Map<string, RateBudget>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: SyncEngineDeps) {}

  isRunning(connectionId: number): boolean {
    return this.running.has(connectionId);
  }

  /**
   * One budget per provider (limits are per developer app): the windows its adapter declares,
   * else the config's sliding window. What it has used is saved with the connection after every
   * request, so a restarted app does not spend a window's allowance twice.
   */
  limiter(provider: OAuthProviderId): RateBudget {
    let l = this.limiters.get(provider);
    if (!l) {
      const cfg = this.deps.tokens.config(provider);
      const policy = this.deps.adapters[provider]?.rateLimits ?? {
        windows: [{ id: 'sliding', limit: cfg.rateLimit.requests, spanMs: cfg.rateLimit.windowMs, kind: 'sliding' as const }],
      };
      // Best effort: a database closing under a run (the app quitting) must not turn into an error here.
      const save = (snap: RateSnapshot) => {
        try {
          const conn = this.deps.store.byProvider(provider);
          if (conn && conn.status !== 'disconnected') this.deps.store.saveCursor(conn.id, RATE_CURSOR, snap);
        } catch {
          /* the next answer's headers tell the budget again */
        }
      };
      l = new RateBudget(cfg.name, policy, this.deps.timing, { onChange: save });
      const conn = this.deps.store.byProvider(provider);
      if (conn) l.restore(conn.cursors[RATE_CURSOR] as RateSnapshot | undefined);
      this.limiters.set(provider, l);
    }
    return l;
  }

  statusPayload(row: ConnectionRow): EventPayload<'sync:status'> {
    return {
      provider: row.provider,
      status: row.status,
      lastSyncAt: row.lastSyncAt,
      nextSyncAt: row.nextSyncAt,
      lastError: row.lastError,
      running: this.running.has(row.id),
    };
  }

  private emitStatus(id: number): void {
    const row = this.deps.store.byId(id);
    if (row) this.deps.events.emit('sync:status', this.statusPayload(row));
  }

  /** Syncs one connection; a second call while it runs joins the running sync. */
  sync(provider: OAuthProviderId, trigger: SyncTrigger): Promise<SyncResult> {
    const conn = this.deps.store.byProvider(provider);
    const skipped = (error: string): Promise<SyncResult> =>
      Promise.resolve({ provider, runId: null, status: 'skipped', inserted: 0, duplicates: 0, replaced: 0, endpoints: {}, error, connectionStatus: conn?.status ?? 'none' });
    const name = this.deps.tokens.config(provider).name;
    if (!conn || conn.status === 'disconnected') return skipped(`${name} is not connected.`);
    if (conn.status === 'needs_reauth') return skipped(`${name} needs you to reconnect before it can sync.`);
    if (!this.deps.adapters[provider]) return skipped(`Syncing ${name} is not built yet.`);
    const running = this.running.get(conn.id);
    if (running) return running;
    const run = this.run(conn, provider, trigger).finally(() => {
      this.running.delete(conn.id);
      this.emitStatus(conn.id);
    });
    this.running.set(conn.id, run);
    return run;
  }

  private async run(conn: ConnectionRow, provider: OAuthProviderId, trigger: SyncTrigger): Promise<SyncResult> {
    const { store, timing, events } = this.deps;
    const cfg = this.deps.tokens.config(provider);
    const adapter = this.deps.adapters[provider];
    const runId = store.startRun(conn.id, provider, trigger);
    store.setStatus(conn.id, 'syncing');
    this.emitStatus(conn.id);
    const batch = `sync:${runId}`;
    const writer = new SampleWriter(this.deps.db.$client, provider);
    const http = new ProviderHttp({
      provider: cfg.name,
      fetch: this.deps.fetch,
      timing,
      limiter: this.limiter(provider),
      accessToken: (stale) => this.deps.tokens.accessToken(provider, conn.accountId, stale),
    });
    const endpoints: Record<string, EndpointSummary> = {};
    let total: WriteCounts = emptyCounts();
    const runStartedSec = Math.floor(timing.clock() / 1000);
    const summary = () => ({ inserted: total.inserted, duplicates: total.duplicates, replaced: total.replaced, endpoints, waits: http.waits });
    const finish = (status: 'completed' | 'failed', error: string | null, connStatus: ConnectionRow['status'], nextSyncAt: number, pausedUntil?: number): SyncResult => {
      store.finishRun(runId, status, pausedUntil === undefined ? summary() : { ...summary(), pausedUntil }, error);
      store.setStatus(conn.id, connStatus, {
        lastError: error,
        nextSyncAt,
        ...(status === 'completed' ? { lastSyncAt: timing.clock() } : {}),
      });
      if (total.inserted > 0 || total.replaced > 0) {
        events.emit('data:changed', { reason: `sync:${provider}`, fromMs: total.fromMs, toMs: total.toMs });
      }
      log.info(`sync ${provider} run ${runId} ${status}: ${total.inserted} inserted, ${total.duplicates} duplicates`);
      const result: SyncResult = { provider, runId, status, inserted: total.inserted, duplicates: total.duplicates, replaced: total.replaced, endpoints, error, connectionStatus: connStatus };
      const evidence = writer.homeZoneEvidence();
      let note: string | null = null;
      try {
        note = evidence && this.deps.assumeHomeZone ? this.deps.assumeHomeZone(provider, evidence) : null;
      } catch (err) {
        // Never at the cost of the run: the person can still set the zone.
        log.warn(`sync ${provider}: could not assume a home zone`, err);
      }
      if (note) result.notes = [note];
      return pausedUntil === undefined ? result : { ...result, pausedUntil };
    };
    const every = cfg.syncEveryMinutes * 60_000;
    const quiet = this.deps.quietRetryMs ?? 5 * 60_000;
    try {
      for (const ep of adapter.endpoints) {
        const s: EndpointSummary = (endpoints[ep.id] = { pages: 0, inserted: 0, duplicates: 0, replaced: 0 });
        for (let page = 0; page < MAX_PAGES_PER_ENDPOINT; page++) {
          const cursor = store.cursor(conn.id, ep.id);
          const result = await ep.page(cursor, { http, config: cfg, timing, runStartedSec, homeZone: this.deps.homeZone() });
          // The page and the cursor after it commit together, or not at all.
          const counts = this.deps.db.$client.transaction(() => {
            let c = writer.write(result.samples, result.workouts, batch);
            if (result.complete && ep.ownsType) c = addCounts(c, writer.dropUnreferenced((raw) => ep.ownsType!(raw)));
            store.saveCursor(conn.id, ep.id, result.cursor);
            return c;
          })();
          total = addCounts(total, counts);
          s.pages++;
          s.inserted += counts.inserted;
          s.duplicates += counts.duplicates;
          s.replaced += counts.replaced;
          events.emit('sync:progress', { provider, runId, endpoint: ep.id, label: ep.label, pages: s.pages, inserted: total.inserted, duplicates: total.duplicates });
          if (!result.more) break;
        }
      }
      return finish('completed', null, 'connected', timing.clock() + every);
    } catch (err) {
      if (err instanceof GrantRevokedError) {
        return finish('failed', `${cfg.name} no longer accepts VitalSync's sign-in (it was revoked or expired). Click Reconnect; your data is kept.`, 'needs_reauth', 0);
      }
      if (err instanceof OfflineError || (err instanceof TransientOAuthError && err.offline)) {
        // Quiet while offline: no error state, just try again a little later.
        return finish('failed', err.message, 'connected', timing.clock() + quiet);
      }
      if (err instanceof RateBudgetExhaustedError) {
        // Not a failure: the window's allowance is spent, every page read so far is saved with
        // its cursor, and the next run (due when the window resets) carries on from there.
        log.info(`sync ${provider} run ${runId}: ${err.windowId} allowance used, continuing at ${new Date(err.retryAtMs).toISOString()}`);
        return finish('completed', null, 'connected', err.retryAtMs, err.retryAtMs);
      }
      if (err instanceof RateLimitedError) return finish('failed', err.message, 'connected', Math.max(err.retryAtMs, timing.clock() + quiet));
      if (err instanceof ProviderError || err instanceof TransientOAuthError || err instanceof ClientRejectedError) return finish('failed', err.message, 'error', timing.clock() + every);
      if (err && typeof err === 'object' && 'code' in err && (err as { code: unknown }).code === 'KEYCHAIN_UNAVAILABLE') {
        return finish('failed', (err as unknown as Error).message, 'error', timing.clock() + every);
      }
      log.error(`sync ${provider} run ${runId} failed`, err);
      return finish('failed', `Syncing ${cfg.name} stopped on an unexpected problem; what was already read is kept. Details are in the log.`, 'error', timing.clock() + every);
    }
  }

  /** Every connection that is due (or, with `all`, every connected one). */
  async syncDue(trigger: SyncTrigger, all = false): Promise<SyncResult[]> {
    const now = this.deps.timing.clock();
    const due = this.deps.store
      .all()
      .filter((c) => (c.status === 'connected' || c.status === 'error') && this.deps.adapters[c.provider])
      .filter((c) => all || c.nextSyncAt === null || c.nextSyncAt <= now);
    const results: SyncResult[] = [];
    for (const c of due) results.push(await this.sync(c.provider as OAuthProviderId, trigger));
    return results;
  }

  /** Starts the scheduler: a launch sync now, then a check every minute. */
  startScheduler(checkEveryMs = 60_000): void {
    if (this.timer) return;
    this.deps.store.closeInterruptedRuns();
    for (const c of this.deps.store.all()) if (c.status === 'syncing') this.deps.store.setStatus(c.id, 'connected');
    void this.syncDue('launch').catch((err: unknown) => log.error('launch sync failed', err));
    this.timer = setInterval(() => void this.syncDue('schedule').catch((err: unknown) => log.error('scheduled sync failed', err)), checkEveryMs);
    this.timer.unref?.();
  }

  /** The machine woke up: catch up on every connection now. */
  onResume(): void {
    void this.syncDue('resume', true).catch((err: unknown) => log.error('resume sync failed', err));
  }

  stopScheduler(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Resolves when every running sync has ended (closing the core). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }
}
