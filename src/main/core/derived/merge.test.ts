// Merge rules with hand-computed truth (docs/merging.md). The machine's zone is
// New York on purpose: nothing may bucket by it.
process.env.TZ = 'America/New_York';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRICS } from '../../../shared/catalog';
import type { Explain, Series, WorkoutItem } from '../../../shared/contract';
import { dispatch } from '../dispatch';
import type { Core } from '../index';
import { insertSamples, insertWorkouts, type TestSample } from '../test/samples';
import { tempCore } from '../test/tempCore';

const WATCH = 'Jane’s Apple Watch';
const PHONE = 'Jane’s iPhone';

async function call<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const res = await dispatch(core.handlers, channel, input);
  if (!res.ok) throw new Error(`${channel}: ${res.error.message}`);
  return res.value as T;
}

const steps = (origin: string, kind: string, start: string, end: string, value: number): TestSample => ({
  source: 'apple_health',
  origin,
  deviceKind: kind,
  metric: 'steps',
  start,
  end,
  value,
});

// One day in Paris (+01:00). Watch: 600 (08:00–09:00) and 300 (12:00–12:30).
// iPhone: 400 over 08:30–09:30 (half under the Watch: 200 fills the gap), 500 over 10:00–11:00
// (all gap), 280 over 12:00–12:30 (entirely under the Watch: excluded).
const STEP_DAY: TestSample[] = [
  steps(WATCH, 'watch', '2026-03-02T08:00:00+01:00', '2026-03-02T09:00:00+01:00', 600),
  steps(WATCH, 'watch', '2026-03-02T12:00:00+01:00', '2026-03-02T12:30:00+01:00', 300),
  steps(PHONE, 'phone', '2026-03-02T08:30:00+01:00', '2026-03-02T09:30:00+01:00', 400),
  steps(PHONE, 'phone', '2026-03-02T10:00:00+01:00', '2026-03-02T11:00:00+01:00', 500),
  steps(PHONE, 'phone', '2026-03-02T12:00:00+01:00', '2026-03-02T12:30:00+01:00', 280),
];

