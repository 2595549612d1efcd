// One origin-key normalisation for databases written before there was one. Provider syncs used
// to key origins by their name with apostrophes unified but case and spaces kept ("ScanWatch"),
// while preferences match by shared/sourceKey normalizeOriginName ("scanwatch"): a key the
// Sources page offered selected no data. core/samples now keys every origin by
// normalizeOriginName; this step, run once after the SQL migrations (openDb), re-keys the origins
// already stored. Where two origins of one source now share a key, the samples and workouts of
// the later one move onto the earlier one (exact duplicates, which the unique indexes would
// refuse, are dropped; of two totals for one day the newer is kept) and the emptied origin is
// deleted. Sample counts per origin (sample_count_cache, migration 0005) follow the moved rows.
import type Database from 'better-sqlite3';
import { normalizeOriginName } from '../../../shared/sourceKey';

/** meta key set once the origins carry normalizeOriginName keys. */
export const ORIGIN_KEYS_DONE = 'origin_keys.normalized';

interface OriginRow {
  id: number;
  source: string;
  key: string;
  name: string;
}

export interface RekeyResult {
  /** Origins whose key changed. */
  rekeyed: number;
  /** Origins folded into another one of the same source and deleted. */
  merged: number;
  /** Samples and workouts dropped as duplicates of the origin they moved onto. */
  droppedSamples: number;
  droppedWorkouts: number;
}

/** Re-keys every origin once (a no-op when the meta flag says it was done). */
export function rekeyOrigins(sql: Database.Database): RekeyResult {
  const result: RekeyResult = { rekeyed: 0, merged: 0, droppedSamples: 0, droppedWorkouts: 0 };
  const run = sql.transaction(() => {
    if (sql.prepare('SELECT 1 FROM meta WHERE key = ?').get(ORIGIN_KEYS_DONE)) return;
    const origins = sql.prepare('SELECT id, source, origin_key AS key, name FROM origins ORDER BY id').all() as OriginRow[];
    const groups = new Map<string, OriginRow[]>();
    for (const o of origins) {
      const k = `${o.source}\u0000${normalizeOriginName(o.name)}`;
      const g = groups.get(k);
      if (g) g.push(o);
      else groups.set(k, [o]);
    }
    const rekey: { id: number; key: string }[] = [];
    for (const group of groups.values()) {
      const target = normalizeOriginName(group[0].name);
      // The origin already keyed right stays; else the oldest.
      const keeper = group.find((o) => o.key === target) ?? group[0];
      for (const o of group) {
        if (o === keeper) continue;
        const dropped = mergeOrigin(sql, o.id, keeper.id);
        result.droppedSamples += dropped.samples;
        result.droppedWorkouts += dropped.workouts;
        result.merged++;
      }
      if (keeper.key !== target) rekey.push({ id: keeper.id, key: target });
    }
    // Two passes: a key being given up may be the very key another origin is moving to.
    const setKey = sql.prepare('UPDATE origins SET origin_key = ? WHERE id = ?');
    for (const r of rekey) setKey.run(`\u0000rekey:${r.id}`, r.id);
    for (const r of rekey) setKey.run(r.key, r.id);
    result.rekeyed = rekey.length;
    if (result.rekeyed || result.merged) resetDerived(sql);
    sql.prepare("INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(ORIGIN_KEYS_DONE);
  });
  run.immediate();
  return result;
}

/** Moves origin `from`'s samples and workouts onto `to` and deletes `from`. */
function mergeOrigin(sql: Database.Database, from: number, to: number): { samples: number; workouts: number } {
  let samples = 0;
  // Exact duplicates by the natural key (samples_type_start_key): the copy on `from` goes.
  samples += sql
    .prepare(
      `DELETE FROM samples WHERE origin_id = @from AND EXISTS (SELECT 1 FROM samples k WHERE k.type_id = samples.type_id AND k.start_ms = samples.start_ms
         AND k.origin_id = @to AND k.end_ms = samples.end_ms AND k.value = samples.value AND k.category = samples.category)`,
    )
    .run({ from, to }).changes;
  // Two totals for one (type, day) (samples_day_key): the newer one stays, as a revision would.
  for (const [older, newer] of [
    [from, to],
    [to, from],
  ]) {
    samples += sql
      .prepare(
        `DELETE FROM samples WHERE origin_id = @older AND day IS NOT NULL AND EXISTS (SELECT 1 FROM samples k WHERE k.type_id = samples.type_id
           AND k.origin_id = @newer AND k.day = samples.day AND k.id > samples.id)`,
      )
      .run({ older, newer }).changes;
  }
  // The delete trigger has taken the deleted rows out of the counts; what `from` still counts moves with its rows.
  sql
    .prepare(
      `INSERT INTO sample_count_cache (origin_id, n) SELECT @to, n FROM sample_count_cache WHERE origin_id = @from
       ON CONFLICT(origin_id) DO UPDATE SET n = n + excluded.n`,
    )
    .run({ from, to });
  sql.prepare('DELETE FROM sample_count_cache WHERE origin_id = ?').run(from);
  sql.prepare('UPDATE samples SET origin_id = ? WHERE origin_id = ?').run(to, from);

  const workouts = sql
    .prepare(
      `DELETE FROM workouts WHERE origin_id = @from AND EXISTS (SELECT 1 FROM workouts k WHERE k.origin_id = @to AND k.activity_type = workouts.activity_type
         AND k.start_ms = workouts.start_ms AND k.end_ms = workouts.end_ms)`,
    )
    .run({ from, to }).changes;
  sql.prepare('UPDATE workouts SET origin_id = ? WHERE origin_id = ?').run(to, from);
  sql.prepare('DELETE FROM origins WHERE id = ?').run(from);
  return { samples, workouts };
}

/**
 * Samples moved between origins and keys now match other preference entries: the derived tables
 * (rebuilt from samples, never the only copy of anything) are emptied so they are built afresh.
 */
function resetDerived(sql: Database.Database): void {
  const tables = new Set((sql.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'derived%'").all() as { name: string }[]).map((r) => r.name));
  for (const t of ['derived_daily', 'derived_source_daily', 'derived_state']) if (tables.has(t)) sql.prepare(`DELETE FROM ${t}`).run();
  sql.prepare("DELETE FROM meta WHERE key LIKE 'derived.%'").run();
}
