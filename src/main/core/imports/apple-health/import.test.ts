// The Apple Health import end to end: real worker threads, a real SQLite file with the real
// migrations, and small fixtures named after the quirk each carries.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import type { ImportJob, ImportProgress } from '../../../../shared/contract';
import { dispatch } from '../../dispatch';
import { makeTempDir, PROJECT_ROOT, tempCore } from '../../test/tempCore';
import { runCliInProcess } from '../../../cli/test/runInProcess';
import { formatDay, HOME_ZONE_ID, ZONE_SRC, ZoneClock } from '../../time/zones';
import { importManager } from '../index';
import { writeSyntheticExport } from './synthetic';
import { fx, importCores, type TestCore } from '../test/importCores';

const dirs: string[] = [];
const { cores, newCore, importFile } = importCores({
  after: () => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  },
});

function tmp(): string {
  const d = makeTempDir('vitalsync-import-');
  dirs.push(d);
  return d;
}

const q = <T = Record<string, unknown>>(core: TestCore, sql: string, ...args: unknown[]) => core.db.$client.prepare(sql).all(...args) as T[];
const one = <T = Record<string, unknown>>(core: TestCore, sql: string, ...args: unknown[]) => core.db.$client.prepare(sql).get(...args) as T;
const count = (core: TestCore, table = 'samples') => one<{ n: number }>(core, `SELECT count(*) AS n FROM ${table}`).n;

function zip(entries: { name: string; data: Buffer | string; zip64?: boolean; store?: boolean }[]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const e of entries) z.addBuffer(Buffer.from(e.data), e.name, { forceZip64Format: e.zip64 ?? false, compress: !e.store });
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}

function samplesOf(core: TestCore, rawType: string) {
  return q<{
    value: number;
    category: string;
    start_ms: number;
    end_ms: number;
    zone_id: number;
    zone: string | null;
    zone_src: number;
    day: number | null;
    metric: string | null;
    unit: string;
    origin: string;
    json: string | null;
  }>(
    core,
    `SELECT s.value, s.category, s.start_ms, s.end_ms, s.zone_id, z.name AS zone, s.zone_src, s.day, t.metric, t.unit, o.name AS origin, coalesce(d.json, ds.json) AS json
       FROM samples s JOIN sample_types t ON t.id = s.type_id JOIN origins o ON o.id = s.origin_id LEFT JOIN zones z ON z.id = s.zone_id
       LEFT JOIN sample_details d ON d.sample_id = s.id
       LEFT JOIN sample_detail_sets sd ON sd.sample_id = s.id LEFT JOIN detail_sets ds ON ds.id = sd.set_id
      WHERE t.raw_type = ? ORDER BY s.start_ms`,
    rawType,
  );
}

