// Apple's activity rings (ActivitySummary) are daily totals of active energy and exercise
// minutes: they supply a day no device recorded, and never add to a Watch's own samples.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Series } from '../../../../shared/contract';
import { call, FIX, importCores, type TestCore } from '../test/importCores';

const { newCore, importFile } = importCores({ homeTimeZone: 'America/Los_Angeles' });

async function series(core: TestCore, metric: string): Promise<[string, number][]> {
  const res = await call<Series>(core, 'metrics:series', { metric, from: '2024-05-20', to: '2024-05-24' });
  return res.buckets.map((b) => [b.start, Math.round(b.value * 10) / 10]);
}

describe("Apple's activity rings", () => {
  it('count as daily totals where no Watch sample exists, and never add to the Watch’s own', async () => {
    const core = newCore();
    const job = await importFile(core, path.join(FIX, 'export-activity-rings.xml'));
    expect(job.status).toBe('completed');
    expect(await series(core, 'active_energy')).toEqual([
      // The Watch's samples (180 + 140): the rings' 455 neither adds nor replaces them.
      ['2024-05-21', 320],
      // No Watch samples: the rings' total.
      ['2024-05-22', 450],
      // Written in kJ: 1882.8 kJ is 450 kcal.
      ['2024-05-23', 450],
    ]);
    expect(await series(core, 'exercise_minutes')).toEqual([
      ['2024-05-21', 35],
      ['2024-05-22', 25],
      ['2024-05-23', 40],
    ]);
  });

  it('map the move and exercise totals only; stand hours and goals are kept raw; their origin is a summary', async () => {
    const core = newCore();
    expect((await importFile(core, path.join(FIX, 'export-activity-rings.xml'))).status).toBe('completed');
    const types = core.db.$client
      .prepare("SELECT raw_type AS type, metric, unit FROM sample_types WHERE raw_type LIKE 'ActivitySummary.%' ORDER BY raw_type, unit")
      .all() as { type: string; metric: string | null; unit: string }[];
    const mapped = Object.fromEntries(types.filter((t) => t.metric !== null).map((t) => [`${t.type} ${t.unit}`, t.metric]));
    expect(mapped).toEqual({ 'ActivitySummary.activeEnergyBurned kcal': 'active_energy', 'ActivitySummary.appleExerciseTime min': 'exercise_minutes' });
    expect(types.filter((t) => t.metric === null).map((t) => t.type)).toEqual(
      expect.arrayContaining(['ActivitySummary.appleStandHours', 'ActivitySummary.appleStandHoursGoal', 'ActivitySummary.activeEnergyBurnedGoal', 'ActivitySummary.appleExerciseTimeGoal']),
    );
    // Stored in kcal: the kJ day converted.
    const energy = core.db.$client
      .prepare("SELECT s.value FROM samples s JOIN sample_types t ON t.id = s.type_id WHERE t.raw_type = 'ActivitySummary.activeEnergyBurned' ORDER BY s.day")
      .all() as { value: number }[];
    expect(energy.map((e) => Math.round(e.value * 1000) / 1000)).toEqual([455, 450, 450]);
    expect(core.db.$client.prepare('SELECT name, device_kind AS kind FROM origins ORDER BY name').all()).toEqual([
      { name: 'Activity rings', kind: 'summary' },
      { name: 'Ana’s Apple Watch', kind: 'watch' },
    ]);
  });
});
