// What kind of device an Apple Health origin is (it decides who wins inside `apple_health`):
// its source name when that says something, else the device fields of its first record, so
// Garmin's "Connect" is a watch and outranks the iPhone.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Series } from '../../../../shared/contract';
import { dispatch } from '../../dispatch';
import { makeTempDir } from '../../test/tempCore';
import { deviceKind, parseDevice } from './device';
import { FIX, importCores } from '../test/importCores';

const { newCore, importFile } = importCores({ homeTimeZone: 'America/Los_Angeles' });

const hk = (fields: string) => parseDevice(`<<HKDevice: 0x3018a4a50>, ${fields}>`);

describe('the kind of an Apple Health origin', () => {
  it('comes from the device fields when the source name says nothing', () => {
    const cases: [string, string][] = [
      ['name:Forerunner 255, manufacturer:Garmin, model:Forerunner 255, hardware:006-B3992-00, software:20.26', 'watch'],
      ['name:fēnix 7, manufacturer:Garmin, model:fēnix 7', 'watch'],
      ['name:Venu 2, manufacturer:Garmin', 'watch'],
      ['name:vívoactive 5', 'watch'],
      ['name:Instinct 2 Solar', 'watch'],
      ['name:epix Pro', 'watch'],
      ['name:Enduro 2', 'watch'],
      ['name:Vantage V2, manufacturer:Polar Electro Oy', 'watch'],
      ['name:SUUNTO 9 PEAK', 'watch'],
      ['name:PACE 3, manufacturer:COROS', 'watch'],
      ['name:Charge 6, manufacturer:Fitbit', 'watch'],
      ['name:Amazfit GTR 4', 'watch'],
      ['name:Galaxy Watch6, manufacturer:Samsung', 'watch'],
      ['name:TicWatch Pro 5, manufacturer:Mobvoi', 'watch'],
      ['manufacturer:Mobvoi, model:Wear OS', 'watch'],
      ['name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,7, software:10.2', 'watch'],
      ['name:ScanWatch 2, manufacturer:Withings', 'watch'],
      ['name:Oura, software:2.14.0', 'ring'],
      ['name:Oura Ring Gen3, manufacturer:Oura Health Oy', 'ring'],
      ['name:WHOOP', 'band'],
      ['name:Body+, manufacturer:Withings, model:Withings Scale', 'scale'],
      ['name:Body Cardio, manufacturer:Withings, model:WBS04', 'scale'],
      ['name:Body, manufacturer:Withings', 'scale'],
      ['manufacturer:Withings, model:WBS06', 'scale'],
      ['name:BPM Connect, manufacturer:Withings', 'cuff'],
      ['name:Evolv, manufacturer:OMRON HEALTHCARE', 'cuff'],
      ['name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone15,2, software:17.4', 'phone'],
    ];
    for (const [fields, kind] of cases) expect([fields, deviceKind(hk(fields), 'Connect')]).toEqual([fields, kind]);
  });

  it('the source name decides when it says something; a device nothing classifies is unknown; no device, an app', () => {
    expect(deviceKind(hk('name:iPhone, model:iPhone'), 'Jane’s Apple Watch')).toBe('watch');
    expect(deviceKind(null, 'Jane’s iPhone')).toBe('phone');
    expect(deviceKind(null, 'Oura')).toBe('ring');
    expect(deviceKind(null, 'Connect')).toBe('app');
    expect(deviceKind(null, 'MyFitnessPal')).toBe('app');
    expect(deviceKind(hk('name:Muse S, manufacturer:Interaxon'), 'Mind Monitor')).toBe('unknown');
    // A bare "Withings" is a scale only when nothing says more.
    expect(deviceKind(null, 'Withings')).toBe('scale');
    expect(deviceKind(hk('name:ScanWatch, manufacturer:Withings'), 'Withings')).toBe('watch');
  });

  it('matches "ring" as a word only: "rings" and "Monitoring" are no ring', () => {
    expect(deviceKind(null, 'Activity rings')).toBe('app');
    expect(deviceKind(null, 'Sleep Monitoring')).toBe('app');
    expect(deviceKind(null, 'Galaxy Ring')).toBe('ring');
  });

  it('a Forerunner writing through "Connect" is a watch and its steps beat the iPhone’s overlapping ones', async () => {
    const core = newCore();
    const job = await importFile(core, path.join(FIX, 'export-garmin-connect.xml'));
    expect(job.status).toBe('completed');
    const kinds = core.db.$client.prepare('SELECT name, device_kind AS kind FROM origins ORDER BY name').all();
    expect(kinds).toEqual([
      { name: 'Connect', kind: 'watch' },
      { name: 'Jo’s iPhone', kind: 'phone' },
    ]);
    const res = await dispatch(core.handlers, 'metrics:series', { metric: 'steps', from: '2024-04-09', to: '2024-04-11' });
    if (!res.ok) throw new Error(res.error.message);
    expect((res.value as Series).buckets.map((b) => [b.start, b.value])).toEqual([['2024-04-10', 3400 + 1600]]);
  });

  it('a database that stored "Connect" as an app before learns it is a watch on re-import, and its days are rebuilt', async () => {
    const core = newCore();
    const steps = async () => {
      const res = await dispatch(core.handlers, 'metrics:series', { metric: 'steps', from: '2024-04-09', to: '2024-04-11' });
      if (!res.ok) throw new Error(res.error.message);
      return (res.value as Series).buckets.map((b) => [b.start, b.value]);
    };
    await importFile(core, path.join(FIX, 'export-garmin-connect.xml'));
    // As an older version left it: "Connect" an app, so the iPhone won.
    core.db.$client.prepare("UPDATE origins SET device_kind = 'app' WHERE name = 'Connect'").run();
    await dispatch(core.handlers, 'metrics:rebuild', {});
    const before = await steps();
    expect(before).not.toEqual([['2024-04-10', 3400 + 1600]]);
    const again = await importFile(core, path.join(FIX, 'export-garmin-connect.xml'));
    expect(again.summary.samples.inserted).toBe(0);
    expect(core.db.$client.prepare("SELECT device_kind AS kind FROM origins WHERE name = 'Connect'").get()).toEqual({ kind: 'watch' });
    expect(await steps()).toEqual([['2024-04-10', 3400 + 1600]]);
  });

  it('the first element decides, whatever it is and wherever its device attribute stands', async () => {
    const dev = (fields: string) => `device="&lt;&lt;HKDevice: 0x1&gt;, ${fields}&gt;"`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<HealthData locale="en_US">
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" durationUnit="min" sourceName="Connect" ${dev('name:Forerunner 965, manufacturer:Garmin')} startDate="2024-04-10 07:00:00 -0700" endDate="2024-04-10 07:30:00 -0700"/>
 <Record type="HKQuantityTypeIdentifierStepCount" ${dev('name:Oura, software:2.14.0')} sourceName="Sync Solver" unit="count" startDate="2024-04-10 08:00:00 -0700" endDate="2024-04-10 08:30:00 -0700" value="10"/>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Sync Solver" unit="count" startDate="2024-04-10 09:00:00 -0700" endDate="2024-04-10 09:30:00 -0700" value="10"/>
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Health Mate" unit="kg" startDate="2024-04-10 06:00:00 -0700" endDate="2024-04-10 06:00:00 -0700" value="70"/>
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Health Mate" ${dev('name:Body+, manufacturer:Withings')} unit="kg" startDate="2024-04-11 06:00:00 -0700" endDate="2024-04-11 06:00:00 -0700" value="70"/>
</HealthData>
`;
    const dir = makeTempDir('vitalsync-origins-');
    try {
      const file = path.join(dir, 'export.xml');
      fs.writeFileSync(file, xml);
      const core = newCore();
      expect((await importFile(core, file)).status).toBe('completed');
      expect(core.db.$client.prepare('SELECT name, device_kind AS kind FROM origins ORDER BY name').all()).toEqual([
        { name: 'Connect', kind: 'watch' },
        // Its first record had no device: later devices do not change the kind it was created with.
        { name: 'Health Mate', kind: 'app' },
        { name: 'Sync Solver', kind: 'ring' },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
