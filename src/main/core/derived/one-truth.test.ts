// The field cases of "one truth from many sources": each row of a new user's report, with the
// hand-computed right value, through the real core (SQLite file, derived tables, dispatch).
// The machine's zone is Tokyo on purpose: nothing may bucket by it.
process.env.TZ = 'Asia/Tokyo';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Explain, RebuildState, Series, WorkoutItem } from '../../../shared/contract';
import { dispatch } from '../dispatch';
import type { Core } from '../index';
import { SampleWriter } from '../samples';
import { insertSamples, insertWorkouts, type TestSample } from '../test/samples';
import { tempCore } from '../test/tempCore';
import { parseDay, ZONE_SRC } from '../time/zones';

const WATCH = 'Jane’s Apple Watch';
const PHONE = 'Jane’s iPhone';

async function call<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const res = await dispatch(core.handlers, channel, input);
  if (!res.ok) throw new Error(`${channel}: ${res.error.message}`);
  return res.value as T;
}

const watchSteps = (start: string, end: string, value: number): TestSample => ({
  source: 'apple_health',
  origin: WATCH,
  deviceKind: 'watch',
  metric: 'steps',
  start,
  end,
  value,
});

/** Withings' total for one Paris day: midnight to midnight, daily grain. */
const withingsDay = (day: string, start: string, end: string, value: number): TestSample => ({
  source: 'withings',
  origin: 'ScanWatch',
  deviceKind: 'watch',
  metric: 'steps',
  start,
  end,
  value,
  zone: 'Europe/Paris',
  day,
});

/** Ten 6-minute walks of `each` steps on 2026-03-02 in Paris, 08:00 to 17:00. */
const tenWalks = (each: number) =>
  Array.from({ length: 10 }, (_, i) => {
    const h = String(8 + i).padStart(2, '0');
    return watchSteps(`2026-03-02T${h}:00:00+01:00`, `2026-03-02T${h}:06:00+01:00`, each);
  });

