// Every key the Sources page offers (`sources:list`, one per origin) is one the preferences
// accept (`prefs:set`) and that selects exactly that origin's data (`metrics:series` with the key
// alone and fill-gaps off). Origins come from a Withings sync against the emulator (names with
// capitals, "+", parentheses) and from Apple Health samples written through core/samples (a
// curly apostrophe). Run under scripts/with-keyring.sh.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startEmulator, type ProviderEmulator } from '../../../../e2e/emulator/server';
import { getMetric } from '../../../shared/catalog';
import type { Series, SourceState } from '../../../shared/contract';
import { dispatch } from '../dispatch';
import { SampleWriter } from '../samples';
import { ZONE_SRC } from '../time/zones';
import { connectWithings, emulatedCore } from './test-helpers';

let emu: ProviderEmulator;
let env: ReturnType<typeof emulatedCore>;
beforeEach(async () => {
  emu = await startEmulator();
  env = emulatedCore(emu);
});
afterEach(async () => {
  await env.core.connections.engine.idle();
  await env.cleanup();
  await emu.close();
});

async function call<T>(channel: string, input: unknown): Promise<T> {
  const res = await dispatch(env.core.handlers, channel, input);
  if (!res.ok) throw new Error(`${channel} ${JSON.stringify(input)}: ${res.error.message}`);
  return res.value as T;
}

const WATCH = 'Jane’s Apple Watch';
const PHONE = 'Jane’s iPhone';

function appleHealthSamples() {
  const writer = new SampleWriter(env.core.db.$client, 'apple_health');
  const zone = { name: 'Europe/Paris', src: ZONE_SRC.record };
  const steps = (origin: string, kind: string, start: string, minutes: number, value: number) => ({
    rawType: 'HKQuantityTypeIdentifierStepCount',
    metric: 'steps',
    unit: 'count',
    origin: { name: origin, deviceKind: kind },
    startMs: Date.parse(start),
    endMs: Date.parse(start) + minutes * 60_000,
    zone,
    value,
  });
  env.core.db.$client.transaction(() =>
    writer.write([steps(WATCH, 'watch', '2025-10-21T08:00:00Z', 10, 1200), steps(PHONE, 'phone', '2025-10-21T09:00:00Z', 10, 300)], [], 'import:1'),
  )();
}

it('every origin key sources:list offers is accepted by prefs:set and selects that origin’s data', async () => {
  await connectWithings(env.core);
  expect((await env.core.connections.syncNow('withings'))[0].status).toBe('completed');
  appleHealthSamples();

  const sources = await call<SourceState[]>('sources:list', {});
  const offered = sources.flatMap((s) => s.origins.map((o) => ({ source: s.id, ...o })));
  expect(offered.map((o) => o.key).sort()).toEqual(
    [
      'apple_health:Jane’s Apple Watch',
      'apple_health:Jane’s iPhone',
      'withings:BPM Connect',
      'withings:Body+',
      'withings:Body+ (unassigned)',
      'withings:Manual entry',
      'withings:ScanWatch',
      'withings:Withings sleep',
      'withings:Withings workouts',
    ].sort(),
  );

  const sql = env.core.db.$client;
  const metricsOf = (source: string, name: string) => {
    const metrics = (
      sql
        .prepare(
          `SELECT DISTINCT t.metric FROM samples s JOIN sample_types t ON t.id = s.type_id JOIN origins o ON o.id = s.origin_id
           WHERE o.source = ? AND o.name = ? AND t.metric IS NOT NULL ORDER BY t.metric`,
        )
        .all(source, name) as { metric: string }[]
    ).map((r) => r.metric);
    const workouts = sql.prepare('SELECT 1 FROM workouts w JOIN origins o ON o.id = w.origin_id WHERE o.source = ? AND o.name = ? LIMIT 1').get(source, name);
    return workouts ? [...metrics, 'workouts'] : metrics;
  };

  const checked: string[] = [];
  for (const o of offered) {
    const metrics = metricsOf(o.source, o.name);
    expect(metrics.length, `${o.key} has data`).toBeGreaterThan(0);
    for (const metric of metrics) {
      const category = getMetric(metric)!.category;
      const saved = await call<{ sources: string[] }>('prefs:set', { category, sources: [o.key], fillGaps: false, overrides: {} });
      expect(saved.sources).toEqual([o.key]);
      const series = await call<Series>('metrics:series', { metric, from: '2025-10-01', to: '2025-11-30' });
      expect(series.buckets.length, `${o.key} ${metric}: buckets`).toBeGreaterThan(0);
      for (const b of series.buckets) expect(b.sources.map((s) => `${s.source}:${s.origin}`), `${o.key} ${metric} ${b.start}`).toEqual([o.key]);
      checked.push(`${o.key} ${metric}`);
    }
  }
  expect(checked.length).toBeGreaterThanOrEqual(offered.length);

  // The values are that origin's own.
  const on = async (key: string, category: string, metric: string, day: string) => {
    await call('prefs:set', { category, sources: [key], fillGaps: false, overrides: {} });
    return (await call<Series>('metrics:series', { metric, from: day, to: day })).buckets[0]?.value;
  };
  expect(await on('withings:ScanWatch', 'activity', 'steps', '2025-10-21')).toBe(8412);
  expect(await on('apple_health:Jane’s Apple Watch', 'activity', 'steps', '2025-10-21')).toBe(1200);
  // The straight apostrophe names the same origin.
  expect(await on("apple_health:Jane's iPhone", 'activity', 'steps', '2025-10-21')).toBe(300);
  expect(await on('withings:Body+', 'body', 'weight', '2025-10-23')).toBe(71.95);
  expect(await on('withings:Body+ (unassigned)', 'body', 'weight', '2025-10-23')).toBe(58.3);
});
