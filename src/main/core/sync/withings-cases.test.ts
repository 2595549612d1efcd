// Withings shapes VitalSync once got wrong, end to end against the emulator (its second
// account, e2e/emulator/withings/cases.ts): a measure of someone else on the same scale, an
// edited measure group, a night without segments, VO2max. Storage is checked row by row; the
// merged values are what `metrics:series` answers (docs/merging.md). The machine's
// zone is Tokyo on purpose: nothing may bucket by it. Run under scripts/with-keyring.sh.
process.env.TZ = 'Asia/Tokyo';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withingsFieldCases } from '../../../../e2e/emulator/withings/cases';
import { startEmulator, type ProviderEmulator } from '../../../../e2e/emulator/server';
import type { Series } from '../../../shared/contract';
import { UNASSIGNED_DEVICE_KIND } from '../../../shared/sourceKey';
import { dispatch } from '../dispatch';
import { connectWithings, emulatedCore } from './test-helpers';

let emu: ProviderEmulator;
let env: ReturnType<typeof emulatedCore>;

beforeEach(async () => {
  emu = await startEmulator({ withings: withingsFieldCases() });
  env = emulatedCore(emu);
  await connectWithings(env.core);
});
afterEach(async () => {
  await env.core.connections.engine.idle();
  await env.cleanup();
  await emu.close();
});

async function call<T>(channel: string, input: unknown): Promise<T> {
  const res = await dispatch(env.core.handlers, channel, input);
  if (!res.ok) throw new Error(`${channel}: ${res.error.message}`);
  return res.value as T;
}

const rows = (metric: string) =>
  env.core.db.$client
    .prepare(
      `SELECT s.id, s.value, s.start_ms AS startMs, s.day, s.category, o.name AS origin, o.device_kind AS kind FROM samples s
       JOIN sample_types t ON t.id = s.type_id JOIN origins o ON o.id = s.origin_id WHERE t.metric = ? ORDER BY s.start_ms, s.id`,
    )
    .all(metric) as { id: number; value: number; startMs: number; day: number | null; category: string; origin: string; kind: string }[];

const dayOf = async (metric: string, day: string) => (await call<Series>('metrics:series', { metric, from: day, to: day })).buckets;

describe('a measure of someone else on the same scale (attrib 1)', () => {
  it('is stored apart under an unassigned origin, and the day’s weight and body fat are the person’s own: 84.2 kg, 0.22', async () => {
    const [run] = await env.core.connections.syncNow('withings');
    expect(run.status).toBe('completed');
    expect(rows('weight').filter((r) => r.startMs < Date.parse('2024-03-08T00:00:00Z'))).toEqual([
      expect.objectContaining({ value: 84.2, origin: 'Body+', kind: 'scale' }),
      expect.objectContaining({ value: 52.1, origin: 'Body+ (unassigned)', kind: UNASSIGNED_DEVICE_KIND }),
    ]);
    expect(rows('body_fat').map((r) => [r.value, r.kind])).toEqual([
      [0.22, 'scale'],
      [0.29, UNASSIGNED_DEVICE_KIND],
    ]);
    // Merged with the default preferences (`withings` first for body): never the unassigned one.
    const [weight] = await dayOf('weight', '2024-03-07');
    expect(weight.value).toBe(84.2);
    expect(weight.sources.map((s) => s.origin)).toEqual(['Body+']);
    expect((await dayOf('body_fat', '2024-03-07'))[0].value).toBe(0.22);
    // Listed by its own key, the person claims it.
    await call('prefs:set', { category: 'body', sources: ['withings:Body+ (unassigned)'], fillGaps: false });
    expect((await dayOf('weight', '2024-03-07'))[0].value).toBe(52.1);
  });
});