describe('merging sources', () => {
  let core: ReturnType<typeof tempCore>;
  beforeEach(() => {
    core = tempCore({ clock: () => Date.parse('2026-03-04T12:00:00Z') });
  });
  afterEach(() => core.cleanup());

  const stepsOn = (day: string) => call<Series>(core, 'metrics:series', { metric: 'steps', from: day, to: day });

  describe('iPhone and Watch steps that overlap', () => {
    beforeEach(async () => {
      insertSamples(core, STEP_DAY);
      // Straight apostrophes in the preference; the origins were stored with curly ones.
      await call(core, 'prefs:set', { category: 'activity', sources: ["apple_health:Jane's Apple Watch", "apple_health:Jane's iPhone"], fillGaps: true });
    });

    it('counts the Watch where both cover and the iPhone in the gaps', async () => {
      const s = await stepsOn('2026-03-02');
      expect(s.buckets).toHaveLength(1);
      const b = s.buckets[0];
      expect(b.start).toBe('2026-03-02');
      expect(b.value).toBeCloseTo(600 + 300 + 200 + 500, 6);
      expect(b.excluded).toBe(1);
      const watch = b.sources.find((x) => x.origin === WATCH)!;
      const phone = b.sources.find((x) => x.origin === PHONE)!;
      expect(watch.share).toBeCloseTo(900 / 1600, 5);
      expect(phone.share).toBeCloseTo(700 / 1600, 5);
      expect(b.sources.reduce((a, x) => a + x.share, 0)).toBeCloseTo(1, 9);
    });

    it('counts only the Watch with fill-gaps off', async () => {
      await call(core, 'prefs:set', { category: 'activity', fillGaps: false });
      const b = (await stepsOn('2026-03-02')).buckets[0];
      expect(b.value).toBeCloseTo(900, 6);
      expect(b.sources).toEqual([expect.objectContaining({ origin: WATCH, share: 1 })]);
      expect(b.excluded).toBe(3);
    });

    it('puts the iPhone first when the user says so, and the Watch fills its gaps', async () => {
      await call(core, 'prefs:set', { category: 'activity', sources: ["apple_health:Jane's iPhone", "apple_health:Jane's Apple Watch"] });
      // iPhone: 400 + 500 + 280 = 1180; Watch fills 08:00–08:30 (300 of its 600); 12:00–12:30 is the iPhone's.
      const b = (await stepsOn('2026-03-02')).buckets[0];
      expect(b.value).toBeCloseTo(1180 + 300, 6);
      expect(b.excluded).toBe(1);
    });

    it('splits the day into local hours', async () => {
      const s = await call<Series>(core, 'metrics:series', { metric: 'steps', from: '2026-03-02', to: '2026-03-02', bucket: 'hour' });
      const byHour = Object.fromEntries(s.buckets.map((b) => [b.start, b.value]));
      expect(byHour).toEqual({ '2026-03-02T08:00': 600, '2026-03-02T09:00': 200, '2026-03-02T10:00': 500, '2026-03-02T12:00': 300 });
      // The legend (colours, quality) works per hour too.
      expect(s.legend.map((l) => l.origin).sort()).toEqual([PHONE, WATCH].sort());
    });

    it('explains the number: shares, the excluded overlap and the raw samples', async () => {
      const e = await call<Explain>(core, 'metrics:explain', { metric: 'steps', bucketStart: '2026-03-02', bucket: 'day' });
      expect(e.value).toBeCloseTo(1600, 6);
      expect(e.excluded).toBe(1);
      expect(e.samplesTotal).toBe(5);
      const status = Object.fromEntries(e.samples.map((x) => [`${x.origin}@${x.start}`, [x.status, x.counted]]));
      expect(status[`${PHONE}@2026-03-02T07:30:00.000Z`]).toEqual(['partial', 200]);
      expect(status[`${PHONE}@2026-03-02T11:00:00.000Z`]).toEqual(['overlap', 0]);
      expect(status[`${WATCH}@2026-03-02T07:00:00.000Z`]).toEqual(['used', 600]);
      expect(e.priority).toEqual({ sources: ["apple_health:Jane's Apple Watch", "apple_health:Jane's iPhone"], fillGaps: true, override: false });
      const phone = e.sources.find((x) => x.origin === PHONE)!;
      expect(phone).toMatchObject({ supplied: 700, own: 1180, samples: 3, usedSamples: 2 });
    });
  });

  it('prefers the Watch over the iPhone inside Apple Health by default', async () => {
    insertSamples(core, STEP_DAY);
    const b = (await stepsOn('2026-03-02')).buckets[0];
    expect(b.value).toBeCloseTo(1600, 6);
  });

  describe('staged Watch sleep and the phone’s "asleep"', () => {
    // Night of 2–3 March in Paris. The phone says asleep 22:30–07:30 (540 min) and in bed
    // 22:00–07:45. The Watch has stages 23:00–07:00 with 15 minutes awake at 04:00.
    const night: TestSample[] = [
      { source: 'apple_health', origin: PHONE, deviceKind: 'phone', metric: 'sleep', category: 'in_bed', start: '2026-03-02T22:00:00+01:00', end: '2026-03-03T07:45:00+01:00' },
      { source: 'apple_health', origin: PHONE, deviceKind: 'phone', metric: 'sleep', category: 'asleep_unspecified', start: '2026-03-02T22:30:00+01:00', end: '2026-03-03T07:30:00+01:00' },
      { source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'sleep', category: 'light', start: '2026-03-02T23:00:00+01:00', end: '2026-03-03T01:00:00+01:00' },
      { source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'sleep', category: 'deep', start: '2026-03-03T01:00:00+01:00', end: '2026-03-03T02:30:00+01:00' },
      { source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'sleep', category: 'rem', start: '2026-03-03T02:30:00+01:00', end: '2026-03-03T04:00:00+01:00' },
      { source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'sleep', category: 'awake', start: '2026-03-03T04:00:00+01:00', end: '2026-03-03T04:15:00+01:00' },
      { source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'sleep', category: 'light', start: '2026-03-03T04:15:00+01:00', end: '2026-03-03T07:00:00+01:00' },
    ];
    beforeEach(() => {
      insertSamples(core, night);
    });

    it('counts each minute once, the Watch’s stages first and the phone only around them', async () => {
      const s = await call<Series>(core, 'metrics:series', { metric: 'sleep', from: '2026-03-02', to: '2026-03-03' });
      // The night belongs to the day it ends.
      expect(s.buckets.map((b) => b.start)).toEqual(['2026-03-03']);
      const b = s.buckets[0];
      expect(b.stages).toEqual({ awake: 15, light: 285, deep: 90, rem: 90, unspecified: 60, inBed: 585 });
      expect(b.value).toBe(285 + 90 + 90 + 60);
      expect(b.sources.reduce((a, x) => a + x.share, 0)).toBeCloseTo(1, 9);
      const e = await call<Explain>(core, 'metrics:explain', { metric: 'sleep', bucketStart: '2026-03-03' });
      expect(e.stages).toEqual(b.stages);
      // The phone's in-bed is not sleep; its "asleep" counts only around the Watch's stages.
      const phoneAsleep = e.samples.find((x) => x.category === 'asleep_unspecified')!;
      expect(phoneAsleep).toMatchObject({ status: 'partial', counted: 60 });
      expect(e.samples.filter((x) => x.origin === WATCH).every((x) => x.status === 'used')).toBe(true);
    });

    it('with the phone first, its "asleep" covers the night and the stages are not added on top', async () => {
      await call(core, 'prefs:set', { category: 'sleep', sources: ["apple_health:Jane's iPhone", "apple_health:Jane's Apple Watch"] });
      const b = (await call<Series>(core, 'metrics:series', { metric: 'sleep', from: '2026-03-03', to: '2026-03-03' })).buckets[0];
      expect(b.value).toBe(540);
      expect(b.stages).toEqual({ awake: 0, light: 0, deep: 0, rem: 0, unspecified: 540, inBed: 585 });
      expect(b.excluded).toBe(5);
    });
  });

  it('counts a workout seen by Strava and Apple Health once', async () => {
    insertWorkouts(core, [
      { source: 'strava', origin: 'Strava', deviceKind: 'app', activityType: 'Run', start: '2026-03-02T07:00:00+01:00', end: '2026-03-02T07:45:00+01:00', distanceKm: 8 },
      { source: 'apple_health', origin: WATCH, deviceKind: 'watch', activityType: 'HKWorkoutActivityTypeRunning', start: '2026-03-02T07:01:00+01:00', end: '2026-03-02T07:44:00+01:00' },
      { source: 'apple_health', origin: WATCH, deviceKind: 'watch', activityType: 'HKWorkoutActivityTypeCycling', start: '2026-03-02T18:00:00+01:00', end: '2026-03-02T19:00:00+01:00' },
    ]);
    const list = await call<WorkoutItem[]>(core, 'metrics:workouts', { from: '2026-03-02', to: '2026-03-02' });
    expect(list.map((w) => [w.source, w.activityType, w.duplicates.length])).toEqual([
      ['strava', 'Run', 1],
      ['apple_health', 'HKWorkoutActivityTypeCycling', 0],
    ]);
    const b = (await call<Series>(core, 'metrics:series', { metric: 'workouts', from: '2026-03-02', to: '2026-03-02' })).buckets[0];
    expect(b.value).toBeCloseTo(45 + 60, 6);
    expect(b.excluded).toBe(1);
    const e = await call<Explain>(core, 'metrics:explain', { metric: 'workouts', bucketStart: '2026-03-02' });
    expect(e.samples.map((x) => [x.source, x.status])).toEqual([
      ['strava', 'used'],
      ['apple_health', 'duplicate-workout'],
      ['apple_health', 'used'],
    ]);
  });

  it('keeps a sample recorded in Tokyo on its Tokyo day while this machine is in New York', async () => {
    expect(new Date('2026-03-09T22:00:00Z').getDate()).toBe(9); // the process zone really is New York
    insertSamples(core, [
      // 07:00 on 10 March in Tokyo is still 9 March in New York.
      steps(WATCH, 'watch', '2026-03-10T07:00:00+09:00', '2026-03-10T07:30:00+09:00', 1000),
      // 23:30 on 9 March in New York is already 10 March in UTC.
      steps(WATCH, 'watch', '2026-03-09T23:30:00-05:00', '2026-03-09T23:45:00-05:00', 50),
    ]);
    const s = await call<Series>(core, 'metrics:series', { metric: 'steps', from: '2026-03-08', to: '2026-03-11' });
    expect(s.buckets.map((b) => [b.start, b.value])).toEqual([
      ['2026-03-09', 50],
      ['2026-03-10', 1000],
    ]);
  });

  it('splits a sample across local midnight by its own offset', async () => {
    insertSamples(core, [steps(WATCH, 'watch', '2026-03-09T23:00:00+09:00', '2026-03-10T01:00:00+09:00', 400)]);
    const s = await call<Series>(core, 'metrics:series', { metric: 'steps', from: '2026-03-09', to: '2026-03-10' });
    expect(s.buckets.map((b) => [b.start, b.value])).toEqual([
      ['2026-03-09', 200],
      ['2026-03-10', 200],
    ]);
  });

  it('leaves an impossible heart rate out and lowers that source’s quality', async () => {
    insertSamples(core, [
      { source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'resting_heart_rate', start: '2026-03-02T08:00:00+01:00', value: 300 },
      { source: 'apple_health', origin: WATCH, deviceKind: 'watch', metric: 'resting_heart_rate', start: '2026-03-02T09:00:00+01:00', value: 58 },
      { source: 'oura', origin: 'Oura Ring', deviceKind: 'ring', metric: 'resting_heart_rate', start: '2026-03-02T07:00:00+01:00', value: 55 },
    ]);
    const s = await call<Series>(core, 'metrics:series', { metric: 'resting_heart_rate', from: '2026-03-02', to: '2026-03-02' });
    expect(s.buckets[0].value).toBe(58);
    expect(s.buckets[0].excluded).toBe(2);
    const watch = s.legend.find((l) => l.origin === WATCH)!;
    expect(watch.reasons.map((r) => r.code)).toContain('impossible');
    expect(watch.quality!).toBeLessThan(s.legend.find((l) => l.source === 'oura')!.quality!);
    // The explanation merges the raw readings again and must agree with the stored day.
    const e = await call<Explain>(core, 'metrics:explain', { metric: 'resting_heart_rate', bucketStart: '2026-03-02' });
    expect(e.sources.find((x) => x.origin === WATCH)).toMatchObject({ share: 1, usedSamples: 1, samples: 2 });
    expect(e.samples.map((x) => x.status).sort()).toEqual(['impossible', 'overlap', 'used']);
  });

  it('sums days into weeks and months with shares that still sum to 1', async () => {
    insertSamples(core, [
      ...STEP_DAY,
      steps(PHONE, 'phone', '2026-03-04T10:00:00+01:00', '2026-03-04T11:00:00+01:00', 1000),
      steps(WATCH, 'watch', '2026-03-10T10:00:00+01:00', '2026-03-10T11:00:00+01:00', 100),
    ]);
    const w = await call<Series>(core, 'metrics:series', { metric: 'steps', from: '2026-03-01', to: '2026-03-31', bucket: 'week' });
    expect(w.buckets.map((b) => [b.start, b.value])).toEqual([
      ['2026-03-02', 2600],
      ['2026-03-09', 100],
    ]);
    const m = await call<Series>(core, 'metrics:series', { metric: 'steps', from: '2026-03-01', to: '2026-03-31', bucket: 'month' });
    expect(m.buckets[0]).toMatchObject({ start: '2026-03-01', value: 2700 });
    expect(m.buckets[0].sources.reduce((a, x) => a + x.share, 0)).toBeCloseTo(1, 9);
    expect(m.buckets[0].sources.find((x) => x.origin === PHONE)!.share).toBeCloseTo(1700 / 2700, 5);
  });

  it("a month of a last-reading metric takes its last day's value and that day's sources only", async () => {
    // Weight: Health Mate (in Apple Health) on 3 March, 80.0; Withings on 20 March, 79.2. The
    // month's weight is the last reading, 79.2, and it is all Withings' (not half Health's).
    insertSamples(core, [
      { source: 'apple_health', origin: 'Health Mate', deviceKind: 'app', metric: 'weight', start: '2026-03-03T07:00:00+01:00', value: 80 },
      { source: 'withings', origin: 'Body+', deviceKind: 'scale', metric: 'weight', start: '2026-03-20T07:00:00+01:00', value: 79.2 },
    ]);
    const m = await call<Series>(core, 'metrics:series', { metric: 'weight', from: '2026-03-01', to: '2026-03-31', bucket: 'month' });
    expect(m.buckets[0].value).toBe(79.2);
    expect(m.buckets[0].sources.map((x) => [x.origin, x.share])).toEqual([['Body+', 1]]);
  });

  it('rebuilds the affected days after an import says data changed', async () => {
    insertSamples(core, [STEP_DAY[0]]);
    expect((await stepsOn('2026-03-02')).buckets[0].value).toBe(600);
    insertSamples(core, [STEP_DAY[3]], 'test:2');
    core.events.emit('data:changed', { reason: 'import', fromMs: Date.parse(STEP_DAY[3].start), toMs: Date.parse(STEP_DAY[3].end!) });
    await core.derived.whenIdle();
    const row = core.db.$client.prepare("SELECT value FROM derived_daily WHERE metric = 'steps'").get() as { value: number };
    expect(row.value).toBe(1100);
  });

  it('picks up samples another process added, without an event', async () => {
    insertSamples(core, [STEP_DAY[0]]);
    expect((await stepsOn('2026-03-02')).buckets[0].value).toBe(600);
    insertSamples(core, [STEP_DAY[3]], 'test:2');
    expect((await stepsOn('2026-03-02')).buckets[0].value).toBe(1100);
  });

  it('rebuilds everything from samples on request', async () => {
    insertSamples(core, STEP_DAY);
    await stepsOn('2026-03-02');
    core.db.$client.exec('UPDATE derived_daily SET value = 1');
    const stats = await call<{ metrics: number; samples: number }>(core, 'metrics:rebuild', {});
    expect(stats.samples).toBe(5);
    expect((await stepsOn('2026-03-02')).buckets[0].value).toBe(1600);
  });

  it('rebuilds in the background after a preference change, before anyone asks', async () => {
    insertSamples(core, STEP_DAY);
    await stepsOn('2026-03-02');
    const updated: string[][] = [];
    core.events.on('metrics:updated', (p) => updated.push(p.metrics));
    await call(core, 'prefs:set', { category: 'activity', sources: ["apple_health:Jane's Apple Watch", 'apple_health'], fillGaps: false });
    await core.derived.whenIdle();
    const row = core.db.$client.prepare("SELECT value FROM derived_daily WHERE metric = 'steps'").get() as { value: number };
    expect(row.value).toBe(900);
    expect(updated.flat()).toContain('steps');
  });

  it('forgets a source whose data was removed', async () => {
    insertSamples(core, STEP_DAY);
    expect((await stepsOn('2026-03-02')).buckets[0].value).toBeCloseTo(1600, 6);
    core.db.$client.exec("DELETE FROM samples WHERE origin_id = (SELECT id FROM origins WHERE name = 'Jane’s iPhone')");
    core.events.emit('data:changed', { reason: 'disconnect:apple_health', fromMs: null, toMs: null });
    await core.derived.whenIdle();
    expect((await stepsOn('2026-03-02')).buckets[0].value).toBe(900);
  });

  it('a deletion noted by another process is rebuilt once: reads while it is rebuilt do not start it over (no endless metrics:updated)', async () => {
    insertSamples(core, STEP_DAY);
    await stepsOn('2026-03-02');
    await core.derived.whenIdle();
    // Another process (the CLI) deletes: only the trigger's span in meta says so, no event here.
    core.db.$client.exec("DELETE FROM samples WHERE origin_id = (SELECT id FROM origins WHERE name = 'Jane’s iPhone')");
    const updates: string[][] = [];
    const off = core.events.on('metrics:updated', (p) => updates.push(p.metrics));
    // A dashboard reloads on every metrics:updated: each read may come while the rest rebuilds.
    let reloads = 0;
    const offReload = core.events.on('metrics:updated', () => void (reloads++ < 500 && setImmediate(() => void stepsOn('2026-03-02'))));
    expect((await stepsOn('2026-03-02')).buckets[0].value).toBe(900);
    await core.derived.whenIdle();
    offReload();
    const afterIdle = updates.length;
    // Every metric was rebuilt at most once for that deletion, and the span is cleared.
    expect(afterIdle).toBeLessThanOrEqual(METRICS.length);
    expect(core.db.$client.prepare("SELECT value FROM meta WHERE key = 'samples.deleted_from'").get()).toEqual({ value: '' });
    await stepsOn('2026-03-02');
    await core.derived.whenIdle();
    expect(updates.length).toBe(afterIdle);
    off();
  });

  it('marks down a source that disagrees with the others over the same hours, not one that saw less of the day', async () => {
    const hourly = (origin: string, kind: string, perHour: number, hours: number[]) =>
      hours.map((h) => steps(origin, kind, `2026-03-02T${String(h).padStart(2, '0')}:00:00+01:00`, `2026-03-02T${String(h).padStart(2, '0')}:59:00+01:00`, perHour));
    const allDay = Array.from({ length: 15 }, (_, i) => i + 7);
    insertSamples(core, [
      ...hourly(WATCH, 'watch', 400, allDay),
      // Worn all day too, but counts twice as much: it disagrees.
      ...hourly('Garmin Forerunner', 'watch', 800, allDay).map((x) => ({ ...x, source: 'garmin' })),
      // Carried for three hours only: less, but not a disagreement.
      ...hourly(PHONE, 'phone', 300, [9, 10, 11]),
    ]);
    const s = await stepsOn('2026-03-02');
    const reasons = (origin: string) => s.legend.find((l) => l.origin === origin)!.reasons.map((r) => r.code);
    expect(reasons('Garmin Forerunner')).toContain('agreement');
    expect(reasons(PHONE)).not.toContain('agreement');
    expect(reasons(PHONE)).toContain('coverage');
    expect(reasons(WATCH)).not.toContain('coverage');
  });

  describe('a rebuild over many days', () => {
    // 300 days: each day the Watch counts 1000 steps at 09:00 and the iPhone 300 at 09:30 (half
    // under the Watch), so every day is 1000 + 150.
    const longHistory = () => {
      const rows: TestSample[] = [];
      for (let d = 0; d < 300; d++) {
        const day = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
        rows.push(steps(WATCH, 'watch', `${day}T09:00:00+01:00`, `${day}T10:00:00+01:00`, 1000));
        rows.push(steps(PHONE, 'phone', `${day}T09:30:00+01:00`, `${day}T10:30:00+01:00`, 300));
      }
      return rows;
    };
    const stepRows = () => core.db.$client.prepare("SELECT day, value, excluded FROM derived_daily WHERE metric = 'steps' ORDER BY day").all() as { value: number }[];

    it('runs in slices in the background and ends with the same rows as a full rebuild', async () => {
      insertSamples(core, longHistory());
      core.events.emit('data:changed', { reason: 'import', fromMs: Date.UTC(2025, 0, 1), toMs: Date.UTC(2025, 10, 1) });
      await core.derived.whenIdle();
      const sliced = stepRows();
      expect(sliced).toHaveLength(300);
      expect(sliced.every((r) => Math.abs(r.value - 1150) < 1e-6)).toBe(true);
      await call(core, 'metrics:rebuild', {});
      expect(stepRows()).toEqual(sliced);
    });

    it('answers a read in the middle of a sliced rebuild with complete days', async () => {
      insertSamples(core, longHistory());
      core.events.emit('data:changed', { reason: 'import', fromMs: Date.UTC(2025, 0, 1), toMs: Date.UTC(2025, 10, 1) });
      await new Promise((r) => setImmediate(r));
      const s = await call<Series>(core, 'metrics:series', { metric: 'steps', from: '2025-10-01', to: '2025-10-27' });
      expect(s.buckets).toHaveLength(27);
      expect(s.buckets.every((b) => Math.abs(b.value - 1150) < 1e-6)).toBe(true);
      await core.derived.whenIdle();
    });
  });
});
