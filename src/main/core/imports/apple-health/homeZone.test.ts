// With no home zone set, an Apple Health import assumes the one the export points to (the
// zone its records carry that agrees with the offsets written in its dates, else those offsets
// and its locale), says so, and never uses this computer's zone. The machine's zone is Tokyo on
// purpose (UTC in one test).
process.env.TZ = 'Asia/Tokyo';

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Series } from '../../../../shared/contract';
import { runCliInProcess } from '../../../cli/test/runInProcess';
import { makeTempDir } from '../../test/tempCore';
import { HOME_ZONE_ID, ZONE_SRC } from '../../time/zones';
import { call, fx, importCores } from '../test/importCores';

const { newCore, importFile } = importCores({
  homeTimeZone: null,
  after: () => {
    process.env.TZ = 'Asia/Tokyo';
  },
});

const WARNING =
  'No home time zone was set: VitalSync assumed America/Los_Angeles (from the dates in this export). Days of records without their own zone are counted there; ' +
  'change it in Settings, or with `vitalsync settings set homeTimeZone <zone>`.';

describe('an import with no home zone set', () => {
  for (const machineZone of ['Asia/Tokyo', 'UTC']) {
    it(`assumes the zone the export's dates point to (Los Angeles), says so, and keeps samples in the home zone (computer in ${machineZone})`, async () => {
      process.env.TZ = machineZone;
      const core = newCore(null);
      const job = await importFile(core, fx('export-no-home-zone.xml'));
      expect(job.error).toBeNull();
      expect(job.status).toBe('completed');
      expect(core.settings.get()).toMatchObject({ homeTimeZone: 'America/Los_Angeles', homeTimeZoneAssumed: true });
      expect(job.summary.warnings).toContain(WARNING);
      // Samples without a zone of their own follow the home zone, whatever it becomes.
      const zones = core.db.$client.prepare('SELECT DISTINCT zone_id AS id, zone_src AS src FROM samples').all();
      expect(zones).toEqual([{ id: HOME_ZONE_ID, src: ZONE_SRC.home }]);
      // ActivitySummary's day lies between that day's midnights in the assumed zone.
      const ring = core.db.$client
        .prepare("SELECT s.start_ms AS s, s.end_ms AS e, s.day FROM samples s JOIN sample_types t ON t.id = s.type_id WHERE t.raw_type = 'ActivitySummary.appleExerciseTime'")
        .get() as { s: number; e: number; day: number };
      expect(ring).toEqual({ s: Date.parse('2023-05-22T00:00:00-07:00'), e: Date.parse('2023-05-23T00:00:00-07:00'), day: Date.UTC(2023, 4, 22) / 86_400_000 });
      // Imported again: the zone is set now (assumed), so nothing is assumed or added twice.
      const again = await importFile(core, fx('export-no-home-zone.xml'));
      expect(again.summary.samples.inserted).toBe(0);
      expect(again.summary.warnings).toEqual([]);
    });
  }

  it('the zone most records carry themselves wins (HKTimeZone)', async () => {
    const core = newCore(null);
    const job = await importFile(core, fx('export-multisport.xml'));
    expect(job.status).toBe('completed');
    expect(core.settings.get()).toMatchObject({ homeTimeZone: 'Australia/Sydney', homeTimeZoneAssumed: true });
    expect(job.summary.warnings[0]).toMatch(/^No home time zone was set: VitalSync assumed Australia\/Sydney \(from the time zones recorded with the samples in this export\)/);
  });

  it('one record made on a trip (HKTimeZone Asia/Tokyo) does not outvote dates written in Los Angeles', async () => {
    const core = newCore(null);
    const job = await importFile(core, fx('export-trip-hktimezone.xml'));
    expect(job.status).toBe('completed');
    expect(core.settings.get()).toMatchObject({ homeTimeZone: 'America/Los_Angeles', homeTimeZoneAssumed: true });
    expect(job.summary.warnings).toContain(WARNING);
    // 21:00 on 18 September in Los Angeles (19 September in Tokyo).
    const steps = await call<Series>(core, 'metrics:series', { metric: 'steps', from: '2023-09-17', to: '2023-09-20' });
    expect(steps.buckets.map((b) => [b.start, b.value])).toEqual([['2023-09-18', 900]]);
    // The trip's record keeps its own zone.
    const zones = core.db.$client.prepare('SELECT DISTINCT z.name FROM samples s JOIN zones z ON z.id = s.zone_id WHERE s.zone_src = ?').all(ZONE_SRC.record);
    expect(zones).toEqual([{ name: 'Asia/Tokyo' }]);
  });

  it('records carrying Europe/Berlin, with dates written at +01:00/+02:00, give Berlin even with locale en_US', async () => {
    const core = newCore(null);
    const job = await importFile(core, fx('export-hktimezone-berlin-en-us.xml'));
    expect(job.status).toBe('completed');
    expect(core.settings.get()).toMatchObject({ homeTimeZone: 'Europe/Berlin', homeTimeZoneAssumed: true });
    expect(job.summary.warnings[0]).toMatch(/^No home time zone was set: VitalSync assumed Europe\/Berlin \(from the time zones recorded with the samples in this export\)/);
    // The iPhone's steps (no zone of their own) at 00:30 on 2 August in Berlin.
    const steps = await call<Series>(core, 'metrics:series', { metric: 'steps', from: '2023-07-31', to: '2023-08-03' });
    expect(steps.buckets.map((b) => [b.start, b.value])).toEqual([['2023-08-02', 300]]);
  });

  it('a home zone the person set is kept and nothing is assumed, but dates written in another zone are pointed out', async () => {
    const core = newCore('Europe/Paris');
    const job = await importFile(core, fx('export-no-home-zone.xml'));
    expect(job.status).toBe('completed');
    expect(core.settings.get()).toMatchObject({ homeTimeZone: 'Europe/Paris', homeTimeZoneAssumed: false });
    expect(job.summary.warnings).toEqual([
      'The dates in this export were written in America/Los_Angeles time, but your home time zone is Europe/Paris, so days of records without their own zone are counted in Europe/Paris. ' +
        'If you live in America/Los_Angeles, make it your home time zone in Settings (or `vitalsync settings set homeTimeZone America/Los_Angeles`) and the days are counted again. ' +
        'If the phone was only travelling when you exported, nothing needs doing.',
    ]);
  });

  it('a computer’s UTC confirmed on the first run, then an export written in Los Angeles: warned, and right once the person takes its zone', async () => {
    const core = newCore('UTC');
    const job = await importFile(core, fx('export-no-home-zone.xml'));
    expect(job.status).toBe('completed');
    expect(job.summary.warnings).toHaveLength(1);
    expect(job.summary.warnings[0]).toMatch(/^The dates in this export were written in America\/Los_Angeles time, but your home time zone is UTC,/);
    expect(job.summary.writtenZone).toEqual({ zone: 'America/Los_Angeles', basis: 'offsets', home: 'UTC' });
    await call(core, 'settings:set', { homeTimeZone: 'America/Los_Angeles' });
    const again = await importFile(core, fx('export-no-home-zone.xml'));
    expect(again.summary.warnings).toEqual([]);
  });

  it('an export written in the home zone the person set gets no zone warning', async () => {
    const core = newCore('America/Los_Angeles');
    const job = await importFile(core, fx('export-no-home-zone.xml'));
    expect(job.status).toBe('completed');
    expect(job.summary.warnings).toEqual([]);
    expect(job.summary.writtenZone).toBeUndefined();
  });

  it('nothing is assumed from an export of which nothing could be read', async () => {
    const core = newCore(null);
    const job = await importFile(core, fx('export-unreadable-dates.xml'));
    expect(job.status).toBe('failed');
    expect(core.settings.get().homeTimeZone).toBeNull();
  });

  // End to end through the merge (core/derived, being reworked onto zone ids): the days are the
  // ones where the samples were recorded, in the assumed zone, not Tokyo's or UTC's.
  it('counts steps and weight on the days they were recorded in the assumed zone', async () => {
    const core = newCore(null);
    const job = await importFile(core, fx('export-no-home-zone.xml'));
    expect(job.status).toBe('completed');
    const steps = await call<Series>(core, 'metrics:series', { metric: 'steps', from: '2023-05-21', to: '2023-05-24' });
    expect(steps.buckets.map((b) => [b.start, b.value])).toEqual([
      ['2023-05-22', 2200 + 2600],
      ['2023-05-23', 650],
    ]);
    const weight = await call<Series>(core, 'metrics:series', { metric: 'weight', from: '2023-05-21', to: '2023-05-24' });
    expect(weight.buckets.map((b) => b.start)).toEqual(['2023-05-22']);
    expect(weight.buckets[0].value).toBeCloseTo(190 * 0.45359237, 2); // 86.18 kg (the series rounds)
  });

  it('an iOS 8 export (compact dates, -08:00 in November, en_US) counts its days in Los Angeles', async () => {
    const core = newCore(null);
    const job = await importFile(core, fx('export-ios8-compact-dates.xml'));
    expect(job.status).toBe('completed');
    expect(core.settings.get().homeTimeZone).toBe('America/Los_Angeles');
    const steps = await call<Series>(core, 'metrics:series', { metric: 'steps', from: '2014-11-02', to: '2014-11-05' });
    expect(steps.buckets.map((b) => [b.start, b.value])).toEqual([['2014-11-03', 1500 + 2500]]);
    const weight = await call<Series>(core, 'metrics:series', { metric: 'weight', from: '2014-11-02', to: '2014-11-05' });
    expect(weight.buckets.map((b) => [b.start, Math.round(b.value * 100) / 100])).toEqual([['2014-11-04', 68.04]]);
  });
});

describe('the command line', () => {
  it('`vitalsync import` tells which home zone it assumed', async () => {
    const [a, b] = [makeTempDir(), makeTempDir()];
    try {
      const text = await runCliInProcess(['--data-dir', a, 'import', fx('export-no-home-zone.xml')]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`note: ${WARNING}`);
      const setting = await runCliInProcess(['--data-dir', a, 'settings', 'get', 'homeTimeZone']);
      expect(setting.stdout.trim()).toBe('America/Los_Angeles');
      const json = await runCliInProcess(['--data-dir', b, 'import', fx('export-no-home-zone.xml'), '--json']);
      expect(JSON.parse(json.stdout).warnings).toContain(WARNING);
    } finally {
      for (const d of [a, b]) fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
