// The connections and sync_runs tables: the one door for their SQL. Tokens are never here.
import type { Db } from '../db/open';

export type ConnectionStatus = 'connected' | 'syncing' | 'needs_reauth' | 'error' | 'disconnected';

export interface ConnectionRow {
  id: number;
  provider: string;
  accountId: string;
  status: ConnectionStatus;
  scopes: string;
  lastSyncAt: number | null;
  nextSyncAt: number | null;
  cursors: Record<string, unknown>;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

interface RawRow {
  id: number;
  provider: string;
  account_id: string;
  status: ConnectionStatus;
  scopes: string;
  last_sync_at: number | null;
  next_sync_at: number | null;
  cursors_json: string;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

function fromRaw(r: RawRow): ConnectionRow {
  let cursors: Record<string, unknown>;
  try {
    cursors = JSON.parse(r.cursors_json) as Record<string, unknown>;
  } catch {
    cursors = {};
  }
  return {
    id: r.id,
    provider: r.provider,
    accountId: r.account_id,
    status: r.status,
    scopes: r.scopes,
    lastSyncAt: r.last_sync_at,
    nextSyncAt: r.next_sync_at,
    cursors,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class ConnectionStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {}

  private get sql() {
    return this.db.$client;
  }

  /** The provider's current connection (the most recently touched one that is not disconnected, else the latest). */
  byProvider(provider: string): ConnectionRow | null {
    const r = this.sql
      .prepare(`SELECT * FROM connections WHERE provider = ? ORDER BY (status = 'disconnected'), updated_at DESC, id DESC LIMIT 1`)
      .get(provider) as RawRow | undefined;
    return r ? fromRaw(r) : null;
  }

  byId(id: number): ConnectionRow | null {
    const r = this.sql.prepare('SELECT * FROM connections WHERE id = ?').get(id) as RawRow | undefined;
    return r ? fromRaw(r) : null;
  }

  all(): ConnectionRow[] {
    return (this.sql.prepare('SELECT * FROM connections ORDER BY provider, id').all() as RawRow[]).map(fromRaw);
  }

  /** Records a fresh sign-in; an account seen before keeps its cursors (no re-download). */
  upsertConnected(provider: string, accountId: string, scopes: string, nextSyncAt: number): ConnectionRow {
    const now = this.clock();
    this.sql
      .prepare(
        `INSERT INTO connections (provider, account_id, status, scopes, next_sync_at, created_at, updated_at)
         VALUES (?, ?, 'connected', ?, ?, ?, ?)
         ON CONFLICT (provider, account_id) DO UPDATE SET status = 'connected', scopes = excluded.scopes,
           next_sync_at = excluded.next_sync_at, last_error = NULL, updated_at = excluded.updated_at`,
      )
      .run(provider, accountId, scopes, nextSyncAt, now, now);
    // Another account of the same provider is no longer the current one.
    this.sql
      .prepare(`UPDATE connections SET status = 'disconnected', updated_at = ? WHERE provider = ? AND account_id <> ? AND status <> 'disconnected'`)
      .run(now, provider, accountId);
    return this.byProvider(provider)!;
  }

  setStatus(id: number, status: ConnectionStatus, patch: { lastError?: string | null; lastSyncAt?: number; nextSyncAt?: number | null } = {}): void {
    const sets = ['status = @status', 'updated_at = @now'];
    if (patch.lastError !== undefined) sets.push('last_error = @lastError');
    if (patch.lastSyncAt !== undefined) sets.push('last_sync_at = @lastSyncAt');
    if (patch.nextSyncAt !== undefined) sets.push('next_sync_at = @nextSyncAt');
    this.sql.prepare(`UPDATE connections SET ${sets.join(', ')} WHERE id = @id`).run({
      id,
      status,
      now: this.clock(),
      lastError: patch.lastError ?? null,
      lastSyncAt: patch.lastSyncAt ?? null,
      nextSyncAt: patch.nextSyncAt ?? null,
    });
  }

  /** One endpoint's cursor; written in the same transaction as the page it follows. */
  saveCursor(id: number, endpoint: string, cursor: unknown): void {
    this.sql
      .prepare(`UPDATE connections SET cursors_json = json_set(cursors_json, '$.' || ?, json(?)), updated_at = ? WHERE id = ?`)
      .run(endpoint, JSON.stringify(cursor), this.clock(), id);
  }

  cursor<T>(id: number, endpoint: string): T | null {
    const row = this.byId(id);
    return (row?.cursors[endpoint] as T | undefined) ?? null;
  }

  resetCursors(id: number): void {
    this.sql.prepare(`UPDATE connections SET cursors_json = '{}', updated_at = ? WHERE id = ?`).run(this.clock(), id);
  }

  startRun(connectionId: number, provider: string, trigger: string): number {
    const info = this.sql
      .prepare(`INSERT INTO sync_runs (connection_id, provider, trigger, status, started_at) VALUES (?, ?, ?, 'running', ?)`)
      .run(connectionId, provider, trigger, this.clock());
    return Number(info.lastInsertRowid);
  }

  finishRun(runId: number, status: 'completed' | 'failed' | 'cancelled', summary: unknown, error: string | null): void {
    this.sql
      .prepare('UPDATE sync_runs SET status = ?, finished_at = ?, summary_json = ?, error = ? WHERE id = ?')
      .run(status, this.clock(), JSON.stringify(summary), error, runId);
  }

  /** Runs a crash left as "running" are closed as cancelled when the app starts again. */
  closeInterruptedRuns(): number {
    return this.sql.prepare(`UPDATE sync_runs SET status = 'cancelled', finished_at = ?, error = 'interrupted' WHERE status = 'running'`).run(this.clock()).changes;
  }

  recentRuns(connectionId: number, limit = 10): { id: number; trigger: string; status: string; startedAt: number; finishedAt: number | null; summary: unknown; error: string | null }[] {
    return (
      this.sql
        .prepare('SELECT id, trigger, status, started_at AS startedAt, finished_at AS finishedAt, summary_json AS s, error FROM sync_runs WHERE connection_id = ? ORDER BY id DESC LIMIT ?')
        .all(connectionId, limit) as { id: number; trigger: string; status: string; startedAt: number; finishedAt: number | null; s: string; error: string | null }[]
    ).map(({ s, ...r }) => ({ ...r, summary: JSON.parse(s) as unknown }));
  }
}
