// An export stores the same rows however the parser cuts it into batches. A batch used to be
// cut only after a whole element, but an element may add several rows (an ActivitySummary adds
// one per ring value): when a batch was nearly full, the rows past its end were lost and the
// writer inserted NULL types ("NOT NULL constraint failed: samples.type_id"), at whatever
// boundary a file's size put there (5, 30, 60 MB exports failed; 1 GB did not).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fx, importCores, type TestCore } from '../test/importCores';

const { cores, newCore, importFile } = importCores({ homeTimeZone: 'Europe/London' });

/** Everything an import stored, without ids (which differ with the batching). */
function storedRows(core: TestCore) {
  const q = (sql: string) => core.db.$client.prepare(sql).all();
  return {
    samples: q(
      `SELECT t.raw_type, t.metric, t.unit, o.name AS origin, o.origin_key, o.device_kind, dv.name AS device, dv.hardware, s.start_ms, s.end_ms,
              z.name AS zone, s.zone_id = 0 AS home, s.zone_src, s.day, s.value, s.category, d.json AS details, ds.json AS shared
         FROM samples s JOIN sample_types t ON t.id = s.type_id JOIN origins o ON o.id = s.origin_id
         LEFT JOIN devices dv ON dv.id = s.device_id AND s.device_id <> 0 LEFT JOIN zones z ON z.id = s.zone_id
         LEFT JOIN sample_details d ON d.sample_id = s.id
         LEFT JOIN sample_detail_sets sd ON sd.sample_id = s.id LEFT JOIN detail_sets ds ON ds.id = sd.set_id
        ORDER BY t.raw_type, s.start_ms, o.name, s.value, s.category`,
    ),
    workouts: q(
      `SELECT o.name AS origin, dv.model AS device, w.activity_type, w.start_ms, w.end_ms, z.name AS zone, w.zone_src, w.duration_s, w.distance_km, w.energy_kcal,
              w.avg_heart_rate, w.max_heart_rate, w.details_json
         FROM workouts w JOIN origins o ON o.id = w.origin_id LEFT JOIN devices dv ON dv.id = w.device_id AND w.device_id <> 0 LEFT JOIN zones z ON z.id = w.zone_id
        ORDER BY w.start_ms`,
    ),
    routePoints: q('SELECT w.activity_type, p.seq, p.time_ms, p.lat, p.lon, p.elevation_m, p.speed_mps FROM route_points p JOIN workouts w ON w.id = p.workout_id ORDER BY w.start_ms, p.seq'),
  };
}

describe('batches', () => {
  it('stores identical rows for an export of every element kind at every batch size', async () => {
    const file = fx('export-every-element-kind.xml');
    const refCore = newCore();
    const ref = await importFile(refCore, file);
    expect(ref.error).toBeNull();
    expect(ref.status).toBe('completed');
    const expected = storedRows(refCore);
    // Every kind made it: records with and without metadata, beats, a zone of its own, a
    // category, a correlation, workouts with a route, ActivitySummary days, an Audiogram.
    expect(expected.samples.length).toBe(ref.summary.samples.inserted);
    expect(ref.summary.samples.inserted).toBe(11 + 1 + 1 + 8 + 6 + 6);
    expect(ref.summary.workouts.inserted).toBe(2);
    expect(expected.routePoints).toHaveLength(2);
    expect(ref.summary.rejected.total).toBe(0);
    const rows = ref.summary.samples.inserted + ref.summary.workouts.inserted;
    for (let size = 1; size <= rows + 2; size++) {
      const core = newCore();
      const job = await importFile(core, file, { batchSize: size });
      expect({ size, status: job.status, error: job.error }).toEqual({ size, status: 'completed', error: null });
      expect(job.summary.samples, `batch size ${size}`).toEqual(ref.summary.samples);
      expect(job.summary.byType, `batch size ${size}`).toEqual(ref.summary.byType);
      expect(storedRows(core), `batch size ${size}`).toEqual(expected);
      if (size % 4 === 1) {
        // Importing it again adds nothing, however differently it is cut.
        const again = await importFile(core, file, { batchSize: size + 2 });
        expect(again.summary.samples, `again, batch size ${size + 2}`).toEqual({ inserted: 0, duplicates: ref.summary.samples.inserted });
        expect(storedRows(core), `again, batch size ${size + 2}`).toEqual(expected);
      }
      core.cleanup();
      cores.splice(cores.indexOf(core), 1);
    }
  }, 120_000);

  it('a record whose end tag is missing, followed by an ActivitySummary, still imports both (at any batch size)', async () => {
    for (const size of [1, 2, 3, 8192]) {
      const core = newCore();
      const job = await importFile(core, fx('export-unclosed-record-then-activity-summary.xml'), { batchSize: size });
      expect({ size, status: job.status, error: job.error }).toEqual({ size, status: 'completed', error: null });
      const weight = core.db.$client
        .prepare("SELECT s.value, t.unit FROM samples s JOIN sample_types t ON t.id = s.type_id WHERE t.metric = 'weight'")
        .all() as { value: number; unit: string }[];
      expect(weight).toHaveLength(1);
      expect(weight[0].unit).toBe('kg');
      expect(weight[0].value).toBeCloseTo(180 * 0.45359237, 6);
      const rings = Object.fromEntries(
        (
          core.db.$client
            .prepare("SELECT t.raw_type AS type, s.value, s.day FROM samples s JOIN sample_types t ON t.id = s.type_id WHERE t.raw_type LIKE 'ActivitySummary.%'")
            .all() as { type: string; value: number; day: number }[]
        ).map((r) => [r.type.replace('ActivitySummary.', ''), [r.value, new Date(r.day * 86_400_000).toISOString().slice(0, 10)]]),
      );
      expect(rings).toEqual({
        activeEnergyBurned: [410.5, '2021-09-04'],
        activeEnergyBurnedGoal: [450, '2021-09-04'],
        appleMoveTime: [0, '2021-09-04'],
        appleMoveTimeGoal: [0, '2021-09-04'],
        appleExerciseTime: [22, '2021-09-04'],
        appleExerciseTimeGoal: [30, '2021-09-04'],
        appleStandHours: [10, '2021-09-04'],
        appleStandHoursGoal: [12, '2021-09-04'],
      });
      expect(job.summary.notes['element without an end tag (closed where the next one starts)']).toBe(1);
      // The record kept its metadata, and did not swallow the summary as a child.
      const details = core.db.$client.prepare('SELECT coalesce(d.json, ds.json) AS j FROM samples s LEFT JOIN sample_details d ON d.sample_id = s.id LEFT JOIN sample_detail_sets sd ON sd.sample_id = s.id LEFT JOIN detail_sets ds ON ds.id = sd.set_id JOIN sample_types t ON t.id = s.type_id WHERE t.metric = \'weight\'').get() as { j: string };
      expect(JSON.parse(details.j)).toEqual({ metadata: { HKWasUserEntered: '1' } });
    }
  });
});

// Keep the fixture honest: it holds every kind of element the parser handles.
describe('the every-element-kind fixture', () => {
  it('holds records (with metadata, beats, a zone), a correlation, workouts, ActivitySummary days and an unknown element', () => {
    const xml = fs.readFileSync(fx('export-every-element-kind.xml'), 'utf8');
    for (const tag of ['<Record ', '<MetadataEntry ', '<InstantaneousBeatsPerMinute ', 'HKTimeZone', '<Correlation ', '<Workout ', '<WorkoutStatistics ', '<Location ', '<ActivitySummary ', '<Audiogram ']) {
      expect(xml, tag).toContain(tag);
    }
  });
});
