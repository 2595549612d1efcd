// The core service layer: one factory, used identically by the desktop app, the CLI, browser
// mode and tests. Plain Node: nothing here may import 'electron' (lint enforces it).
import path from 'node:path';
import type { Db } from './db/open';
import { openDb } from './db/open';
import { Derived } from './derived';
import { CoreEvents } from './events';
import { createHandlers, type Handlers } from './handlers';
import { Preferences } from './preferences';
import type { SecretStore } from './secrets';
import { JsonSettingsStore, type SettingsStore } from './settings';
import { Connections, type ConnectionsOptions } from './sync';

export interface AppPaths {
  /** resources/migrations (drizzle-kit output). */
  migrationsDir: string;
  /** Folder holding the worker entry files (out/main in a build, src/main/workers in tests). */
  workersDir: string;
}

export interface CoreDeps {
  /** Where the database and config.json live. */
  dataDir: string;
  paths: AppPaths;
  /** OS keychain (keytar) in the app and the CLI; tests use the real Secret Service too. */
  secrets?: SecretStore;
  settings?: SettingsStore;
  clock?: () => number;
  fetch?: typeof fetch;
  version?: string;
  /** Connected accounts: env overrides, injectable waits, system browser, deep links. */
  connections?: ConnectionsOptions;
}

export interface Core {
  readonly dataDir: string;
  readonly dbFile: string;
  readonly db: Db;
  readonly events: CoreEvents;
  readonly prefs: Preferences;
  readonly settings: SettingsStore;
  readonly connections: Connections;
  /** Derived tables (merged daily values, provenance, quality), kept in step with samples and preferences. */
  readonly derived: Derived;
  readonly handlers: Handlers;
  /** Runs `fn` when the core closes (services loaded on demand, such as the vault, stop there). */
  onClose(fn: () => void): void;
  readonly deps: Required<Omit<CoreDeps, 'secrets' | 'connections'>> & { secrets?: SecretStore; connections?: ConnectionsOptions };
  close(): void;
}

export const DB_FILE_NAME = 'vitalsync.db';

export function createCore(deps: CoreDeps): Core {
  const full = {
    settings: deps.settings ?? new JsonSettingsStore(deps.dataDir),
    clock: deps.clock ?? Date.now,
    fetch: deps.fetch ?? globalThis.fetch,
    version: deps.version ?? '0.0.0',
    ...deps,
  } as Core['deps'];
  const dbFile = path.join(deps.dataDir, DB_FILE_NAME);
  const db = openDb({ file: dbFile, migrationsDir: deps.paths.migrationsDir });
  const events = new CoreEvents();
  const prefs = new Preferences(db, full.clock);
  const connections = new Connections({
    ...deps.connections,
    db,
    events,
    secrets: deps.secrets,
    settings: full.settings,
    fetch: full.fetch,
    clock: full.clock,
  });
  const derived = new Derived(db, prefs, events, full.clock, () => full.settings.get().homeTimeZone);
  const closers: (() => void)[] = [];
  const onClose = (fn: () => void) => void closers.push(fn);
  const partial = { dataDir: deps.dataDir, dbFile, db, events, prefs, settings: full.settings, connections, derived, deps: full, onClose };
  const core: Core = {
    ...partial,
    handlers: createHandlers(partial),
    close() {
      for (const fn of closers.splice(0)) fn();
      derived.close();
      connections.close();
      db.$client.close();
    },
  };
  return core;
}
