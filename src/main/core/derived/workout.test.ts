// metrics:workout on a real SQLite file: a run recorded by the Watch (with its route and the
// Watch's heart rate) and by Strava (counted; the Watch's is its copy), through dispatch as every front door calls it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkoutDetail } from '../../../shared/contract';
import { dispatch } from '../dispatch';
import type { Core } from '../index';
import { insertSamples, insertWorkouts } from '../test/samples';
import { tempCore } from '../test/tempCore';

const WATCH = 'Jane’s Apple Watch';

describe('metrics:workout', () => {
  let core: Core & { cleanup(): void };
  beforeEach(() => {
    core = tempCore();
  });
  afterEach(() => core.cleanup());

  it('gives the statistics, the copies, the heart rate inside the workout and the route', async () => {
    const [run, copy] = insertWorkouts(core, [
      { source: 'apple_health', origin: WATCH, deviceKind: 'watch', activityType: 'HKWorkoutActivityTypeRunning', start: '2024-01-15T10:00:00+00:00', end: '2024-01-15T10:30:00+00:00', distanceKm: 5.1, energyKcal: 400, zone: 'Europe/London' },
      { source: 'strava', origin: 'Strava', activityType: 'Run', start: '2024-01-15T10:06:00+00:00', end: '2024-01-15T10:30:00+00:00', distanceKm: 5 },
    ]);
    const sql = core.db.$client;
    sql.prepare('UPDATE workouts SET avg_heart_rate = 150, max_heart_rate = 171 WHERE id = ?').run(run);
    const ins = sql.prepare('INSERT INTO route_points (workout_id, seq, time_ms, lat, lon, elevation_m) VALUES (?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 4; i++) ins.run(run, i, Date.parse('2024-01-15T10:00:00Z') + i * 60_000, 51.44 + i * 0.001, -2.6 + i * 0.001, i === 3 ? null : 25 + i);
    const hr = (t: string, value: number, origin = WATCH) => ({ source: 'apple_health', origin, deviceKind: 'watch', metric: 'heart_rate', start: t, value });
    insertSamples(core, [
      hr('2024-01-15T09:59:00+00:00', 90), // before the start
      hr('2024-01-15T10:05:00+00:00', 140),
      hr('2024-01-15T10:15:00+00:00', 165),
      hr('2024-01-15T10:25:00+00:00', 171),
      hr('2024-01-15T10:31:00+00:00', 120), // after the end
      hr('2024-01-15T10:10:00+00:00', 150, 'Jane’s iPhone'), // another device in the window
    ]);

    const res = await dispatch(core.handlers, 'metrics:workout', { id: run });
    expect(res.ok).toBe(true);
    const d = (res as { value: WorkoutDetail }).value;
    expect(d.workout).toMatchObject({
      id: run,
      source: 'apple_health',
      origin: WATCH,
      activityType: 'HKWorkoutActivityTypeRunning',
      start: '2024-01-15T10:00:00.000Z',
      end: '2024-01-15T10:30:00.000Z',
      day: '2024-01-15',
      durationMin: 30,
      distanceKm: 5.1,
      energyKcal: 400,
      avgHeartRate: 150,
      maxHeartRate: 171,
      zone: 'Europe/London',
      offsetMin: 0,
      // Strava comes first in the default Workouts order: the Watch's run is its copy.
      counted: false,
      excludedBecause: null,
      copyOf: { id: copy, source: 'strava', origin: 'Strava' },
    });
    expect(d.workout.duplicates).toEqual([]);
    // Only the Watch's readings inside the workout.
    expect(d.heartRateFrom).toEqual({ source: 'apple_health', origin: WATCH });
    expect(d.heartRate).toEqual([
      { t: '2024-01-15T10:05:00.000Z', bpm: 140 },
      { t: '2024-01-15T10:15:00.000Z', bpm: 165 },
      { t: '2024-01-15T10:25:00.000Z', bpm: 171 },
    ]);
    expect(d.route).toHaveLength(4);
    expect(d.route![0]).toEqual({ lat: 51.44, lon: -2.6, ele: 25, t: '2024-01-15T10:00:00.000Z' });
    expect(d.route![3].ele).toBeNull();

    // The counted one lists the Watch's copy, and has no route of its own.
    const c = await dispatch(core.handlers, 'metrics:workout', { id: copy });
    const cd = (c as { value: WorkoutDetail }).value;
    expect(cd.workout).toMatchObject({ counted: true, copyOf: null, durationMin: 24 });
    expect(cd.workout.duplicates).toEqual([{ id: run, source: 'apple_health', origin: WATCH }]);
    expect(cd.route).toBeNull();
    // Strava recorded no heart rate: the Watch's readings in its window are shown.
    expect(cd.heartRate.map((h) => h.bpm)).toEqual([165, 171]);
  });

  it('says what to do when the workout is gone', async () => {
    const res = await dispatch(core.handlers, 'metrics:workout', { id: 999 });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.message).toMatch(/no workout 999.*choose a workout/);
  });
});