describe('Apple Health import', () => {
  it('imports an iOS 16 export whose DTD is broken, with devices parsed into fields', async () => {
    const core = newCore();
    const job = await importFile(core, fx('export-ios16-broken-dtd.xml'));
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(job.summary.exportVersion).toBe('12');
    const hr = samplesOf(core, 'HKQuantityTypeIdentifierHeartRate');
    expect(hr.map((s) => s.value)).toEqual([64, 71]);
    // A motion context is metadata many samples share: stored once, found through the sample.
    expect(JSON.parse(hr[0].json!)).toEqual({ metadata: { HKMetadataKeyHeartRateMotionContext: '0' } });
    expect(count(core, 'detail_sets')).toBe(1);
    expect(job.summary.byType.HKQuantityTypeIdentifierHeartRate).toEqual({ read: 2, inserted: 2, duplicates: 0 });
    // Two records, two different HKDevice pointers, one device.
    expect(q(core, 'SELECT name, manufacturer, model, hardware, software FROM devices')).toEqual([
      { name: 'Apple Watch', manufacturer: 'Apple Inc.', model: 'Watch', hardware: 'Watch6,2', software: '10.1' },
    ]);
    // ActivitySummary fields are kept as samples of their own.
    expect(samplesOf(core, 'ActivitySummary.appleExerciseTime').map((s) => s.value)).toEqual([36]);
    expect(job.summary.byType['ActivitySummary.appleExerciseTime']).toEqual({ read: 1, inserted: 1, duplicates: 0 });
    expect(job.summary.samples.inserted).toBe(3 + 8);
  });

  it('reads export.zip by content when the main file has a localized name, ignoring __MACOSX companions', async () => {
    const core = newCore();
    const dir = tmp();
    const file = path.join(dir, 'export.zip');
    fs.writeFileSync(
      file,
      await zip([
        { name: '__MACOSX/apple_health_export/._导出.xml', data: Buffer.from([0, 5, 22, 7, 0, 2, 0, 0, 0x4d, 0x61, 0x63]) },
        { name: 'apple_health_export/export_cda.xml', data: '<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"></ClinicalDocument>' },
        { name: 'apple_health_export/导出.xml', data: fs.readFileSync(fx('export-curly-apostrophes.xml')) },
      ]),
    );
    const job = await importFile(core, file);
    expect(job.status).toBe('completed');
    expect(job.summary.samples.inserted).toBe(3);
    // "Jane’s" and "Jane's" are one origin; the multi-byte name survives intact.
    const origins = q<{ name: string; n: number }>(core, 'SELECT o.name, count(*) AS n FROM samples s JOIN origins o ON o.id = s.origin_id GROUP BY o.id ORDER BY o.name');
    expect(origins).toEqual([
      { name: 'Jane’s Apple Watch', n: 2 },
      { name: 'Здоровье', n: 1 },
    ]);
  });

  it('reads a zip64 archive, stored or deflated', async () => {
    const core = newCore();
    const dir = tmp();
    const file = path.join(dir, 'export64.zip');
    fs.writeFileSync(file, await zip([{ name: 'apple_health_export/export.xml', data: fs.readFileSync(fx('export-v3.xml')), zip64: true }]));
    const job = await importFile(core, file);
    expect(job.status).toBe('completed');
    expect(job.summary.samples.inserted).toBe(5);
    const stored = path.join(dir, 'stored.zip');
    fs.writeFileSync(stored, await zip([{ name: 'export.xml', data: fs.readFileSync(fx('export-units.xml')), zip64: true, store: true }]));
    const storedJob = await importFile(core, stored);
    expect(storedJob.error).toBeNull();
    expect(storedJob.status).toBe("completed");
  });

  it('stores workouts with statistics, events, activities and their GPX route from the unzipped folder', async () => {
    const core = newCore();
    const job = await importFile(core, fx('export-gpx-route'));
    expect(job.status).toBe('completed');
    expect(job.summary.workouts.inserted).toBe(3);
    const w = one<{ distance_km: number; energy_kcal: number; avg_heart_rate: number; max_heart_rate: number; duration_s: number; details_json: string; id: number }>(
      core,
      "SELECT * FROM workouts WHERE activity_type = 'Running'",
    );
    expect(w.distance_km).toBeCloseTo(3.2 * 1.609344, 6);
    expect(w.energy_kcal).toBeCloseTo(400, 6);
    expect(w.avg_heart_rate).toBe(162.5);
    expect(w.max_heart_rate).toBe(185);
    expect(w.duration_s).toBe(1950);
    const details = JSON.parse(w.details_json);
    expect(details.activities[0].statistics[0].average).toBe('162.5');
    expect(details.events).toHaveLength(1);
    expect(details.metadata.HKTimeZone).toBe('Europe/London');
    // The route referenced twice is read once; the bad point is counted, not stored.
    const pts = q<{ lat: number; lon: number; elevation_m: number; speed_mps: number; time_ms: number }>(core, 'SELECT * FROM route_points WHERE workout_id = ? ORDER BY seq', w.id);
    expect(pts).toHaveLength(5);
    expect(pts[0]).toMatchObject({ lat: 51.44, lon: -2.6, elevation_m: 25, speed_mps: 3, time_ms: Date.UTC(2024, 0, 15, 10, 0, 0) });
    expect(job.summary.routes).toMatchObject({ inserted: 1, points: 5, missing: 2 });
    expect(job.summary.rejected.reasons).toMatchObject({
      'route file missing': 1,
      'route file path points outside the export': 1,
      'route point without a time or coordinates': 1,
    });
  });

  it('reads GPX routes from inside export.zip, and counts a damaged route entry without failing the import', async () => {
    const dir = tmp();
    const xml = fs.readFileSync(fx('export-gpx-route/apple_health_export/export.xml'));
    const gpx = fs.readFileSync(fx('export-gpx-route/apple_health_export/workout-routes/route_2024-01-15_10.00am.gpx'));
    const routeName = 'apple_health_export/workout-routes/route_2024-01-15_10.00am.gpx';
    const good = path.join(dir, 'export.zip');
    fs.writeFileSync(good, await zip([{ name: 'apple_health_export/export.xml', data: xml }, { name: routeName, data: gpx }]));
    const job = await importFile(newCore(), good);
    expect(job.status).toBe('completed');
    expect(job.summary.routes).toMatchObject({ inserted: 1, points: 5, missing: 2 });

    // The same archive with the route's deflated bytes overwritten: inflate fails on them.
    const bad = await zip([{ name: 'apple_health_export/export.xml', data: xml }, { name: routeName, data: gpx }]);
    const header = bad.indexOf(routeName) - 30;
    expect(bad.readUInt32LE(header)).toBe(0x04034b50);
    const dataStart = header + 30 + bad.readUInt16LE(header + 26) + bad.readUInt16LE(header + 28);
    bad.fill(0xff, dataStart, dataStart + 16);
    const damagedFile = path.join(dir, 'damaged.zip');
    fs.writeFileSync(damagedFile, bad);
    const damaged = await importFile(newCore(), damagedFile);
    expect(damaged.status).toBe('completed');
    expect(damaged.summary.workouts.inserted).toBe(3);
    expect(damaged.summary.routes).toMatchObject({ inserted: 0, points: 0, missing: 3 });
    expect(damaged.summary.rejected.reasons['route file damaged in the archive']).toBe(1);
  });

  it('an import interrupted after its workouts were stored still reads their routes when resumed', async () => {
    const core = newCore();
    const first = await importFile(core, fx('export-gpx-route'));
    expect(first.summary.routes.points).toBe(5);
    // The state a crash leaves between committing the XML and reading the GPX files.
    const summary = JSON.parse(one<{ s: string }>(core, 'SELECT summary_json AS s FROM import_jobs WHERE id = ?', first.id).s);
    summary.state = { resumeOffset: fs.statSync(fx('export-gpx-route/apple_health_export/export.xml')).size, pid: 999_999_999 };
    core.db.$client.prepare("UPDATE import_jobs SET status = 'running', summary_json = ? WHERE id = ?").run(JSON.stringify(summary), first.id);
    core.db.$client.exec('DELETE FROM route_points');
    expect(importManager(core).get(first.id).status).toBe('interrupted');
    const resumed = await importFile(core, fx('export-gpx-route'));
    expect(resumed.id).toBe(first.id);
    expect(resumed.status).toBe('completed');
    expect(count(core, 'route_points')).toBe(5);
    expect(count(core, 'workouts')).toBe(3);
  });

  it('stores the old inline <Location> routes of a workout', async () => {
    const core = newCore();
    const job = await importFile(core, fx('export-inline-location.xml'));
    expect(job.status).toBe('completed');
    const pts = q<{ speed_mps: number | null; time_ms: number }>(core, 'SELECT speed_mps, time_ms FROM route_points ORDER BY seq');
    expect(pts.map((p) => p.speed_mps)).toEqual([2.48034, 2.5, null]);
    expect(pts[0].time_ms).toBe(Date.UTC(2016, 10, 14, 14, 25, 44));
    expect(one<{ distance_km: number }>(core, 'SELECT distance_km FROM workouts').distance_km).toBeCloseTo(0.8, 3);
  });

  it("keeps a sample's own zone (HKTimeZone), else the home zone, never the export-time offset", async () => {
    const core = newCore('Europe/Berlin');
    const job = await importFile(core, fx('export-hktimezone.xml'));
    expect(job.status).toBe('completed');
    const [sleep] = samplesOf(core, 'HKCategoryTypeIdentifierSleepAnalysis');
    // Written as 23:30 -0700 (July's offset): the instant is exact, the zone is the record's own.
    expect(sleep.start_ms).toBe(Date.UTC(2023, 0, 10, 6, 30));
    expect(sleep).toMatchObject({ zone: 'America/New_York', zone_src: ZONE_SRC.record, day: null, category: 'light' });
    const [steps] = samplesOf(core, 'HKQuantityTypeIdentifierStepCount');
    expect(steps.start_ms).toBe(Date.UTC(2023, 0, 11, 6, 30));
    // No zone of its own: the home zone, whatever it is when the day is computed (Berlin now).
    expect(steps).toMatchObject({ zone_id: HOME_ZONE_ID, zone_src: ZONE_SRC.home });
  });

  it("a multisport workout's distance is the sum of its legs, whatever their order, and each leg is kept", async () => {
    const xml = fs.readFileSync(fx('export-multisport.xml'), 'utf8');
    const lines = xml.split('\n');
    // The first workout's four statistics (run, energy, bike, swim), in other orders too.
    const first = lines.findIndex((l) => l.includes('<WorkoutStatistics'));
    const stats = lines.slice(first, first + 4);
    const orders = [
      [0, 1, 2, 3],
      [2, 0, 3, 1],
      [3, 2, 1, 0],
      [1, 3, 0, 2],
    ];
    const dir = tmp();
    for (const order of orders) {
      const file = path.join(dir, `multisport-${order.join('')}.xml`);
      fs.writeFileSync(file, [...lines.slice(0, first), ...order.map((i) => stats[i]), ...lines.slice(first + 4)].join('\n'));
      const core = newCore();
      const job = await importFile(core, file);
      expect(job.status).toBe('completed');
      const [tri, ios16] = q<{ distance_km: number; energy_kcal: number; details_json: string }>(core, 'SELECT distance_km, energy_kcal, details_json FROM workouts ORDER BY start_ms');
      // 1.5 km swim + 40 km bike + 10 km run.
      expect(tri.distance_km, order.join('')).toBeCloseTo(51.5, 9);
      expect(tri.energy_kcal).toBe(1650);
      const legs = (JSON.parse(tri.details_json).distances as { type: string; km: number }[]).map((l) => [l.type, l.km]).sort();
      expect(legs).toEqual([
        ['DistanceCycling', 40],
        ['DistanceSwimming', 1.5],
        ['DistanceWalkingRunning', 10],
      ]);
      // iOS 16 writes the legs as activities, each with its own statistics.
      expect(ios16.distance_km).toBeCloseTo(12.5 * 1.609344 + 5, 9);
      expect(JSON.parse(ios16.details_json).distances).toHaveLength(2);
    }
  });

  it('reads iOS 8 exports: compact dates, `source` names; the record whose attribute names hold spaces is rejected and counted', async () => {
    const core = newCore('America/Los_Angeles');
    const job = await importFile(core, fx('export-ios8-compact-dates.xml'));
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(job.summary.samples).toEqual({ inserted: 3, duplicates: 0 });
    expect(job.summary.rejected).toEqual({ total: 1, reasons: { 'malformed XML element': 1 } });
    const steps = samplesOf(core, 'HKQuantityTypeIdentifierStepCount');
    expect(steps.map((s) => [s.start_ms, s.end_ms, s.value, s.origin])).toEqual([
      [Date.UTC(2014, 10, 3, 15, 15), Date.UTC(2014, 10, 3, 15, 30), 1500, 'Ana’s iPhone'],
      [Date.UTC(2014, 10, 4, 6, 10), Date.UTC(2014, 10, 4, 6, 30), 2500, 'Ana’s iPhone'],
    ]);
    // Both on 2014-11-03 where they were recorded (the second is 11-04 in UTC).
    const clock = new ZoneClock([], 'America/Los_Angeles');
    expect(steps.map((s) => formatDay(clock.day(s.zone_id, s.start_ms)))).toEqual(['2014-11-03', '2014-11-03']);
    const [weight] = samplesOf(core, 'HKQuantityTypeIdentifierBodyMass');
    expect(weight.value).toBeCloseTo(150 * 0.45359237, 9);
    expect(formatDay(clock.day(weight.zone_id, weight.start_ms))).toBe('2014-11-04');
    expect(weight.origin).toBe('Scale Sync');
  });

  it('an export of which every record is rejected fails, saying what was wrong and what to do, and `vitalsync import` exits non-zero', async () => {
    const core = newCore();
    const job = await importFile(core, fx('export-unreadable-dates.xml'));
    expect(job.status).toBe('failed');
    expect(job.summary.rejected.total).toBe(3);
    expect(job.error).toBe(
      'Nothing was imported: all 3 records in this export were rejected (2 × record with a missing or unreadable startDate; 1 × malformed XML element). ' +
        'The file may be damaged, or written in a form VitalSync cannot read yet. Export again from the Health app (your picture or initials → Export All Health Data) ' +
        'and import the new export.zip; if the same happens, report it with the reasons above.',
    );
    const dataDir = tmp();
    const res = await runCliInProcess(['--data-dir', dataDir, 'import', fx('export-unreadable-dates.xml'), '--json']);
    expect(res.code).not.toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ status: 'failed', samples: { inserted: 0, duplicates: 0 } });
    expect(res.stderr).toContain('Nothing was imported: all 3 records in this export were rejected');
    // An empty export (no records at all) is not an error.
    const empty = path.join(tmp(), 'empty.xml');
    fs.writeFileSync(empty, '<?xml version="1.0"?>\n<HealthData locale="en_US">\n <ExportDate value="2024-01-01 10:00:00 +0000"/>\n</HealthData>\n');
    expect((await importFile(core, empty)).status).toBe('completed');
  });

  it("a newer export's ActivitySummary replaces that day's older values; the same file again adds nothing", async () => {
    const core = newCore('Europe/London');
    const file = fx('export-every-element-kind.xml');
    await importFile(core, file);
    const rings = () =>
      q<{ type: string; value: number; day: number }>(
        core,
        "SELECT t.raw_type AS type, s.value, s.day FROM samples s JOIN sample_types t ON t.id = s.type_id WHERE t.raw_type = 'ActivitySummary.appleExerciseTime' ORDER BY s.day",
      ).map((r) => [formatDay(r.day), r.value]);
    expect(rings()).toEqual([
      ['2023-06-01', 34],
      ['2023-06-02', 12],
      ['2023-06-03', 58],
    ]);
    const again = await importFile(core, file);
    expect(again.summary.samples.inserted).toBe(0);
    // Exported again a day later: 2023-06-03 closed with more exercise; the other days are the same.
    const newer = path.join(tmp(), 'export.xml');
    fs.writeFileSync(newer, fs.readFileSync(file, 'utf8').replace('appleExerciseTime="58"', 'appleExerciseTime="71"').replace('2023-06-20 21:00:00', '2023-06-21 21:00:00'));
    const third = await importFile(core, newer);
    expect(third.status).toBe('completed');
    expect(third.summary.samples.inserted).toBe(1);
    expect(third.summary.notes['ActivitySummary values replaced by a newer export']).toBe(1);
    expect(rings()).toEqual([
      ['2023-06-01', 34],
      ['2023-06-02', 12],
      ['2023-06-03', 71],
    ]);
    const perDay = one<{ n: number }>(core, "SELECT count(*) AS n FROM samples s JOIN sample_types t ON t.id = s.type_id WHERE t.raw_type LIKE 'ActivitySummary.%'").n;
    expect(perDay).toBe(8 + 6 + 6);
    // The older export imported again afterwards changes nothing: the newer day stays.
    const older = await importFile(core, file);
    expect(older.summary.samples.inserted).toBe(0);
    expect(older.summary.notes['ActivitySummary values replaced by a newer export']).toBeUndefined();
    expect(rings()).toEqual([
      ['2023-06-01', 34],
      ['2023-06-02', 12],
      ['2023-06-03', 71],
    ]);
  });

  it('normalises units to the canonical ones and counts what it rejects, with reasons', async () => {
    const core = newCore();
    const job = await importFile(core, fx('export-units.xml'));
    expect(job.status).toBe('completed');
    const v = (t: string) => samplesOf(core, `HKQuantityTypeIdentifier${t}`)[0];
    expect(v('BodyMass')).toMatchObject({ metric: 'weight', unit: 'kg' });
    expect(v('BodyMass').value).toBeCloseTo(90.718474, 6);
    expect(v('DistanceWalkingRunning').value).toBeCloseTo(1.609344, 9);
    expect(v('ActiveEnergyBurned').value).toBeCloseTo(100, 9);
    expect(v('BasalEnergyBurned').value).toBe(12.5);
    expect(v('BodyTemperature')).toMatchObject({ metric: 'body_temperature', unit: 'degC' });
    expect(v('BodyTemperature').value).toBeCloseTo(37, 9);
    expect(v('OxygenSaturation')).toMatchObject({ metric: 'spo2', value: 0.97 });
    expect(v('BloodGlucose')).toMatchObject({ metric: 'blood_glucose', unit: 'mmol/L', value: 5.4 });
    expect(v('VO2Max')).toMatchObject({ metric: 'vo2max', unit: 'mL/kg/min', value: 42.1 });
    // A type VitalSync does not chart is still stored, raw.
    expect(v('EnvironmentalAudioExposure')).toMatchObject({ metric: null, unit: 'dBASPL', value: 61.2 });
    expect(job.summary.rejected).toEqual({
      total: 2,
      reasons: { 'quantity record with a value that is not a number': 1, 'record with a missing or unreadable startDate': 1 },
    });
    expect(job.summary.byType.HKQuantityTypeIdentifierStepCount).toEqual({ read: 2, inserted: 0, duplicates: 0 });
  });

  it('keeps HRV beat lists with their sample', async () => {
    const core = newCore();
    await importFile(core, fx('export-hrv-beats.xml'));
    const [hrv] = samplesOf(core, 'HKQuantityTypeIdentifierHeartRateVariabilitySDNN');
    expect(hrv).toMatchObject({ metric: 'hrv_sdnn', value: 41.8023 });
    expect(JSON.parse(hrv.json!).beats).toEqual([
      { bpm: 58, time: '07:44:11,34' },
      { bpm: 61, time: '07:44:12,31' },
      { bpm: 60, time: '07:44:13,29' },
    ]);
  });

  it('stores a blood-pressure correlation once, without storing its parts twice', async () => {
    const core = newCore();
    const job = await importFile(core, fx('export-correlation.xml'));
    expect(count(core)).toBe(3);
    expect(job.summary.samples).toEqual({ inserted: 3, duplicates: 0 });
    const [corr] = samplesOf(core, 'HKCorrelationTypeIdentifierBloodPressure');
    expect(JSON.parse(corr.json!).records.map((r: { value: string }) => r.value)).toEqual(['121', '79']);
    expect(job.summary.notes['correlation child records (stored at top level)']).toBe(2);
  });

  it('tolerates stray vertical tabs and a missing <Me>', async () => {
    const core = newCore();
    const job = await importFile(core, fx('export-vertical-tab-no-me.xml'));
    expect(job.status).toBe('completed');
    const rows = samplesOf(core, 'HKQuantityTypeIdentifierBodyMass');
    expect(rows).toHaveLength(2);
    expect(rows[0].origin).toBe('Scale App');
    expect(JSON.parse(rows[0].json!).metadata.Note).toBe('afterrun');
  });

  it('imports the oldest (v3) format, with its legacy sleep values', async () => {
    const core = newCore();
    const job = await importFile(core, fx('export-v3.xml'));
    expect(job.summary.exportVersion).toBe('3');
    expect(samplesOf(core, 'HKCategoryTypeIdentifierSleepAnalysis').map((s) => s.category)).toEqual(['in_bed', 'asleep_unspecified']);
    expect(job.summary.workouts.inserted).toBe(1);
  });

  it('never expands entities declared in the DTD (billion laughs)', async () => {
    const core = newCore();
    const t0 = Date.now();
    const job = await importFile(core, fx('export-entity-expansion.xml'));
    expect(job.status).toBe('completed');
    expect(Date.now() - t0).toBeLessThan(15_000);
    const [s] = samplesOf(core, 'HKQuantityTypeIdentifierStepCount');
    expect(s.origin).toBe('&lol9;');
    expect(JSON.parse(s.json!).metadata.note).toBe('&lol9;&lol9;');
  });

  it('keeps what a truncated export holds and says where it stopped', async () => {
    const core = newCore();
    const job = await importFile(core, fx('export-truncated.xml'));
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/ends early.*byte \d+/);
    expect(job.summary.stoppedAt).toBeGreaterThan(100);
    expect(count(core)).toBe(2);
  });

  it('refuses files that are not Apple Health exports with a clear message, harming nothing stored', async () => {
    const core = newCore();
    await importFile(core, fx('export-v3.xml'));
    const before = count(core);
    const dir = tmp();
    const cases: [string, Buffer | string, RegExp][] = [
      ['empty.xml', '', /is empty/],
      ['other.xml', '<?xml version="1.0"?><gpx version="1.1"></gpx>', /not an Apple Health export/],
      ['cda.zip', await zip([{ name: 'export_cda.xml', data: '<ClinicalDocument/>' }]), /No Apple Health export was found inside/],
    ];
    for (const [name, data, message] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, data);
      const job = await importFile(core, file);
      expect(job.status, name).toBe('failed');
      expect(job.error, name).toMatch(message);
    }
    const whole = await zip([{ name: 'apple_health_export/export.xml', data: fs.readFileSync(fx('export-units.xml')) }]);
    const cut = path.join(dir, 'cut.zip');
    fs.writeFileSync(cut, whole.subarray(0, 20));
    const damaged = await importFile(core, cut);
    expect(damaged.status).toBe('failed');
    expect(damaged.error).toMatch(/damaged or incomplete zip/);
    expect(count(core)).toBe(before);
    expect(one<{ r: string }>(core, 'PRAGMA integrity_check').r ?? Object.values(one(core, 'PRAGMA integrity_check'))[0]).toBe('ok');
    // A file no importer reads, and that cannot be an Apple Health export, is refused at once.
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'just some text');
    const text = await dispatch(core.handlers, 'imports:start', { path: path.join(dir, 'notes.txt') });
    expect(text).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_FILE', message: expect.stringMatching(/does not recognise "notes.txt" as an export it can read/) } });
    const missing = await dispatch(core.handlers, 'imports:start', { path: path.join(dir, 'nope.zip') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('keeps what a cut-short export.zip holds and says where it stopped', async () => {
    const core = newCore();
    const dir = tmp();
    writeSyntheticExport(dir, 2_000_000, 3);
    const whole = await zip([
      { name: '__MACOSX/apple_health_export/._export.xml', data: 'junk' },
      { name: 'apple_health_export/export.xml', data: fs.readFileSync(path.join(dir, 'export.xml')) },
      { name: 'apple_health_export/export_cda.xml', data: '<ClinicalDocument/>' },
    ]);
    const file = path.join(dir, 'cut.zip');
    fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const job = await importFile(core, file);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/ends early \(the zip is cut short.*stopped at byte \d+ of apple_health_export\/export\.xml/);
    expect(job.summary.stoppedAt).toBeGreaterThan(0);
    expect(count(core)).toBeGreaterThan(100);
    expect(Object.values(one(core, 'PRAGMA integrity_check'))[0]).toBe('ok');
  });

  it('skips zip entries whose names climb out of the archive', async () => {
    const core = newCore();
    const dir = tmp();
    const raw = await zip([
      { name: 'aaaaa/evil.xml', data: fs.readFileSync(fx('export-units.xml')) },
      { name: 'apple_health_export/export.xml', data: fs.readFileSync(fx('export-v3.xml')) },
    ]);
    // yazl refuses "../" names, so write them into the finished archive (same length).
    const hostile = Buffer.from(raw.toString('latin1').replaceAll('aaaaa/', '../../'), 'latin1');
    const file = path.join(dir, 'slip.zip');
    fs.writeFileSync(file, hostile);
    const job = await importFile(core, file);
    expect(job.status).toBe('completed');
    expect(job.summary.samples.inserted).toBe(5);
    expect(job.summary.rejected.reasons['zip entry whose name points outside the archive (skipped)']).toBe(1);
  });

  it('refuses a zip bomb before inflating it', async () => {
    const core = newCore();
    const dir = tmp();
    const bomb = Buffer.concat([Buffer.from('<HealthData locale="en_US">'), Buffer.alloc(30 * 1024 * 1024, 0x20), Buffer.from('</HealthData>')]);
    const file = path.join(dir, 'bomb.zip');
    fs.writeFileSync(file, await zip([{ name: 'apple_health_export/export.xml', data: bomb }]));
    expect(fs.statSync(file).size).toBeLessThan(100_000);
    const job = await importFile(core, file);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/zip bomb/);
    // A declared size that is a lie is caught while inflating.
    const liar = await importFile(core, file, { limits: { maxRatio: 1e9, maxEntryBytes: 1024 * 1024 } });
    expect(liar.status).toBe('failed');
    expect(liar.error).toMatch(/more than VitalSync accepts|zip bomb/);
  });

  it('re-importing the same export adds nothing; a newer export adds only what is new', async () => {
    const core = newCore();
    const first = await importFile(core, fx('export-v3.xml'));
    expect(first.summary.samples).toEqual({ inserted: 5, duplicates: 0 });
    const changes: unknown[] = [];
    core.events.on('data:changed', (p) => changes.push(p));
    const again = await importFile(core, fx('export-v3.xml'));
    expect(again.status).toBe('completed');
    expect(again.summary.samples).toEqual({ inserted: 0, duplicates: 5 });
    expect(again.summary.workouts).toEqual({ inserted: 0, duplicates: 1 });
    expect(changes).toEqual([]);
    const dir = tmp();
    const newer = path.join(dir, 'export.xml');
    fs.writeFileSync(
      newer,
      fs
        .readFileSync(fx('export-v3.xml'), 'utf8')
        .replace(
          '</HealthData>',
          ' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Health" unit="count" creationDate="2016-04-14 07:08:47 +0100" startDate="2016-04-14 10:00:00 +0100" endDate="2016-04-14 10:05:00 +0100" value="77"/>\n</HealthData>',
        ),
    );
    const third = await importFile(core, newer);
    expect(third.summary.samples).toEqual({ inserted: 1, duplicates: 5 });
    expect(count(core)).toBe(6);
    // The merge engine hears which time range changed.
    expect(changes).toEqual([{ reason: `import:${third.id}`, fromMs: Date.UTC(2016, 3, 14, 9, 0), toMs: Date.UTC(2016, 3, 14, 9, 5) }]);
  });

  it('keeps each sample with its own metadata when many are stored at once, also alongside duplicates', async () => {
    const core = newCore();
    const dir = tmp();
    const rec = (i: number) =>
      ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" creationDate="2023-01-01 00:00:00 +0000" startDate="2023-01-01 ${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00 +0000" endDate="2023-01-01 ${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00 +0000" value="${60 + i}">\n` +
      (i % 3 ? `  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="${i % 2}"/>\n` : `  <MetadataEntry key="note" value="n${i}"/>\n`) +
      ' </Record>\n';
    const doc = (from: number, to: number) => `<HealthData locale="en_US">\n${Array.from({ length: to - from }, (_, k) => rec(from + k)).join('')}</HealthData>\n`;
    fs.writeFileSync(path.join(dir, 'part.xml'), doc(10, 45));
    fs.writeFileSync(path.join(dir, 'all.xml'), doc(0, 100));
    expect((await importFile(core, path.join(dir, 'part.xml'))).summary.samples).toEqual({ inserted: 35, duplicates: 0 });
    const all = await importFile(core, path.join(dir, 'all.xml'));
    expect(all.summary.samples).toEqual({ inserted: 65, duplicates: 35 });
    const rows = samplesOf(core, 'HKQuantityTypeIdentifierHeartRate');
    expect(rows).toHaveLength(100);
    for (const r of rows) {
      const i = r.value - 60;
      const meta = JSON.parse(r.json!).metadata;
      expect(meta, `sample ${i}`).toEqual(i % 3 ? { HKMetadataKeyHeartRateMotionContext: String(i % 2) } : { note: `n${i}` });
    }
  });

  it('keeps each sample with its own metadata when sources and types interleave in the file, and the first of two equal samples wins', async () => {
    const core = newCore();
    const dir = tmp();
    const at = (i: number) => `2023-01-01 ${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00 +0000`;
    const rec = (i: number, note: string) => {
      const type = i % 3 === 2 ? 'HeartRate' : 'StepCount';
      const unit = type === 'HeartRate' ? 'count/min' : 'count';
      const source = i % 2 ? 'Phone' : 'Watch';
      return (
        ` <Record type="HKQuantityTypeIdentifier${type}" sourceName="${source}" unit="${unit}" startDate="${at(i)}" endDate="${at(i)}" value="${100 + i}">\n` +
        (i % 5 === 4 ? '' : `  <MetadataEntry key="note" value="${note}"/>\n`) +
        ' </Record>\n'
      );
    };
    // Sample 7 appears twice with different metadata: the first one is kept.
    const body = Array.from({ length: 60 }, (_, i) => rec(i, `n${i}`)).join('') + rec(7, 'second copy');
    fs.writeFileSync(path.join(dir, 'mixed.xml'), `<HealthData locale="en_US">\n${body}</HealthData>\n`);
    const job = await importFile(core, path.join(dir, 'mixed.xml'));
    expect(job.summary.samples).toEqual({ inserted: 60, duplicates: 1 });
    const rows = q<{ type: string; origin: string; value: number; json: string | null }>(
      core,
      `SELECT t.raw_type AS type, o.name AS origin, s.value, d.json FROM samples s JOIN sample_types t ON t.id = s.type_id JOIN origins o ON o.id = s.origin_id
       LEFT JOIN sample_details d ON d.sample_id = s.id ORDER BY s.value`,
    );
    expect(rows).toHaveLength(60);
    for (const r of rows) {
      const i = r.value - 100;
      expect(r.type, `sample ${i}`).toBe(i % 3 === 2 ? 'HKQuantityTypeIdentifierHeartRate' : 'HKQuantityTypeIdentifierStepCount');
      expect(r.origin, `sample ${i}`).toBe(i % 2 ? 'Phone' : 'Watch');
      expect(r.json === null ? null : JSON.parse(r.json).metadata, `sample ${i}`).toEqual(i % 5 === 4 ? null : { note: `n${i}` });
    }
  });

  it('a full disk fails the import with a clear message and keeps what was stored', async () => {
    const core = newCore();
    await importFile(core, fx('export-v3.xml'));
    const dir = tmp();
    writeSyntheticExport(dir, 3_000_000, 7);
    const pages = one<{ page_count: number }>(core, 'PRAGMA page_count').page_count;
    const job = await importFile(core, path.join(dir, 'export.xml'), { maxPageCount: pages + 40, batchSize: 512 });
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/disk is full/);
    expect(samplesOf(core, 'HKQuantityTypeIdentifierStepCount').length).toBeGreaterThanOrEqual(2);
    expect(Object.values(one(core, 'PRAGMA integrity_check'))[0]).toBe('ok');
  });
});

