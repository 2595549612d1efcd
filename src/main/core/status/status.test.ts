// Counting samples per origin: the Sources page, `vitalsync status` and the connections list.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempCore } from '../test/tempCore';
import { countByOrigin, sampleCountsByOrigin } from './index';

let core: ReturnType<typeof tempCore> | null = null;
afterEach(() => {
  core?.cleanup();
  core = null;
});

let seedTime = 0;
function seed(c: NonNullable<typeof core>, rows: [typeSource: string, originName: string, n: number][]) {
  const sql = c.db.$client;
  const typeId = (source: string) => {
    sql.prepare("INSERT INTO sample_types (source, raw_type, metric, unit) VALUES (?, 'steps', 'steps', 'count') ON CONFLICT DO NOTHING").run(source);
    return (sql.prepare("SELECT id FROM sample_types WHERE source = ? AND raw_type = 'steps'").get(source) as { id: number }).id;
  };
  const originId = (source: string, name: string) => {
    sql.prepare("INSERT INTO origins (source, origin_key, name, device_kind) VALUES (?, ?, ?, 'watch') ON CONFLICT DO NOTHING").run(source, name, name);
    return (sql.prepare('SELECT id FROM origins WHERE source = ? AND origin_key = ?').get(source, name) as { id: number }).id;
  };
  const insert = sql.prepare("INSERT INTO samples (type_id, origin_id, start_ms, end_ms, value, batch) VALUES (?, ?, ?, ?, 1, 'test')");
  for (const [typeSource, origin, n] of rows) {
    const [originSource, originName] = origin.split(':');
    const type = typeId(typeSource);
    const o = originId(originSource, originName);
    for (let i = 0; i < n; i++, seedTime += 60_000) insert.run(type, o, seedTime, seedTime + 60_000);
  }
}

describe('countByOrigin', () => {
  it('counts every origin of every source', () => {
    core = tempCore();
    seed(core, [
      ['apple_health', 'apple_health:Watch', 5],
      ['apple_health', 'apple_health:iPhone', 3],
      ['withings', 'withings:Scale', 2],
    ]);
    expect(countByOrigin(core.db).map((o) => [o.source, o.name, o.samples])).toEqual([
      ['apple_health', 'Watch', 5],
      ['apple_health', 'iPhone', 3],
      ['withings', 'Scale', 2],
    ]);
  });

  it('still counts right when a sample pairs a type and an origin of different sources', () => {
    core = tempCore();
    seed(core, [
      ['apple_health', 'apple_health:Watch', 4],
      ['withings', 'apple_health:Watch', 2],
    ]);
    expect(countByOrigin(core.db).map((o) => [o.name, o.samples])).toEqual([['Watch', 6]]);
  });

  it('keeps counting right through inserts and deletions of any rows, the top ones included (checked against a full count)', () => {
    core = tempCore();
    const c = core;
    seed(c, [
      ['apple_health', 'apple_health:Watch', 20],
      ['apple_health', 'apple_health:iPhone', 10],
      ['withings', 'withings:Scale', 5],
    ]);
    const sql = c.db.$client;
    const origins = (sql.prepare('SELECT id FROM origins').all() as { id: number }[]).map((r) => r.id);
    const type = (sql.prepare('SELECT id FROM sample_types LIMIT 1').get() as { id: number }).id;
    const insert = sql.prepare("INSERT INTO samples (type_id, origin_id, start_ms, end_ms, value, batch) VALUES (?, ?, ?, ?, 2, 'test')");
    const truth = () => new Map((sql.prepare('SELECT origin_id AS id, count(*) AS n FROM samples GROUP BY origin_id').all() as { id: number; n: number }[]).map((r) => [r.id, r.n]));
    const nonZero = (m: Map<number, number>) => new Map([...m].filter(([, n]) => n !== 0));
    let seed32 = 7;
    const rand = (n: number) => {
      seed32 = (seed32 * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed32 / 2 ** 31) * n); // the high bits: an LCG's low bits cycle quickly
    };
    let t = 1e9;
    for (let step = 0; step < 300; step++) {
      const op = rand(6);
      if (op < 2) {
        for (let k = rand(5) + 1; k > 0; k--, t += 1000) insert.run(type, origins[rand(origins.length)], t, t + 1000);
      } else if (op === 2) {
        // The top rows: their ids are handed out again.
        sql.prepare('DELETE FROM samples WHERE id > (SELECT max(id) FROM samples) - ?').run(rand(4) + 1);
      } else if (op === 3) {
        const ids = (sql.prepare('SELECT id FROM samples').all() as { id: number }[]).map((r) => r.id);
        if (ids.length) sql.prepare('DELETE FROM samples WHERE id = ?').run(ids[rand(ids.length)]);
      } else if (op === 4) {
        sql.prepare('DELETE FROM samples WHERE origin_id = ?').run(origins[rand(origins.length)]);
      } else expect(nonZero(sampleCountsByOrigin(c.db)), `step ${step}`).toEqual(truth());
    }
    expect(nonZero(sampleCountsByOrigin(c.db))).toEqual(truth());
    // Counted once and saved: the next answer comes from the cache.
    expect(Number((sql.prepare("SELECT value FROM meta WHERE key = 'sample_count_max_id'").get() as { value: string }).value)).toBe(
      (sql.prepare('SELECT coalesce(max(id), 0) AS m FROM samples').get() as { m: number }).m,
    );
  });

  it('counts a row that reuses the id of a counted row deleted below newer ones', () => {
    core = tempCore();
    seed(core, [['apple_health', 'apple_health:Watch', 5]]); // ids 1-5
    const sql = core.db.$client;
    expect([...sampleCountsByOrigin(core.db).values()]).toEqual([5]); // counted up to id 5
    seed(core, [['apple_health', 'apple_health:Watch', 3]]); // ids 6-8
    sql.prepare('DELETE FROM samples WHERE id = 5').run();
    sql.prepare('DELETE FROM samples WHERE id > 5').run();
    seed(core, [['apple_health', 'apple_health:Watch', 2]]); // ids 5 and 6 again
    expect((sql.prepare('SELECT max(id) AS m FROM samples').get() as { m: number }).m).toBe(6);
    expect([...sampleCountsByOrigin(core.db).values()]).toEqual([6]);
  });

  it('answers right without waiting while another connection is writing, and saves nothing then', () => {
    core = tempCore();
    seed(core, [['apple_health', 'apple_health:Watch', 3]]);
    expect([...sampleCountsByOrigin(core.db).values()]).toEqual([3]);
    const before = (core.db.$client.prepare("SELECT value FROM meta WHERE key = 'sample_count_max_id'").get() as { value: string }).value;
    seed(core, [['apple_health', 'apple_health:Watch', 2]]);
    const other = new Database(path.join(core.dataDir, 'vitalsync.db'));
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const started = performance.now();
      expect([...sampleCountsByOrigin(core.db).values()]).toEqual([5]);
      expect(performance.now() - started).toBeLessThan(1000);
      expect((core.db.$client.prepare("SELECT value FROM meta WHERE key = 'sample_count_max_id'").get() as { value: string }).value).toBe(before);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect([...sampleCountsByOrigin(core.db).values()]).toEqual([5]);
  });
});
