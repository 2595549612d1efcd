import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCores } from '../test/importCores';
import { makeTempDir } from '../../test/tempCore';

const here = path.dirname(fileURLToPath(import.meta.url));
const { newCore, importFile } = importCores({ homeTimeZone: 'America/New_York' });

describe('the VitalSync export importer', () => {
  it('restores each row under its own source, origin, device kind, zone and grain', async () => {
    const core = newCore();
    const job = await importFile(core, path.join(here, 'fixtures/raw-three-sources.csv'));
    expect(job.status).toBe('completed');
    expect(job.kind).toBe('vitalsync');
    expect(job.summary.samples.inserted).toBe(3);
    expect(job.summary.workouts.inserted).toBe(1);
    const rows = core.db.$client
      .prepare(
        `SELECT o.source, o.name, o.device_kind AS kind, t.raw_type AS raw, t.unit, t.metric, s.day, s.zone_src AS zs, coalesce(z.name, 'home') AS zone, s.value
         FROM samples s JOIN origins o ON o.id = s.origin_id JOIN sample_types t ON t.id = s.type_id LEFT JOIN zones z ON z.id = s.zone_id ORDER BY s.value`,
      )
      .all();
    expect(rows).toEqual([
      { source: 'withings', name: 'Body+, hallway', kind: 'scale', raw: 'meas:1', unit: 'kg', metric: 'weight', day: null, zs: 2, zone: 'Europe/Paris', value: 70.2 },
      { source: 'apple_health', name: 'Jane’s Apple Watch', kind: 'watch', raw: 'HKQuantityTypeIdentifierStepCount', unit: 'count', metric: 'steps', day: null, zs: 0, zone: 'home', value: 1001 },
      { source: 'withings', name: 'ScanWatch', kind: 'watch', raw: 'activity.steps', unit: 'count', metric: 'steps', day: 20514, zs: 2, zone: 'Europe/Paris', value: 9002 },
    ]);
    const w = core.db.$client.prepare('SELECT activity_type AS a, duration_s AS d, distance_km AS km, energy_kcal AS kcal, zone_src AS zs FROM workouts').get();
    expect(w).toEqual({ a: 'running', d: 2467, km: 8.2, kcal: 512, zs: 3 });
  });

  it('rejects rows it cannot restore, with the row and the reason, and keeps the rest', async () => {
    const core = newCore();
    const dir = makeTempDir();
    const file = path.join(dir, 'bad.csv');
    const lines = fs.readFileSync(path.join(here, 'fixtures/raw-three-sources.csv'), 'utf8').trimEnd().split('\n');
    fs.writeFileSync(file, [lines[0], lines[1], lines[2].replace('withings', 'fitbot'), lines[3].replace('Europe/Paris', 'Mars/Olympus'), lines[4].replace('2026-03-03T18:41:07-05:00', 'soon')].join('\n'));
    const job = await importFile(core, file);
    expect(job.status).toBe('completed');
    expect(job.summary.samples.inserted).toBe(1);
    expect(job.summary.rejected).toMatchObject({ total: 3, reasons: { 'unknown source': 1, 'bad zone': 1, 'bad time': 1 } });
    expect(job.summary.rowErrors?.map((e) => [e.row, e.column])).toEqual([
      [3, 'source'],
      [4, 'zone'],
      [5, 'start'],
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