describe('Apple Health import control', () => {
  let big: string;
  let reference = 0;
  const bigExport = async () => {
    if (big) return big;
    const dir = tmp();
    // Big enough that an import runs for a while even on a fast machine.
    writeSyntheticExport(dir, 48_000_000, 11);
    big = path.join(dir, 'export.xml');
    // What a clean, uninterrupted import stores.
    const ref = newCore();
    await importFile(ref, big);
    reference = count(ref);
    dirs.splice(dirs.indexOf(dir), 1); // keep the file for the next test of this block
    return big;
  };

  it('cancels within a second, reports progress at least twice a second, and a re-run finishes without duplicates', async () => {
    const file = await bigExport();
    const core = newCore();
    const m = importManager(core);
    const events: { t: number; p: ImportProgress }[] = [];
    core.events.on('import:progress', (p) => events.push({ t: Date.now(), p }));
    const job = await m.start(file, { batchSize: 512, maxInFlight: 1 });
    await new Promise<void>((resolve) => {
      const off = core.events.on('import:progress', (p) => {
        if (p.records > 0 && p.rate > 0 && p.bytesRead > 0) {
          off();
          resolve();
        }
      });
    });
    const t0 = Date.now();
    const cancelled = await m.cancel(job.id);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(cancelled.status).toBe('cancelled');
    const stored = count(core);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(reference);
    const times = events.filter((e) => e.p.status === 'running').map((e) => e.t);
    // At least two a second on average, and never a silent second even on a busy machine.
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect((times.length - 1) / ((times[times.length - 1] - times[0]) / 1000)).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeLessThan(1000);
    expect(events.some((e) => e.p.rate > 0 && e.p.bytesRead > 0), JSON.stringify(events.map((e) => [e.t, e.p.status, e.p.phase, e.p.records, e.p.rate, e.p.bytesRead]))).toBe(true);

    const resumed = await importFile(core, file);
    expect(resumed.id).toBe(job.id);
    expect(resumed.status).toBe('completed');
    expect(count(core)).toBe(reference);
    expect(resumed.summary.samples.inserted).toBe(reference);
    // The run says where its time went, every share measured.
    const timing = resumed.summary.timing!;
    expect(Object.keys(timing).sort()).toEqual(['opening', 'parsing', 'routes', 'waitingForInput', 'waitingForWriter', 'writerIdle', 'writing']);
    for (const v of Object.values(timing)) expect(v).toBeGreaterThanOrEqual(0);
    expect(timing.parsing).toBeGreaterThan(0);
    expect(timing.writing).toBeGreaterThan(0);
    // And once finished, the same file again adds nothing (counted per type, even in bulk inserts).
    const again = await importFile(core, file);
    expect(again.id).not.toBe(job.id);
    expect(again.summary.samples).toEqual({ inserted: 0, duplicates: reference });
    const perType = Object.values(again.summary.byType).reduce((a, t) => a + t.duplicates, 0);
    expect(perType).toBe(reference + again.summary.workouts.duplicates);
  }, 120_000);

  it('an import killed with kill -9 leaves a valid database and finishes on the next run without duplicates', async () => {
    const file = await bigExport();
    const dataDir = tmp();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/main/cli.ts'), '--data-dir', dataDir, 'import', file, '--json'], {
      cwd: PROJECT_ROOT,
      stdio: 'ignore',
    });
    const dbFile = path.join(dataDir, 'vitalsync.db');
    // Wait until some batches are committed, then pull the plug.
    for (let i = 0; i < 2400; i++) {
      await new Promise((r) => setTimeout(r, 25));
      if (!fs.existsSync(dbFile)) continue;
      try {
        const db = new Database(dbFile, { readonly: true });
        const n = (db.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n;
        db.close();
        if (n > 1000) break;
      } catch {
        /* not migrated yet */
      }
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const core = tempCore({ dataDir });
    cores.push(core);
    const [job] = importManager(core).list();
    expect(job.status).toBe('interrupted');
    // No home zone was set: what the stored part said about it was kept for the resumed run.
    const state = JSON.parse(one<{ s: string }>(core, 'SELECT summary_json AS s FROM import_jobs WHERE id = ?', job.id).s).state;
    expect(state.evidence.offsets.length).toBeGreaterThan(0);
    expect(Object.values(one(core, 'PRAGMA integrity_check'))[0]).toBe('ok');
    const partial = count(core);
    expect(partial).toBeLessThan(reference);
    const resumed = await importFile(core, file);
    expect(resumed.id).toBe(job.id);
    expect(resumed.status).toBe('completed');
    expect(count(core)).toBe(reference);
  }, 180_000);
});

