// What the database holds, per source: answers `vitalsync status` and the Sources page.
import fs from 'node:fs';
import { SOURCES, sourceCategories } from '../../../shared/catalog';
import type { SourceState, Status } from '../../../shared/contract';
import { appliedMigrations, availableMigrations, type Db } from '../db/open';

export function listSources(db: Db): SourceState[] {
  const sql = db.$client;
  const perOrigin = sql
    .prepare(
      `SELECT o.source AS source, o.origin_key AS key, o.name AS name, count(s.id) AS n
         FROM origins o LEFT JOIN samples s ON s.origin_id = o.id
        GROUP BY o.id ORDER BY n DESC`,
    )
    .all() as { source: string; key: string; name: string; n: number }[];
  const conns = sql
    .prepare('SELECT provider, status, last_sync_at AS lastSyncAt, last_error AS lastError FROM connections ORDER BY updated_at DESC')
    .all() as { provider: string; status: string; lastSyncAt: number | null; lastError: string | null }[];
  return SOURCES.map((s) => {
    const origins = perOrigin.filter((o) => o.source === s.id).map((o) => ({ key: `${s.id}:${o.name}`, name: o.name, samples: o.n }));
    const conn = conns.find((c) => c.provider === s.id) ?? null;
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      categories: sourceCategories(s),
      metrics: [...s.metrics],
      redirect: s.redirect,
      available: s.available,
      unavailableReason: s.unavailableReason,
      note: s.note,
      samples: origins.reduce((a, o) => a + o.samples, 0),
      origins,
      connection: conn,
    };
  });
}

export function getStatus(db: Db, opts: { version: string; dataDir: string; dbFile: string; migrationsDir: string }): Status {
  const count = (table: string) => (db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const applied = appliedMigrations(db);
  let sizeBytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      sizeBytes += fs.statSync(opts.dbFile + suffix).size;
    } catch {
      /* no WAL yet */
    }
  }
  return {
    version: opts.version,
    dataDir: opts.dataDir,
    database: {
      path: opts.dbFile,
      schemaVersion: availableMigrations(opts.migrationsDir),
      migrationsApplied: applied,
      sizeBytes,
      samples: count('samples'),
      workouts: count('workouts'),
      importJobs: count('import_jobs'),
      connections: count('connections'),
    },
    sources: listSources(db),
  };
}
