// Exports through the real core (SQLite files, derived tables, the import pipeline): a raw CSV
// export imported into an empty data folder gives the same merged values, and again adds
// nothing; merged exports carry the dashboard's values and shares; the FHIR bundle has the
// shape, codes and units a record system expects; the SQLite copy is a whole database.
process.env.TZ = 'Asia/Tokyo';
/* eslint-disable @typescript-eslint/no-explicit-any -- FHIR JSON read back from the file, checked field by field */

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ExportResult, Series, WorkoutItem } from '../../../shared/contract';
import { dispatch } from '../dispatch';
import { call, importCores, type TestCore } from '../imports/test/importCores';
import { insertSamples, insertWorkouts, type TestSample } from '../test/samples';
import { makeTempDir } from '../test/tempCore';
import { csvCell, isoWithOffset } from './out';
import { RAW_CSV_COLUMNS } from './columns';
import { LOINC_SYSTEM, UCUM_SYSTEM } from './loinc';

const HOME = 'America/New_York';
const { newCore, importFile } = importCores({ homeTimeZone: HOME });

const WATCH = 'Jane’s Apple Watch';
const PHONE = 'Jane’s iPhone';

/** Ten days of data from four origins in three sources, in three kinds of zone and both grains. */
function seed(core: TestCore): void {
  const rows: TestSample[] = [];
  for (let d = 1; d <= 10; d++) {
    const day = `2026-03-${String(d).padStart(2, '0')}`;
    // Watch and phone count the same walk: the watch wins, the phone fills the rest.
    rows.push({ source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'steps', start: `${day}T08:00:00-05:00`, end: `${day}T08:30:00-05:00`, value: 1000 + d, zone: 'home' });
    rows.push({ source: 'apple_health', origin: PHONE, deviceKind: 'phone', metric: 'steps', start: `${day}T08:10:00-05:00`, end: `${day}T09:00:00-05:00`, value: 1500, zone: 'home' });
    // Withings' day total (daily grain), in Paris.
    if (d % 2 === 0) rows.push({ source: 'withings', origin: 'ScanWatch', deviceKind: 'watch', metric: 'steps', rawType: 'withings:steps', start: `${day}T00:00:00+01:00`, end: `${day}T23:59:59+01:00`, value: 9000 + d, zone: 'Europe/Paris', day });
    for (let h = 0; h < 24; h += 3) rows.push({ source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'heart_rate', start: `${day}T${String(h).padStart(2, '0')}:15:00-05:00`, value: 55 + ((h + d) % 20), zone: 'home' });
    rows.push({ source: 'withings', origin: 'Body+', deviceKind: 'scale', metric: 'weight', start: `${day}T07:02:03.250+01:00`, value: 70 + d / 10, zone: 'Europe/Paris' });
    rows.push({ source: 'withings', origin: 'BPM Core', deviceKind: 'scale', metric: 'blood_pressure_systolic', start: `${day}T07:30:00+01:00`, value: 120 + d, zone: 'Europe/Paris' });
    rows.push({ source: 'withings', origin: 'BPM Core', deviceKind: 'scale', metric: 'blood_pressure_diastolic', start: `${day}T07:30:00+01:00`, value: 80 + d, zone: 'Europe/Paris' });
    rows.push({ source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'spo2', start: `${day}T03:00:00+09:00`, value: 0.95 + d / 1000 });
    // A night ending this morning: stages from the watch.
    rows.push({ source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'sleep', category: 'light', start: `${day}T00:30:00-05:00`, end: `${day}T03:00:00-05:00`, zone: 'home' });
    rows.push({ source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'sleep', category: 'deep', start: `${day}T03:00:00-05:00`, end: `${day}T04:10:00-05:00`, zone: 'home' });
    rows.push({ source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'sleep', category: 'rem', start: `${day}T04:10:00-05:00`, end: `${day}T06:40:00-05:00`, zone: 'home' });
  }
  insertSamples(core, rows);
  insertWorkouts(core, [
    { source: 'strava', origin: 'Strava', deviceKind: 'app', activityType: 'running', start: '2026-03-03T18:00:00-05:00', end: '2026-03-03T18:41:07-05:00', distanceKm: 8.2, energyKcal: 512, zone: HOME },
    { source: 'apple_health', origin: WATCH, deviceKind: 'watch', activityType: 'running', start: '2026-03-03T18:00:30-05:00', end: '2026-03-03T18:40:00-05:00', distanceKm: 8.1, zone: HOME },
  ]);
}

