// A run in both Garmin exports (the Activities list CSV and the full-account export) is one
// workout: the merge counts it once and lists the other as its copy.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkoutItem } from '../../../../shared/contract';
import { makeTempDir } from '../../test/tempCore';
import { call, importCores } from '../test/importCores';

const { newCore, importFile } = importCores({ homeTimeZone: 'Europe/Paris' });
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('Garmin: the same run in both exports', () => {
  it('is counted once', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    // 2024-10-26 08:00 in Paris (CEST, +02:00) = 06:00Z, 30 minutes, 5.02 km, in both files.
    const csv = path.join(dir, 'Activities.csv');
    fs.writeFileSync(csv, 'Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR\nRunning,2024-10-26 08:00:00,false,Paris Running,5.02,400,00:30:00,148,171\n');
    const fitness = path.join(dir, 'export', 'DI_CONNECT', 'DI-Connect-Fitness');
    fs.mkdirSync(fitness, { recursive: true });
    const run = { activityId: 101, name: 'Paris Running', activityType: 'running', startTimeGmt: Date.parse('2024-10-26T06:00:00Z'), startTimeLocal: Date.parse('2024-10-26T08:00:00Z'), duration: 1_800_000, distance: 502_000, calories: 1673.6, avgHr: 148, maxHr: 171 };
    fs.writeFileSync(path.join(fitness, 'someone_0_summarizedActivities.json'), JSON.stringify([{ summarizedActivitiesExport: [run] }]));

    const core = newCore();
    const list = await importFile(core, csv, {}, { weightUnit: 'kg' });
    expect(list.error).toBeNull();
    const full = await importFile(core, path.join(dir, 'export'));
    expect(full.error).toBeNull();
    expect(list.summary.workouts.inserted + full.summary.workouts.inserted).toBe(2);
    const items = await call<WorkoutItem[]>(core, 'metrics:workouts', { from: '2024-10-26', to: '2024-10-26' });
    expect(items.filter((w) => w.counted)).toHaveLength(1);
  });
});
