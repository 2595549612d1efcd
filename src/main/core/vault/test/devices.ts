// Test helper: VitalSync "computers" for vault tests. Each is a real core over its own SQLite
// file with its own entry set in the real keychain; samples are written through the single
// sample writer, as an import or a provider sync would.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { VaultSyncResult } from '../../../../shared/contract';
import { dispatch } from '../../dispatch';
import type { Core } from '../../index';
import { SampleWriter, type SampleRecord } from '../../samples';
import { testKeychain, type TestKeychain } from '../../sync/test-helpers';
import { makeTempDir, tempCore } from '../../test/tempCore';
import { parseDay, ZONE_SRC } from '../../time/zones';

process.env.VITALSYNC_VAULT_KDF = 'interactive';

export const PASS = 'correct horse battery staple';
export type TestCore = Core & { cleanup(): void; keychain: TestKeychain };
const made: TestCore[] = [];
const dirs: string[] = [];

export function device(): TestCore {
  const keychain = testKeychain();
  const core = Object.assign(tempCore({ secrets: keychain }), { keychain });
  made.push(core);
  return core;
}

export function vaultDir(): string {
  const d = makeTempDir('vitalsync-vault-');
  dirs.push(d);
  return path.join(d, 'vault');
}

afterEach(async () => {
  for (const c of made.splice(0)) {
    await c.keychain.wipe();
    c.cleanup();
  }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

export async function call<T>(core: Core, channel: string, input: unknown = {}): Promise<T> {
  const res = await dispatch(core.handlers, channel, input);
  if (!res.ok) throw new Error(`${channel}: ${res.error.message}`);
  return res.value as T;
}

export async function callError(core: Core, channel: string, input: unknown = {}): Promise<string> {
  const res = await dispatch(core.handlers, channel, input);
  if (res.ok) throw new Error(`${channel} succeeded`);
  return res.error.message;
}

export const sync = (core: Core) => call<VaultSyncResult>(core, 'vault:sync');

export const paris = (iso: string) => Date.parse(iso);

/** A Withings scale weighing and a watch walking, through the single sample writer (as a sync or import would). */
export function writeSamples(core: Core, source: string, records: SampleRecord[], batch = 'sync:1'): void {
  const sql = core.db.$client;
  sql.transaction(() => new SampleWriter(sql, source).write(records, [], batch))();
}

export const steps = (day: string, hour: number, value: number): SampleRecord => ({
  rawType: 'HKQuantityTypeIdentifierStepCount',
  metric: 'steps',
  unit: 'count',
  origin: { name: 'Jane’s Apple Watch', deviceKind: 'watch' },
  startMs: paris(`${day}T${String(hour).padStart(2, '0')}:00:00+01:00`),
  endMs: paris(`${day}T${String(hour).padStart(2, '0')}:30:00+01:00`),
  zone: { name: 'Europe/Paris', src: ZONE_SRC.record },
  value,
});

export const weighing = (day: string, kg: number, ref: string, version: number): SampleRecord => ({
  rawType: 'meastype:1',
  metric: 'weight',
  unit: 'kg',
  origin: { name: 'Body+', deviceKind: 'scale' },
  startMs: paris(`${day}T07:00:00+01:00`),
  endMs: paris(`${day}T07:00:00+01:00`),
  zone: { name: 'Europe/Paris', src: ZONE_SRC.provider },
  value: kg,
  ref,
  refVersion: version,
});

export const dailySteps = (day: string, value: number): SampleRecord => ({
  rawType: 'activity.steps',
  metric: 'steps',
  unit: 'count',
  origin: { name: 'Withings Move', deviceKind: 'watch' },
  startMs: paris(`${day}T00:00:00+01:00`),
  endMs: paris(`${day}T00:00:00+01:00`) + 86_400_000,
  zone: { name: 'Europe/Paris', src: ZONE_SRC.provider },
  day: parseDay(day)!,
  value,
});

/** Every sample as (source, origin, type, start, end, value, category): what two computers must agree on. */
export function facts(core: Core): string[] {
  return (
    core.db.$client
      .prepare(
        `SELECT o.source || '|' || o.name || '|' || t.raw_type || '|' || s.start_ms || '|' || s.end_ms || '|' || s.value || '|' || s.category || '|' || coalesce(s.day, '') AS f
         FROM samples s JOIN origins o ON o.id = s.origin_id JOIN sample_types t ON t.id = s.type_id`,
      )
      .all() as { f: string }[]
  )
    .map((r) => r.f)
    .sort();
}

export function workoutFacts(core: Core): string[] {
  return (
    core.db.$client
      .prepare(
        `SELECT o.source || '|' || w.activity_type || '|' || w.start_ms || '|' || w.distance_km || '|' || (SELECT count(*) FROM route_points p WHERE p.workout_id = w.id) AS f
         FROM workouts w JOIN origins o ON o.id = w.origin_id`,
      )
      .all() as { f: string }[]
  )
    .map((r) => r.f)
    .sort();
}