const COMPARED = ['steps', 'heart_rate', 'weight', 'blood_pressure_systolic', 'blood_pressure_diastolic', 'spo2', 'sleep', 'workouts'] as const;

async function seriesOf(core: TestCore, metric: string, from = '2026-03-01', to = '2026-03-10') {
  const s = await call<Series>(core, 'metrics:series', { metric, from, to, bucket: 'day' });
  // Origin ids differ between databases; what a person sees is the origin's name.
  return s.buckets.map((b) => ({ ...b, sources: b.sources.map(({ originId: _, ...rest }) => rest) }));
}

async function exportTo(core: TestCore, request: Record<string, unknown>, name: string, dir = makeTempDir()): Promise<ExportResult & { file: string }> {
  const file = path.join(dir, name);
  const res = await dispatch(core.handlers, 'export:run', { request, out: file });
  if (!res.ok) throw new Error(res.error.message);
  return { ...(res.value as ExportResult), file };
}

describe('raw export, imported again', () => {
  it('re-importing a raw CSV export into an empty data folder gives the same merged values, and again adds nothing', async () => {
    const a = newCore();
    seed(a);
    const out = await exportTo(a, { from: '2026-03-01', to: '2026-03-10', format: 'csv', values: 'raw' }, 'raw.csv');
    const total = (a.db.$client.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n + 2;
    expect(out.rows).toBe(total);

    const b = newCore();
    const job = await importFile(b, out.file);
    expect(job.status).toBe('completed');
    expect(job.kind).toBe('vitalsync');
    expect(job.summary.rejected).toMatchObject({ total: 0 });
    expect(job.summary.samples.inserted + job.summary.workouts.inserted).toBe(total);
    for (const metric of COMPARED) expect(await seriesOf(b, metric), metric).toEqual(await seriesOf(a, metric));
    // The run both sources saw is still one workout with its copy.
    const workouts = async (core: TestCore) =>
      (await call<WorkoutItem[]>(core, 'metrics:workouts', { from: '2026-03-01', to: '2026-03-10' })).map(({ id: _, duplicates, ...w }) => ({ ...w, duplicates: duplicates.length }));
    expect(await workouts(b)).toEqual(await workouts(a));
    expect((await workouts(b))[0]).toMatchObject({ source: 'strava', distanceKm: 8.2, duplicates: 1 });

    // Sources, origins, device kinds, zones and the day grain came back exactly.
    const facts = (core: TestCore) =>
      core.db.$client
        .prepare(
          `SELECT o.source, o.name, o.device_kind AS kind, t.raw_type AS raw, t.unit, s.start_ms, s.end_ms, s.day, s.value, s.category, s.zone_src AS zs, coalesce(z.name, '') AS zone
           FROM samples s JOIN origins o ON o.id = s.origin_id JOIN sample_types t ON t.id = s.type_id LEFT JOIN zones z ON z.id = s.zone_id
           ORDER BY o.source, o.name, t.raw_type, s.start_ms, s.value`,
        )
        .all();
    expect(facts(b)).toEqual(facts(a));

    const again = await importFile(b, out.file);
    expect(again.status).toBe('completed');
    expect(again.summary.samples.inserted + again.summary.workouts.inserted).toBe(0);
  });

  it('a raw export keeps only the samples that touch the range’s local days (by the zone they were recorded in)', async () => {
    const a = newCore();
    seed(a);
    const out = await exportTo(a, { from: '2026-03-04', to: '2026-03-04', format: 'csv', values: 'raw', metrics: ['weight', 'steps'] }, 'day.csv');
    const lines = fs.readFileSync(out.file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(RAW_CSV_COLUMNS.join(','));
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.filter((r) => r[0] === 'weight')).toHaveLength(1);
    // Watch and phone walks, and Withings' total for the 4th (daily grain, Paris).
    expect(rows.filter((r) => r[0] === 'steps').map((r) => `${r[1]}|${r[9]}|${r[10]}|${r[11]}`)).toEqual([
      'apple_health|||home',
      'apple_health|||home',
      'withings|2026-03-04|Europe/Paris|record',
    ]);
    // Local time with the offset of the zone it was recorded in, milliseconds kept.
    expect(rows.find((r) => r[0] === 'weight')![7]).toBe('2026-03-04T07:02:03.250+01:00');
  });

  it('the same raw samples as JSON carry the home zone and every field', async () => {
    const a = newCore();
    seed(a);
    const out = await exportTo(a, { from: '2026-03-02', to: '2026-03-02', format: 'json', values: 'raw', metrics: ['steps'] }, 'raw.json');
    const doc = JSON.parse(fs.readFileSync(out.file, 'utf8')) as { values: string; homeTimeZone: string; samples: Record<string, unknown>[] };
    expect(doc.values).toBe('raw');
    expect(doc.homeTimeZone).toBe(HOME);
    expect(doc.samples).toHaveLength(3);
    expect(doc.samples.find((s) => s.source === 'withings')).toMatchObject({ metric: 'steps', origin: 'ScanWatch', deviceKind: 'watch', day: '2026-03-02', zone: 'Europe/Paris', zoneSource: 'record', value: 9002 });
  });
});

describe('merged export', () => {
  it('CSV: one row per metric and day with the dashboard’s value and the sources’ shares', async () => {
    const a = newCore();
    seed(a);
    const out = await exportTo(a, { from: '2026-03-01', to: '2026-03-10', format: 'csv', metrics: ['steps', 'weight'] }, 'merged.csv');
    const lines = fs.readFileSync(out.file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('metric,day,value,unit,min,max,excluded,sources,stages');
    expect(lines).toHaveLength(21);
    expect(out.rows).toBe(20);
    const steps = await call<Series>(a, 'metrics:series', { metric: 'steps', from: '2026-03-01', to: '2026-03-10', bucket: 'day' });
    const b = steps.buckets[1];
    expect(lines[2]).toBe(['steps', b.start, b.value, 'count', '', '', b.excluded, csvCell(JSON.stringify(b.sources.map((s) => ({ source: s.source, origin: s.origin, share: s.share }))))].join(',') + ',');
    // Apple Health is first by default: the watch's walk, the phone filling the minutes it left.
    expect(b.sources.map((s) => s.origin)).toEqual([WATCH, PHONE]);
  });

  it('JSON: every metric with data, with min/max for readings and stages for sleep', async () => {
    const a = newCore();
    seed(a);
    const out = await exportTo(a, { from: '2026-03-01', to: '2026-03-10', format: 'json' }, 'merged.json');
    const doc = JSON.parse(fs.readFileSync(out.file, 'utf8')) as { metrics: { metric: string; unit: string; days: Record<string, unknown>[] }[] };
    expect(doc.metrics.map((m) => m.metric).sort()).toEqual(['blood_pressure_diastolic', 'blood_pressure_systolic', 'heart_rate', 'sleep', 'spo2', 'steps', 'weight', 'workouts']);
    const hr = doc.metrics.find((m) => m.metric === 'heart_rate')!;
    expect(hr.days).toHaveLength(10);
    expect(hr.days[0]).toHaveProperty('min');
    const sleep = doc.metrics.find((m) => m.metric === 'sleep')!;
    expect(sleep.days[0]).toMatchObject({ value: 370, stages: expect.objectContaining({ deep: 70 }) });
  });

  it('refuses a range given by one end, a relative path, and the database itself, saying what to do', async () => {
    const a = newCore();
    const bad = async (input: unknown) => {
      const res = await dispatch(a.handlers, 'export:run', input);
      expect(res.ok).toBe(false);
      return (res as { error: { message: string } }).error.message;
    };
    expect(await bad({ request: { from: '2026-03-01', format: 'csv' }, out: path.join(makeTempDir(), 'x.csv') })).toMatch(/both ends/);
    expect(await bad({ request: { format: 'csv' }, out: 'x.csv' })).toMatch(/absolute path/);
    expect(await bad({ request: { format: 'sqlite' }, out: a.dbFile })).toMatch(/own database/);
    expect(await bad({ request: { format: 'csv' }, out: '/no/such/folder/x.csv' })).toMatch(/does not exist/);
    expect(await bad({ request: { from: '2026-03-05', to: '2026-03-01', format: 'csv' }, out: path.join(makeTempDir(), 'x.csv') })).toMatch(/swap the dates/);
  });
});

interface FhirBundle {
  resourceType: string;
  type: string;
  entry: { fullUrl: string; resource: Record<string, any> }[];
}

/** The shape checks a FHIR R4 record system applies to what we write (no network validator). */
function checkBundle(bundle: FhirBundle): { observations: Record<string, any>[]; devices: Map<string, Record<string, any>> } {
  expect(bundle.resourceType).toBe('Bundle');
  expect(bundle.type).toBe('collection');
  const devices = new Map<string, Record<string, any>>();
  const observations: Record<string, any>[] = [];
  const urls = new Set<string>();
  for (const e of bundle.entry) {
    expect(e.fullUrl).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(urls.has(e.fullUrl)).toBe(false);
    urls.add(e.fullUrl);
    if (e.resource.resourceType === 'Device') devices.set(e.fullUrl, e.resource);
    else observations.push(e.resource);
  }
  for (const o of observations) {
    expect(o.resourceType).toBe('Observation');
    expect(o.status).toBe('final');
    expect(o.category[0].coding[0].system).toBe('http://terminology.hl7.org/CodeSystem/observation-category');
    expect(['vital-signs', 'activity', 'laboratory']).toContain(o.category[0].coding[0].code);
    expect(o.code.coding.length).toBeGreaterThan(0);
    for (const c of o.code.coding) {
      expect(c.system).toBe(LOINC_SYSTEM);
      expect(c.code).toMatch(/^\d{1,7}-\d$/);
    }
    expect(Boolean(o.effectiveDateTime) !== Boolean(o.effectivePeriod)).toBe(true);
    if (o.effectiveDateTime) expect(o.effectiveDateTime).toMatch(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2}))?$/);
    const quantities = o.valueQuantity ? [o.valueQuantity] : o.component.map((c: any) => c.valueQuantity);
    expect(quantities.length).toBeGreaterThan(0);
    for (const q of quantities) {
      expect(typeof q.value).toBe('number');
      expect(q.system).toBe(UCUM_SYSTEM);
      expect(q.code).toBeTruthy();
      expect(q.unit).toBeTruthy();
    }
    expect(devices.has(o.device.reference)).toBe(true);
    expect(o.device.display).toBe(devices.get(o.device.reference)!.deviceName[0].name);
    expect(o.meta.source).toMatch(/^urn:vitalsync:source:[a-z_]+$/);
  }
  return { observations, devices };
}

