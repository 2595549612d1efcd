// Counting samples per origin: the Sources page, `vitalsync status` and the connections list.
import { afterEach, describe, expect, it } from 'vitest';
import { tempCore } from '../test/tempCore';
import { countByOrigin } from './index';

let core: ReturnType<typeof tempCore> | null = null;
afterEach(() => {
  core?.cleanup();
  core = null;
});

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
  const insert = sql.prepare("INSERT INTO samples (type_id, origin_id, start_ms, end_ms, utc_offset_min, value, batch) VALUES (?, ?, ?, ?, 0, 1, 'test')");
  let t = 0;
  for (const [typeSource, origin, n] of rows) {
    const [originSource, originName] = origin.split(':');
    const type = typeId(typeSource);
    const o = originId(originSource, originName);
    for (let i = 0; i < n; i++, t += 60_000) insert.run(type, o, t, t + 60_000);
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
});
