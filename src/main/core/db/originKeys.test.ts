// The one-off origin re-key (db/originKeys), on a database written the old way: provider syncs
// keyed origins by their name with apostrophes unified but case and spaces kept.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCountsByOrigin } from '../status';
import { DEV_PATHS, makeTempDir } from '../test/tempCore';
import { openDb, type Db } from './open';
import { ORIGIN_KEYS_DONE } from './originKeys';

let dir: string;
let db: Db;
const open = () => openDb({ file: path.join(dir, 'vitalsync.db'), migrationsDir: DEV_PATHS.migrationsDir });
beforeEach(() => {
  dir = makeTempDir();
  db = open();
});
afterEach(() => {
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const T = Date.parse('2025-10-21T06:00:00Z');

/** Writes origins, samples and workouts the way the old sync writer did (its keys, no normalisation). */
function oldStyle(sql: Db['$client']) {
  const origin = (source: string, key: string, name: string, kind: string) =>
    Number(sql.prepare('INSERT INTO origins (source, origin_key, name, device_kind) VALUES (?, ?, ?, ?)').run(source, key, name, kind).lastInsertRowid);
  const type = (source: string, raw: string, metric: string) => Number(sql.prepare("INSERT INTO sample_types (source, raw_type, metric, unit) VALUES (?, ?, ?, '')").run(source, raw, metric).lastInsertRowid);
  const ins = sql.prepare("INSERT INTO samples (type_id, origin_id, start_ms, end_ms, day, value, batch) VALUES (?, ?, ?, ?, ?, ?, 'sync:1')");
  const sample = (t: number, o: number, start: number, end: number, value: number, day: number | null = null) => Number(ins.run(t, o, start, end, day, value).lastInsertRowid);
  const workout = sql.prepare("INSERT INTO workouts (origin_id, activity_type, start_ms, end_ms, duration_s, batch) VALUES (?, ?, ?, ?, 600, 'sync:1')");

  const scanWatch = origin('withings', 'ScanWatch', 'ScanWatch', 'watch');
  // The same watch, once named with another case: the same origin once normalised.
  const scanwatch = origin('withings', 'Scanwatch', 'Scanwatch', 'watch');
  const body = origin('withings', 'Body+', 'Body+', 'scale');
  // Apple Health origins were already keyed with normalizeOriginName.
  const jane = origin('apple_health', "jane's apple watch", 'Jane’s Apple Watch', 'watch');
  // A modifier-letter apostrophe (U+02BC) and a straight one with other case: one origin.
  const kidModifier = origin('withings', "kid's scale", 'kid\u02BCs scale', 'scale');
  const kid = origin('withings', "Kid's Scale", "Kid's Scale", 'scale');

  const steps = type('withings', 'activity.steps', 'steps');
  const weight = type('withings', 'weight', 'weight');
  const appleSteps = type('apple_health', 'HKQuantityTypeIdentifierStepCount', 'steps');
  const day = Math.floor(T / DAY);
  const ids = {
    // Day totals of one date on both: the newer (higher id) stays.
    oldTotal: sample(steps, scanWatch, T, T + DAY, 5000, day),
    newTotal: sample(steps, scanwatch, T + 3_600_000, T + DAY + 3_600_000, 9000, day),
    // An exact duplicate on both: one stays.
    dupKeep: sample(steps, scanWatch, T + 2 * DAY, T + 3 * DAY, 7000),
    dupDrop: sample(steps, scanwatch, T + 2 * DAY, T + 3 * DAY, 7000),
    // Rows of their own move.
    own: sample(steps, scanwatch, T + 4 * DAY, T + 5 * DAY, 4000),
    weight: sample(weight, body, T, T, 72.4),
    apple: sample(appleSteps, jane, T, T + 600_000, 800),
    kid1: sample(weight, kidModifier, T, T, 31),
    kid2: sample(weight, kid, T, T, 32),
  };
  workout.run(scanWatch, 'running', T, T + 600_000);
  workout.run(scanwatch, 'running', T, T + 600_000);
  workout.run(scanwatch, 'cycling', T + DAY, T + DAY + 600_000);
  return { origins: { scanWatch, scanwatch, body, jane, kidModifier, kid }, ids };
}

describe('re-keying origins once after the migrations', () => {
  it('a new database is marked done at once', () => {
    expect(db.$client.prepare('SELECT value FROM meta WHERE key = ?').get(ORIGIN_KEYS_DONE)).toEqual({ value: '1' });
  });

  it('gives every origin its normalised key, folds origins that now share one, and keeps counts right', () => {
    const sql = db.$client;
    const { origins, ids } = oldStyle(sql);
    // Counted before (sample_count_cache filled up to the last id), then built derived rows.
    sampleCountsByOrigin(db);
    sql.prepare("INSERT INTO derived_daily (metric, day, value, sources_json, excluded) VALUES ('steps', 1, 1, '[]', 0)").run();
    sql.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('derived.sample_id', '9')").run();
    // An old database: the step has not run.
    sql.prepare('DELETE FROM meta WHERE key = ?').run(ORIGIN_KEYS_DONE);
    db.$client.close();
    db = open();

    const after = db.$client.prepare('SELECT id, source, origin_key AS key, name FROM origins ORDER BY id').all();
    expect(after).toEqual([
      { id: origins.scanWatch, source: 'withings', key: 'scanwatch', name: 'ScanWatch' },
      { id: origins.body, source: 'withings', key: 'body+', name: 'Body+' },
      { id: origins.jane, source: 'apple_health', key: "jane's apple watch", name: 'Jane’s Apple Watch' },
      { id: origins.kidModifier, source: 'withings', key: "kid's scale", name: 'kid\u02BCs scale' },
    ]);
    const rows = db.$client.prepare('SELECT id, origin_id AS o, value FROM samples ORDER BY id').all() as { id: number; o: number; value: number }[];
    expect(rows).toEqual([
      { id: ids.newTotal, o: origins.scanWatch, value: 9000 },
      { id: ids.dupKeep, o: origins.scanWatch, value: 7000 },
      { id: ids.own, o: origins.scanWatch, value: 4000 },
      { id: ids.weight, o: origins.body, value: 72.4 },
      { id: ids.apple, o: origins.jane, value: 800 },
      { id: ids.kid1, o: origins.kidModifier, value: 31 },
      { id: ids.kid2, o: origins.kidModifier, value: 32 },
    ]);
    expect(db.$client.prepare('SELECT origin_id AS o, activity_type AS a FROM workouts ORDER BY id').all()).toEqual([
      { o: origins.scanWatch, a: 'running' },
      { o: origins.scanWatch, a: 'cycling' },
    ]);
    // The kept counts agree with a full count, and with what status reports.
    const full = new Map((db.$client.prepare('SELECT origin_id AS id, count(*) AS n FROM samples GROUP BY origin_id').all() as { id: number; n: number }[]).map((r) => [r.id, r.n]));
    const cached = new Map((db.$client.prepare('SELECT origin_id AS id, n FROM sample_count_cache WHERE n > 0').all() as { id: number; n: number }[]).map((r) => [r.id, r.n]));
    expect(cached).toEqual(full);
    expect(sampleCountsByOrigin(db)).toEqual(full);
    // Derived tables are rebuilt from scratch: samples moved between origins.
    expect(db.$client.prepare('SELECT count(*) AS n FROM derived_daily').get()).toEqual({ n: 0 });
    expect(db.$client.prepare("SELECT count(*) AS n FROM meta WHERE key LIKE 'derived.%'").get()).toEqual({ n: 0 });
    expect(db.$client.prepare('SELECT value FROM meta WHERE key = ?').get(ORIGIN_KEYS_DONE)).toEqual({ value: '1' });
  });

  it('runs once: an origin written afterwards with an old-style key is left alone', () => {
    db.$client.prepare("INSERT INTO origins (source, origin_key, name, device_kind) VALUES ('withings', 'ScanWatch', 'ScanWatch', 'watch')").run();
    db.$client.close();
    db = open();
    expect(db.$client.prepare('SELECT origin_key AS key FROM origins').all()).toEqual([{ key: 'ScanWatch' }]);
  });
});