describe('an edited measure group', () => {
  it('replaces its earlier version on the next sync: the day shows 81.4, not 91.4', async () => {
    await env.core.connections.syncNow('withings');
    const before = rows('weight').filter((r) => r.startMs === Date.parse('2024-03-08T06:00:00Z'));
    expect(before.map((r) => r.value)).toEqual([91.4]);
    // Corrected in the Withings app: same grpid, new value, later `modified`.
    emu.withingsApi.editMeasureGroup(401, [{ value: 81_400, type: 1, unit: -3, algo: 3, fm: 3 }]);
    const [second] = await env.core.connections.syncNow('withings');
    expect(second).toMatchObject({ status: 'completed', inserted: 1, replaced: 1 });
    const after = rows('weight').filter((r) => r.startMs === Date.parse('2024-03-08T06:00:00Z'));
    expect(after.map((r) => r.value)).toEqual([81.4]);
    // A new fact gets a new id; the old row is gone, not updated.
    expect(after[0].id).toBeGreaterThan(before[0].id);
    expect((await dayOf('weight', '2024-03-08'))[0].value).toBe(81.4);
    // Read again (a resync from the start), nothing changes.
    env.core.connections.store.resetCursors(env.core.connections.store.byProvider('withings')!.id);
    const [third] = await env.core.connections.syncNow('withings');
    expect(third).toMatchObject({ status: 'completed', inserted: 0, replaced: 0 });
  });

  it('a database synced before groups were tracked is cleaned by the one full read the upgrade asks for', async () => {
    await env.core.connections.syncNow('withings');
    const sql = env.core.db.$client;
    // As stored before refs existed: no record ties, and an earlier version of grpid 401 beside it.
    sql.prepare('DELETE FROM sample_refs').run();
    const current = rows('weight').find((r) => r.value === 91.4)!;
    sql
      .prepare('INSERT INTO samples (type_id, origin_id, device_id, start_ms, end_ms, zone_id, zone_src, day, value, category, batch) SELECT type_id, origin_id, 0, start_ms, end_ms, zone_id, zone_src, NULL, 95.0, category, batch FROM samples WHERE id = ?')
      .run(current.id);
    // What migration 0008 does: measures and sleep are read again from the start.
    sql.prepare("UPDATE connections SET cursors_json = json_remove(cursors_json, '$.measures', '$.sleep') WHERE provider = 'withings'").run();
    const ids = new Set(rows('weight').map((r) => r.id));
    const [run] = await env.core.connections.syncNow('withings');
    expect(run).toMatchObject({ status: 'completed', inserted: 0, replaced: 1 });
    // The current rows were adopted (same ids), the stale version dropped.
    expect(rows('weight').map((r) => r.value)).toEqual([84.2, 52.1, 91.4]);
    expect(rows('weight').every((r) => ids.has(r.id))).toBe(true);
    expect((sql.prepare('SELECT count(*) AS n FROM sample_refs').get() as { n: number }).n).toBe((sql.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n);
  });
});

describe('a night whose detail has no segments', () => {
  it('gets its stages from the summary: 420 minutes asleep on 2024-03-23 (light 240, deep 90, REM 90)', async () => {
    await env.core.connections.syncNow('withings');
    expect(emu.count({ provider: 'withings', path: '/v2/sleep', action: 'get' })).toBe(1);
    const totals = rows('sleep').filter((r) => r.day !== null);
    // 2024-03-23 is epoch day 19805 (2024-01-01 = 19723, plus 31 + 29 + 22).
    expect(totals.map((r) => [r.category, r.value, r.day])).toEqual([
      ['light', 240, 19805],
      ['deep', 90, 19805],
      ['rem', 90, 19805],
      ['awake', 40, 19805],
    ]);
    const buckets = await call<Series>('metrics:series', { metric: 'sleep', from: '2024-03-22', to: '2024-03-24' });
    expect(buckets.buckets.map((b) => b.start)).toEqual(['2024-03-23']);
    expect(buckets.buckets[0].value).toBe(420);
    expect(buckets.buckets[0].stages).toMatchObject({ light: 240, deep: 90, rem: 90 });
  });
});

describe('VO2max', () => {
  it('is asked for (meastype 123) and arrives', async () => {
    await env.core.connections.syncNow('withings');
    const asked = emu.requests.find((r) => r.params.action === 'getmeas')!.params.meastypes.split(',');
    expect(asked).toContain('123');
    expect(rows('vo2max')).toEqual([expect.objectContaining({ value: 45.2, origin: 'ScanWatch', kind: 'watch' })]);
    expect((await dayOf('vo2max', '2024-03-10'))[0].value).toBe(45.2);
  });
});
