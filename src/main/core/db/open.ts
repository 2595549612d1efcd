import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { rekeyOrigins } from './originKeys';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDbOptions {
  /** Path of the SQLite file; its folder is created if missing. */
  file: string;
  /** Folder of drizzle-kit migrations (resources/migrations). */
  migrationsDir: string;
  readonly?: boolean;
  /**
   * False for a second connection opened after this process's core already migrated the file
   * (the import's writer thread): it skips reading and hashing every migration file again.
   */
  migrate?: boolean;
}

/**
 * Opens the database with the pragmas every connection needs (WAL so a worker can write
 * while the app reads; foreign keys on) and applies pending migrations, then the one-off steps
 * that follow them (db/originKeys). Every front door and every worker opens the database
 * through here, so none can run on an old schema.
 */
export function openDb({ file, migrationsDir, readonly = false, migrate: applyMigrations = true }: OpenDbOptions): Db {
  if (!readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file, { readonly });
  try {
    sqlite.pragma('busy_timeout = 10000');
    if (!readonly) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    const db = drizzle(sqlite, { schema }) as Db;
    if (!readonly && applyMigrations) {
      migrate(db, { migrationsFolder: migrationsDir });
      // Steps SQL cannot express, each run once after the migrations (remembered in meta).
      rekeyOrigins(sqlite);
    }
    return db;
  } catch (err) {
    sqlite.close();
    throw err;
  }
}

/** How many migrations are applied (drizzle's own bookkeeping table). */
export function appliedMigrations(db: Db): number {
  const row = db.$client
    .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'")
    .get() as { n: number };
  if (!row.n) return 0;
  return (db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
}

export function availableMigrations(migrationsDir: string): number {
  return fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).length;
}