const codeOf = (o: Record<string, any>) => o.code.coding[0].code as string;

describe('FHIR export', () => {
  it('merged days: a collection Bundle of coded Observations with UCUM units, the device and the source, blood pressure as one panel', async () => {
    const a = newCore();
    seed(a);
    const out = await exportTo(a, { from: '2026-03-01', to: '2026-03-10', format: 'fhir' }, 'merged.fhir.json');
    const { observations, devices } = checkBundle(JSON.parse(fs.readFileSync(out.file, 'utf8')) as FhirBundle);
    expect(out.rows).toBe(observations.length);
    // Workouts have no sound LOINC code: left out, and said so.
    expect(out.omitted).toEqual(['workouts']);
    const byCode = (c: string) => observations.filter((o) => codeOf(o) === c);
    expect(byCode('41950-7')).toHaveLength(10);
    const steps = await call<Series>(a, 'metrics:series', { metric: 'steps', from: '2026-03-01', to: '2026-03-10', bucket: 'day' });
    expect(byCode('41950-7')[1]).toMatchObject({ effectiveDateTime: '2026-03-02', valueQuantity: { value: steps.buckets[1].value, code: '/d' }, category: [{ coding: [{ code: 'activity' }] }] });
    // The origin that supplied most of the day.
    expect(byCode('41950-7')[1].device.display).toBe(WATCH);
    expect(byCode('8867-4')[0].valueQuantity).toMatchObject({ code: '/min', system: UCUM_SYSTEM });
    expect(byCode('29463-7')[0].valueQuantity).toMatchObject({ value: 70.1, code: 'kg' });
    expect(byCode('2708-6')[0].code.coding.map((c: any) => c.code)).toEqual(['2708-6', '59408-5']);
    expect(byCode('2708-6')[0].valueQuantity.code).toBe('%');
    expect(byCode('2708-6')[0].valueQuantity.value).toBeCloseTo(95.1, 6);
    expect(byCode('93832-4')[0].valueQuantity).toMatchObject({ value: 370, code: 'min' });
    const bp = byCode('85354-9');
    expect(bp).toHaveLength(10);
    expect(bp[0].component.map((c: any) => [c.code.coding[0].code, c.valueQuantity.value, c.valueQuantity.code])).toEqual([
      ['8480-6', 121, 'mm[Hg]'],
      ['8462-4', 81, 'mm[Hg]'],
    ]);
    expect(bp[0].meta.source).toBe('urn:vitalsync:source:withings');
    expect([...devices.values()].map((d) => d.deviceName[0].name).sort()).toEqual(['BPM Core', 'Body+', WATCH].sort());
    // The merge's shares, for a reader.
    expect(byCode('41950-7')[0].note[0].text).toMatch(/Jane’s Apple Watch \(apple_health\)/);
  });

  it('raw samples: each reading at its instant with its zone’s offset, intervals as periods, day totals as dates', async () => {
    const a = newCore();
    seed(a);
    const out = await exportTo(a, { from: '2026-03-02', to: '2026-03-02', format: 'fhir', values: 'raw' }, 'raw.fhir.json');
    const { observations } = checkBundle(JSON.parse(fs.readFileSync(out.file, 'utf8')) as FhirBundle);
    expect(out.omitted.sort()).toEqual(['sleep', 'workouts']);
    const steps = observations.filter((o) => codeOf(o) === '55423-8');
    expect(steps.map((o) => o.effectivePeriod?.start ?? o.effectiveDateTime).sort()).toEqual(['2026-03-02', '2026-03-02T08:00:00-05:00', '2026-03-02T08:10:00-05:00']);
    const weight = observations.find((o) => codeOf(o) === '29463-7')!;
    expect(weight.effectiveDateTime).toBe('2026-03-02T07:02:03.250+01:00');
    expect(weight.device.display).toBe('Body+');
    const bp = observations.filter((o) => codeOf(o) === '85354-9');
    expect(bp).toHaveLength(1);
    expect(bp[0].component).toHaveLength(2);
  });
});