describe('one truth from many sources', () => {
  let core: ReturnType<typeof tempCore>;
  beforeEach(() => {
    core = tempCore({ clock: () => Date.parse('2026-03-10T12:00:00Z') });
  });
  afterEach(() => core.cleanup());

  const series = (metric: string, from: string, to = from, bucket = 'day') => call<Series>(core, 'metrics:series', { metric, from, to, bucket });
  const dayValues = async (metric: string, from: string, to = from) => Object.fromEntries((await series(metric, from, to)).buckets.map((b) => [b.start, b.value]));
  const prefs = (category: string, sources: string[], fillGaps = true) => call(core, 'prefs:set', { category, sources, fillGaps });

  it('1: a daily total from a lower source is never sliced into the hours the Watch leaves empty (10,000, not 19,583)', async () => {
    insertSamples(core, [...tenWalks(1_000), withingsDay('2026-03-02', '2026-03-02T00:00:00+01:00', '2026-03-03T00:00:00+01:00', 10_000)]);
    await prefs('activity', ['apple_health', 'withings'], true);
    expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 10_000 });
    const e = await call<Explain>(core, 'metrics:explain', { metric: 'steps', bucketStart: '2026-03-02' });
    expect(e.samples.find((s) => s.source === 'withings')?.status).toBe('overlap');
  });

  it('2: a daily total of 0 from a device that recorded nothing is missing data: the Watch supplies the day', async () => {
    insertSamples(core, [...tenWalks(500), withingsDay('2026-03-02', '2026-03-02T00:00:00+01:00', '2026-03-03T00:00:00+01:00', 0)]);
    await prefs('activity', ['withings', 'apple_health'], true);
    expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 5_000 });
    const e = await call<Explain>(core, 'metrics:explain', { metric: 'steps', bucketStart: '2026-03-02' });
    expect(e.samples.find((s) => s.source === 'withings')?.status).toBe('zero-total');
  });

  it('3: a 25-hour day’s total stays whole on its own date (Paris, 2025-10-26)', async () => {
    insertSamples(core, [withingsDay('2025-10-26', '2025-10-26T00:00:00+02:00', '2025-10-27T00:00:00+01:00', 25_000)]);
    expect(await dayValues('steps', '2025-10-25', '2025-10-28')).toEqual({ '2025-10-26': 25_000 });
  });

  it('4: two overlapping samples of one device count once (the latest written), never summed', async () => {
    insertSamples(core, [watchSteps('2026-03-02T08:00:00+01:00', '2026-03-02T09:00:00+01:00', 600), watchSteps('2026-03-02T08:00:00+01:00', '2026-03-02T09:00:00+01:00', 610)]);
    expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 610 });
    const legend = (await series('steps', '2026-03-02')).legend[0];
    expect(legend.reasons.map((r) => r.code)).toContain('duplicates');
  });

  it('5: a provider revising a day after a zone change replaces it (9,000, not 14,000)', async () => {
    const sql = core.db.$client;
    const writer = new SampleWriter(sql, 'withings');
    const day = parseDay('2026-03-02')!;
    const rec = (value: number, zone: string, start: string, end: string) => ({
      rawType: 'activity.steps',
      metric: 'steps',
      unit: 'count',
      origin: { name: 'ScanWatch', deviceKind: 'watch' },
      startMs: Date.parse(start),
      endMs: Date.parse(end),
      zone: { name: zone, src: ZONE_SRC.provider },
      day,
      value,
    });
    sql.transaction(() => writer.write([rec(5_000, 'Europe/Paris', '2026-03-02T00:00:00+01:00', '2026-03-03T00:00:00+01:00')], [], 'sync:1'))();
    expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 5_000 });
    const counts = sql.transaction(() => writer.write([rec(9_000, 'America/New_York', '2026-03-02T00:00:00-05:00', '2026-03-03T00:00:00-05:00')], [], 'sync:2'))();
    expect(counts).toMatchObject({ inserted: 1, replaced: 1 });
    // As the sync engine does after each page.
    core.events.emit('data:changed', { reason: 'sync', fromMs: counts.fromMs, toMs: counts.toMs });
    expect(await dayValues('steps', '2026-03-01', '2026-03-03')).toEqual({ '2026-03-02': 9_000 });
  });

  it('5b: a revision written by another process (a CLI sync while the app runs) is seen without an event', async () => {
    const day = parseDay('2026-03-02')!;
    const rec = (value: number, start: string, end: string) => ({
      rawType: 'activity.steps',
      metric: 'steps',
      unit: 'count',
      origin: { name: 'ScanWatch', deviceKind: 'watch' },
      startMs: Date.parse(start),
      endMs: Date.parse(end),
      zone: { name: 'Europe/Paris', src: ZONE_SRC.provider },
      day,
      value,
    });
    const sql = core.db.$client;
    const mine = new SampleWriter(sql, 'withings');
    sql.transaction(() => mine.write([rec(5_000, '2026-03-02T00:00:00+01:00', '2026-03-03T00:00:00+01:00')], [], 'sync:1'))();
    expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 5_000 });
    // The other process: its own connection; the revision deletes the top row and SQLite hands
    // its id out again, so no new id tells this core anything changed.
    const other = tempCore({ dataDir: core.dataDir });
    try {
      const theirs = new SampleWriter(other.db.$client, 'withings');
      other.db.$client.transaction(() => theirs.write([rec(9_000, '2026-03-02T00:00:00+01:00', '2026-03-03T00:00:00+01:00')], [], 'sync:2'))();
    } finally {
      other.close();
    }
    expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 9_000 });
    // Once every metric caught up, the noted span is cleared.
    await core.derived.whenIdle();
    expect(sql.prepare("SELECT value FROM meta WHERE key = 'samples.deleted_from'").get()).toEqual({ value: '' });
  });

  describe('changes made by another process (the CLI while the app runs)', () => {
    const day = (d: string, value: number): TestSample => watchSteps(`${d}T09:00:00+01:00`, `${d}T10:00:00+01:00`, value);
    const other = () => tempCore({ dataDir: core.dataDir });

    it('new rows that reuse the ids of deleted top rows are seen', async () => {
      insertSamples(core, [day('2026-03-02', 1_000)]);
      expect(await dayValues('steps', '2026-03-01', '2026-03-09')).toEqual({ '2026-03-02': 1_000 });
      await core.derived.whenIdle();
      const cli = other();
      try {
        // Disconnect with --delete-data, then an import of other days: SQLite hands the freed ids out again.
        cli.db.$client.prepare('DELETE FROM samples').run();
        // The first new row takes the freed id and lies far from the deleted day.
        insertSamples(cli, [day('2026-04-20', 5_000), day('2026-03-03', 6_000)]);
      } finally {
        cli.close();
      }
      expect(await dayValues('steps', '2026-03-01', '2026-04-30')).toEqual({ '2026-03-03': 6_000, '2026-04-20': 5_000 });
    });

    it('a deletion landing inside a span being rebuilt is not forgotten', async () => {
      const ids = insertSamples(core, [day('2026-03-01', 100), day('2026-03-03', 300), day('2026-03-05', 500)]);
      expect(await dayValues('steps', '2026-03-01', '2026-03-09')).toEqual({ '2026-03-01': 100, '2026-03-03': 300, '2026-03-05': 500 });
      await core.derived.whenIdle();
      const cli = other();
      try {
        cli.db.$client.prepare('DELETE FROM samples WHERE id IN (?, ?)').run(ids[0], ids[2]);
        expect(await dayValues('steps', '2026-03-01', '2026-03-09')).toEqual({ '2026-03-03': 300 });
        // While the app still rebuilds the span in the background, the CLI deletes inside it.
        cli.db.$client.prepare('DELETE FROM samples WHERE id = ?').run(ids[1]);
      } finally {
        cli.close();
      }
      await core.derived.whenIdle();
      expect(await dayValues('steps', '2026-03-01', '2026-03-09')).toEqual({});
    });
  });

  it('a full rebuild that failed after emptying the tables is done again after a restart', async () => {
    insertSamples(core, tenWalks(1_000));
    expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 10_000 });
    await core.derived.whenIdle();
    const sql = core.db.$client;
    sql.exec(`CREATE TRIGGER break_rebuilds BEFORE INSERT ON derived_daily BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    const res = await dispatch(core.handlers, 'metrics:rebuild', {});
    expect(res.ok).toBe(false);
    sql.exec('DROP TRIGGER break_rebuilds');
    core.close();
    const restarted = tempCore({ dataDir: core.dataDir });
    try {
      const s = await call<Series>(restarted, 'metrics:series', { metric: 'steps', from: '2026-03-02', to: '2026-03-02' });
      expect(s.buckets.map((b) => b.value)).toEqual([10_000]);
    } finally {
      restarted.close();
    }
    core = tempCore({ dataDir: core.dataDir });
  });

  it('6: changing the home zone re-dates samples that have no zone of their own, without re-import', async () => {
    await call(core, 'settings:set', { homeTimeZone: 'Asia/Tokyo' });
    // 08:00 in Tokyo on 2 March is 15:00 on 1 March in Los Angeles.
    insertSamples(core, [{ ...watchSteps('2026-03-02T08:00:00+09:00', '2026-03-02T08:30:00+09:00', 700), zone: 'home' }]);
    expect(await dayValues('steps', '2026-03-01', '2026-03-03')).toEqual({ '2026-03-02': 700 });
    await call(core, 'settings:set', { homeTimeZone: 'America/Los_Angeles' });
    expect(await dayValues('steps', '2026-03-01', '2026-03-03')).toEqual({ '2026-03-01': 700 });
  });

  it('8: heart rate is a time-weighted daily mean (about 64.2, not 153.75), with min and max kept', async () => {
    const rows: TestSample[] = [];
    const hr = (iso: string, value: number): TestSample => ({ source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'heart_rate', start: iso, value });
    const at = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
    const day = Date.parse('2026-03-02T00:00:00Z');
    for (let h = 0; h < 24; h++) rows.push(hr(at(day + h * 3_600_000), 60));
    for (let s = 1; s < 360; s++) rows.push(hr(at(day + 12 * 3_600_000 + s * 10_000), 160));
    insertSamples(core, rows);
    const b = (await series('heart_rate', '2026-03-02')).buckets[0];
    // 23 hours at 60 and one at 160: (23 × 60 + 160) / 24 = 64.17 (a reading holds until the next, at most an hour).
    expect(b.value).toBeCloseTo((23 * 60 + 160) / 24, 0);
    expect(b.min).toBe(60);
    expect(b.max).toBe(160);
  });

  describe('workouts', () => {
    const workouts = (from: string, to = from) => call<WorkoutItem[]>(core, 'metrics:workouts', { from, to });

    it('9: an implausible 26-hour walk is left out before de-duplicating, so the run inside it counts', async () => {
      insertWorkouts(core, [
        { source: 'apple_health', origin: WATCH, deviceKind: 'watch', activityType: 'Walking', start: '2026-03-02T06:00:00+01:00', end: '2026-03-03T08:00:00+01:00' },
        { source: 'strava', origin: 'Strava', deviceKind: 'app', activityType: 'Run', start: '2026-03-02T09:00:00+01:00', end: '2026-03-02T10:00:00+01:00' },
      ]);
      await prefs('workouts', ['apple_health', 'strava'], true);
      const list = await workouts('2026-03-02');
      expect(list.map((w) => [w.activityType, w.counted, w.excludedBecause])).toEqual([
        ['Walking', false, 'impossible'],
        ['Run', true, null],
      ]);
      expect(await dayValues('workouts', '2026-03-02')).toEqual({ '2026-03-02': 60 });
    });

    it('10: a hike and a swim inside it from the same Watch are two workouts', async () => {
      insertWorkouts(core, [
        { source: 'apple_health', origin: WATCH, deviceKind: 'watch', activityType: 'Hiking', start: '2026-03-02T09:00:00+01:00', end: '2026-03-02T12:00:00+01:00' },
        { source: 'apple_health', origin: WATCH, deviceKind: 'watch', activityType: 'Swimming', start: '2026-03-02T10:00:00+01:00', end: '2026-03-02T10:45:00+01:00' },
      ]);
      const list = await workouts('2026-03-02');
      expect(list.filter((w) => w.counted).map((w) => w.activityType)).toEqual(['Hiking', 'Swimming']);
      expect(await dayValues('workouts', '2026-03-02')).toEqual({ '2026-03-02': 225 });
    });

    it('11: with fill gaps off the list and the chart give the same minutes', async () => {
      insertWorkouts(core, [
        { source: 'apple_health', origin: WATCH, deviceKind: 'watch', activityType: 'Running', start: '2026-03-02T07:00:00+01:00', end: '2026-03-02T07:45:00+01:00' },
        { source: 'strava', origin: 'Strava', deviceKind: 'app', activityType: 'Ride', start: '2026-03-02T17:00:00+01:00', end: '2026-03-02T18:00:00+01:00' },
      ]);
      await prefs('workouts', ['apple_health', 'strava'], false);
      const list = await workouts('2026-03-02');
      const listed = list.filter((w) => w.counted).reduce((a, w) => a + w.durationMin, 0);
      const chart = (await dayValues('workouts', '2026-03-02'))['2026-03-02'];
      expect(listed).toBe(45);
      expect(chart).toBe(listed);
      expect(list.find((w) => w.source === 'strava')).toMatchObject({ counted: false, excludedBecause: 'fill-gaps-off' });
    });
  });

  it('12: with fill gaps off the source is chosen per day, not over all history', async () => {
    insertSamples(core, [
      watchSteps('2026-01-15T09:00:00+01:00', '2026-01-15T10:00:00+01:00', 4_000),
      watchSteps('2026-03-02T09:00:00+01:00', '2026-03-02T10:00:00+01:00', 3_000),
      { source: 'garmin', origin: 'Forerunner', deviceKind: 'watch', metric: 'steps', start: '2026-03-02T09:00:00+01:00', end: '2026-03-02T11:00:00+01:00', value: 5_000 },
    ]);
    await prefs('activity', ['garmin', 'apple_health'], false);
    expect(await dayValues('steps', '2026-01-01', '2026-03-31')).toEqual({ '2026-01-15': 4_000, '2026-03-02': 5_000 });
  });

  describe('sleep', () => {
    const sleep = (category: string, start: string, end: string, origin = WATCH, deviceKind = 'watch'): TestSample => ({
      source: 'apple_health',
      origin,
      deviceKind,
      metric: 'sleep',
      category,
      start,
      end,
    });

    it('13: a shift worker’s two sleeps count on the days they end (420 min each, not one 840-minute night)', async () => {
      insertSamples(core, [sleep('light', '2026-03-02T08:00:00+01:00', '2026-03-02T15:00:00+01:00'), sleep('light', '2026-03-02T17:30:00+01:00', '2026-03-03T00:30:00+01:00')]);
      expect(await dayValues('sleep', '2026-03-01', '2026-03-04')).toEqual({ '2026-03-02': 420, '2026-03-03': 420 });
    });

    it('14: a nap 2.5 hours after waking is a session of its own, and the day’s total includes it', async () => {
      insertSamples(core, [sleep('deep', '2026-03-01T23:00:00+01:00', '2026-03-02T06:00:00+01:00'), sleep('light', '2026-03-02T08:30:00+01:00', '2026-03-02T10:00:00+01:00')]);
      const b = (await series('sleep', '2026-03-02')).buckets[0];
      expect(b.value).toBe(510);
      expect(b.sessions?.map((s) => [s.asleep, s.nap])).toEqual([
        [420, false],
        [90, true],
      ]);
    });

    it('15: iPhone-only "In Bed" nights show their time in bed and 0 minutes asleep', async () => {
      insertSamples(core, [
        sleep('in_bed', '2026-03-01T23:00:00+01:00', '2026-03-02T07:00:00+01:00', PHONE, 'phone'),
        sleep('in_bed', '2026-03-02T22:30:00+01:00', '2026-03-03T06:30:00+01:00', PHONE, 'phone'),
      ]);
      const s = await series('sleep', '2026-03-01', '2026-03-04');
      expect(s.buckets.map((b) => [b.start, b.value, b.stages?.inBed])).toEqual([
        ['2026-03-02', 0, 480],
        ['2026-03-03', 0, 480],
      ]);
    });
  });

  it('16: an origin key the Sources page offers selects that origin’s data', async () => {
    const sql = core.db.$client;
    const writer = new SampleWriter(sql, 'withings');
    const rec = (origin: string, value: number) => ({
      rawType: 'activity.steps',
      metric: 'steps',
      unit: 'count',
      origin: { name: origin, deviceKind: 'watch' },
      startMs: Date.parse('2026-03-02T00:00:00+01:00'),
      endMs: Date.parse('2026-03-03T00:00:00+01:00'),
      zone: { name: 'Europe/Paris', src: ZONE_SRC.provider },
      day: parseDay('2026-03-02')!,
      value,
    });
    sql.transaction(() => writer.write([rec('ScanWatch', 8_000), rec('Withings Move', 6_000)], [], 'sync:1'))();
    await prefs('activity', ['withings:ScanWatch'], false);
    expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 8_000 });
    await prefs('activity', ['withings:Withings Move'], false);
    expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 6_000 });
  });

  it('17: a failed rebuild is shown and retried, and the charts fill once the cause is gone', async () => {
    const sql = core.db.$client;
    sql.exec(`CREATE TRIGGER break_rebuilds BEFORE INSERT ON derived_daily BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END`);
    insertSamples(core, tenWalks(1_000));
    expect(await dayValues('steps', '2026-03-02')).toEqual({});
    const failed = await call<RebuildState>(core, 'metrics:state', {});
    expect(failed.failure?.message).toContain('simulated write failure');
    sql.exec('DROP TRIGGER break_rebuilds');
    expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 10_000 });
    expect((await call<RebuildState>(core, 'metrics:state', {})).failure).toBeNull();
  });

  it('18: samples written by another process are "building" until merged, so an empty chart is not taken for no data', async () => {
    // A new database's tables are still to be built, but there is nothing to merge.
    expect(await call(core, 'metrics:overview', {})).toEqual([]);
    expect((await call<RebuildState>(core, 'metrics:state', {})).building).toBe(false);
    // As `vitalsync import` does: rows land in the file without this process's events.
    insertSamples(core, tenWalks(1_000));
    expect(await call(core, 'metrics:overview', {})).toEqual([]);
    expect((await call<RebuildState>(core, 'metrics:state', {})).building).toBe(true);
    await core.derived.whenIdle();
    expect((await call<RebuildState>(core, 'metrics:state', {})).building).toBe(false);
    expect(await call(core, 'metrics:overview', {})).toMatchObject([{ metric: 'steps', days: 1 }]);
  });

  describe('Oura, WHOOP and an Apple Watch on one day (each in the grain its provider gives)', () => {
    // 2 March in Paris. Steps: the Watch's ten walks (10,000) and Oura's daily total (9,500);
    // WHOOP counts no steps. Sleep ending that morning: the Watch's stages 23:00–07:00 (480 min
    // asleep), Oura's stages 22:45–06:45 (480), WHOOP's night as stage totals without timing
    // (light 200, deep 100, REM 120, awake 30: 420 asleep). Resting heart rate: Watch 52,
    // Oura 50, WHOOP 54.
    const stage = (source: string, origin: string, kind: string, category: string, start: string, end: string): TestSample => ({ source, origin, deviceKind: kind, metric: 'sleep', category, start, end });
    const whoopTotal = (category: string, value: number): TestSample => ({
      source: 'whoop',
      origin: 'WHOOP',
      deviceKind: 'band',
      metric: 'sleep',
      rawType: `sleep.${category}`,
      category,
      value,
      start: '2026-03-01T23:30:00+01:00',
      end: '2026-03-02T07:20:00+01:00',
      day: '2026-03-02',
      zone: 'Europe/Paris',
    });
    const rhr = (source: string, origin: string, kind: string, iso: string, value: number): TestSample => ({ source, origin, deviceKind: kind, metric: 'resting_heart_rate', start: iso, value });
    beforeEach(() => {
      insertSamples(core, [
        ...tenWalks(1_000),
        { source: 'oura', origin: 'Oura Ring', deviceKind: 'ring', metric: 'steps', start: '2026-03-02T00:00:00+01:00', end: '2026-03-03T00:00:00+01:00', value: 9_500, day: '2026-03-02', zone: 'Europe/Paris' },
        stage('apple_health', WATCH, 'watch', 'light', '2026-03-01T23:00:00+01:00', '2026-03-02T01:00:00+01:00'),
        stage('apple_health', WATCH, 'watch', 'deep', '2026-03-02T01:00:00+01:00', '2026-03-02T02:30:00+01:00'),
        stage('apple_health', WATCH, 'watch', 'rem', '2026-03-02T02:30:00+01:00', '2026-03-02T04:00:00+01:00'),
        stage('apple_health', WATCH, 'watch', 'light', '2026-03-02T04:00:00+01:00', '2026-03-02T07:00:00+01:00'),
        stage('oura', 'Oura Ring', 'ring', 'deep', '2026-03-01T22:45:00+01:00', '2026-03-02T00:45:00+01:00'),
        stage('oura', 'Oura Ring', 'ring', 'light', '2026-03-02T00:45:00+01:00', '2026-03-02T06:45:00+01:00'),
        whoopTotal('light', 200),
        whoopTotal('deep', 100),
        whoopTotal('rem', 120),
        whoopTotal('awake', 30),
        rhr('apple_health', WATCH, 'watch', '2026-03-02T08:00:00+01:00', 52),
        rhr('oura', 'Oura Ring', 'ring', '2026-03-02T03:00:00+01:00', 50),
        rhr('whoop', 'WHOOP', 'band', '2026-03-02T07:30:00+01:00', 54),
      ]);
    });

    it('follows each category’s order, a daily total supplying its whole day', async () => {
      await prefs('activity', ['oura', 'apple_health'], true);
      await prefs('sleep', ['whoop', 'oura', 'apple_health'], true);
      await prefs('heart', ['whoop', 'oura', 'apple_health'], true);
      expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 9_500 });
      const night = (await series('sleep', '2026-03-02')).buckets[0];
      expect([night.value, night.stages]).toEqual([420, { light: 200, deep: 100, rem: 120, awake: 30, unspecified: 0, inBed: 450 }]);
      expect(night.sources.map((x) => x.source)).toEqual(['whoop']);
      expect(await dayValues('resting_heart_rate', '2026-03-02')).toEqual({ '2026-03-02': 54 });
    });

    it('with intervals first, the lower ones fill only the minutes left empty (no double counting)', async () => {
      await prefs('activity', ['apple_health', 'oura'], true);
      await prefs('sleep', ['oura', 'apple_health', 'whoop'], true);
      await prefs('heart', ['apple_health', 'oura', 'whoop'], true);
      expect(await dayValues('steps', '2026-03-02')).toEqual({ '2026-03-02': 10_000 });
      // Oura 22:45–06:45 (deep 120, light 360), then the Watch's light 06:45–07:00 (15).
      const night = (await series('sleep', '2026-03-02')).buckets[0];
      expect([night.value, night.stages]).toEqual([495, { light: 375, deep: 120, rem: 0, awake: 0, unspecified: 0, inBed: 495 }]);
      expect(await dayValues('resting_heart_rate', '2026-03-02')).toEqual({ '2026-03-02': 52 });
      await prefs('sleep', ['oura', 'apple_health', 'whoop'], false);
      expect(await dayValues('sleep', '2026-03-02')).toEqual({ '2026-03-02': 480 });
    });
  });

  it('keeps the two halves of a blood-pressure reading from the same reading', async () => {
    const bp = (origin: string, metric: string, iso: string, value: number): TestSample => ({ source: 'apple_health', origin, deviceKind: 'cuff', metric, start: iso, value });
    insertSamples(core, [
      // The cuff has both halves; the app only a systolic (half a reading).
      bp('Omron', 'blood_pressure_systolic', '2026-03-02T08:00:00+01:00', 120),
      bp('Omron', 'blood_pressure_diastolic', '2026-03-02T08:00:00+01:00', 80),
      bp('Health app', 'blood_pressure_systolic', '2026-03-02T09:00:00+01:00', 150),
    ]);
    await prefs('vitals', ['apple_health:Health app', 'apple_health:Omron'], true);
    expect(await dayValues('blood_pressure_systolic', '2026-03-02')).toEqual({ '2026-03-02': 120 });
    expect(await dayValues('blood_pressure_diastolic', '2026-03-02')).toEqual({ '2026-03-02': 80 });
  });
});