const CORPUS = path.resolve(PROJECT_ROOT, '..', 'shared', 'corpus', 'apple-health');

describe.skipIf(!fs.existsSync(CORPUS))('real exports in ../shared/corpus/apple-health', () => {
  it('imports every export in the corpus with status completed', async () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(CORPUS);
    const core = newCore('America/Los_Angeles');
    const results = new Map<string, ImportJob>();
    for (const file of files) {
      if (/\.(txt|md)$/i.test(file)) continue;
      results.set(path.relative(CORPUS, file), await importFile(core, file));
    }
    for (const [name, job] of results) {
      if (/\.(gpx|dtd)$/.test(name)) {
        // A route or a DTD on its own is not an export: refused with a clear message.
        expect(job.status, name).toBe('failed');
        expect(job.error, name).toMatch(/not an Apple Health export/);
      } else expect({ name, status: job.status, error: job.error }).toEqual({ name, status: 'completed', error: null });
    }
    const jshrake = results.get('jshrake+healthkit-to-sqlite/example/export.zip')!;
    expect(jshrake.summary.exportVersion).toBe('12');
    expect(jshrake.summary.routes.points).toBe(644);
    expect(jshrake.summary.workouts.inserted).toBe(1);
    expect(jshrake.summary.notes['ActivitySummary days']).toBe(10);
    const alx = results.get('alxdrcirilo+apple-health-parser/tests/data/export.zip')!;
    // The zip's export.xml holds the same 8 records as the bare copy imported before it.
    expect(alx.summary.samples.inserted + alx.summary.samples.duplicates).toBe(8);
    const tdda = results.get('tdda+applehealthdata/testdata/export6s3sample.xml')!;
    expect(tdda.summary.byType.HKQuantityTypeIdentifierStepCount.read).toBe(10);
    // Every corpus folder that is an unzipped export also imports (routes read from disk).
    const folder = await importFile(core, path.join(CORPUS, 'dogsheep+healthkit-to-sqlite/tests/zip_contents'));
    expect(folder.status).toBe('completed');
    expect(folder.summary.routes.points + folder.summary.routes.duplicates).toBeGreaterThan(0);
  }, 180_000);
});