describe('SQLite copy', () => {
  it('is a whole, self-contained database made with the backup API while another connection writes', async () => {
    const a = newCore();
    seed(a);
    const writer = new Database(a.dbFile);
    writer.pragma('busy_timeout = 5000');
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare("INSERT INTO meta (key, value) VALUES ('export-test', 'uncommitted')").run();
    const out = await exportTo(a, { format: 'sqlite' }, 'copy.sqlite');
    writer.exec('COMMIT');
    writer.close();
    expect(out.rows).toBeGreaterThan(0);
    expect(fs.statSync(out.file).size).toBe(out.bytes);
    expect(fs.existsSync(`${out.file}-wal`)).toBe(false);
    const copy = new Database(out.file, { readonly: true });
    try {
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((copy.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n).toBe((a.db.$client.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n);
      // What was not committed when the copy was made is not in it.
      expect(copy.prepare("SELECT 1 FROM meta WHERE key = 'export-test'").get()).toBeUndefined();
    } finally {
      copy.close();
    }
    // Nothing half-written is left beside it.
    expect(fs.readdirSync(path.dirname(out.file))).toEqual(['copy.sqlite']);
  });
});

describe('isoWithOffset', () => {
  it('writes local time with the offset, milliseconds only when there are some, and reads back exactly', () => {
    const ms = Date.UTC(2026, 2, 2, 12, 0, 0, 250);
    expect(isoWithOffset(ms, 60)).toBe('2026-03-02T13:00:00.250+01:00');
    expect(isoWithOffset(ms - 250, -300)).toBe('2026-03-02T07:00:00-05:00');
    expect(isoWithOffset(ms, 0)).toBe('2026-03-02T12:00:00.250Z');
    expect(Date.parse(isoWithOffset(ms, 330))).toBe(ms);
  });
});

