// Every Oura fixture (fixtures/: the response samples of Oura's docs as client libraries copied
// them, see fixtures/MANIFEST.txt) → the samples VitalSync stores, written out by hand from the
// payload. Instants and days are worked out in the comments, not with the zone code under test.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { getSource } from '../../../../shared/catalog';
import { SampleWriter } from '../../samples';
import { tempCore } from '../../test/tempCore';
import { ouraAdapter, ouraRefusal } from '.';
import { MAPPED_METRICS, mapDailyActivity, mapDailyScores, mapDailySpo2, mapHeartRate, mapSleepPeriods, mapWorkouts, parseOuraTime, type OuraList } from './map';

const fixture = <T>(name: string) => JSON.parse(fs.readFileSync(new URL(`./fixtures/GET_v2_usercollection_${name}.json`, import.meta.url), 'utf8')) as OuraList<T>;
const rows = <T>(name: string) => fixture<T>(name).data!;
/** Epoch day of a YYYY-MM-DD date, computed apart from the code under test. */
const epochDay = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`) / 86_400_000;
const at = (iso: string) => Date.parse(iso);
const RING = { name: 'Oura Ring', deviceKind: 'ring' };

describe('what VitalSync reads from Oura', () => {
  it('every metric Oura supplies in the catalog comes from some mapping, and every mapping is in the catalog', () => {
    const catalog = new Set<string>(getSource('oura')!.metrics);
    const mapped = new Set<string>(Object.values(MAPPED_METRICS).flat());
    expect([...catalog].filter((m) => !mapped.has(m))).toEqual([]);
    expect([...mapped].filter((m) => !catalog.has(m))).toEqual([]);
    expect(getSource('oura')).toMatchObject({ available: true });
  });

  it('reads the collections the issue names, and not daily_stress, session or personal_info (fixtures kept for the record)', () => {
    expect(ouraAdapter.endpoints.map((e) => e.id)).toEqual(['daily_activity', 'sleep', 'daily_sleep', 'daily_readiness', 'daily_spo2', 'workout', 'heartrate']);
    for (const f of ['daily_stress.hedgertronic_docstring', 'session.python-ouraring_mock']) expect(rows(f)).toHaveLength(1);
    expect(fixture('personal_info.hedgertronic_docstring')).toMatchObject({ age: 31 });
  });

  it('reads Oura date-times with their offset, fractions of a second included', () => {
    expect(parseOuraTime('2024-03-01T23:10:00+01:00')).toEqual({ ms: at('2024-03-01T22:10:00Z'), offsetMin: 60 });
    expect(parseOuraTime('2021-01-01T01:30:00.000000+00:00')).toEqual({ ms: at('2021-01-01T01:30:00Z'), offsetMin: 0 });
    expect(parseOuraTime('2021-11-26T04:00:00.000-08:00')).toEqual({ ms: at('2021-11-26T12:00:00Z'), offsetMin: -480 });
    expect(parseOuraTime('2021-02-30T04:00:00+00:00')).toBeNull();
    expect(parseOuraTime('2021-11-26')).toBeNull();
  });
});

describe('daily_activity', () => {
  // The day 2021-11-26 in -08:00 (the offset of its `timestamp`): 08:00 UTC to 08:00 UTC.
  const span = { startMs: at('2021-11-26T08:00:00Z'), endMs: at('2021-11-27T08:00:00Z'), day: epochDay('2021-11-26') };
  const base = { origin: RING, zone: { name: '-08:00', src: 3 }, ref: 'activity:2021-11-26' };
  const totals = [
    { ...base, ...span, rawType: 'activity.steps', metric: 'steps', unit: 'count', value: 18430 },
    { ...base, ...span, rawType: 'activity.active_calories', metric: 'active_energy', unit: 'kcal', value: 1222 },
    { ...base, ...span, rawType: 'activity.total_calories', metric: null, unit: 'kcal', value: 3446 },
    // "Equivalent walking distance" is not a distance walked: kept unmapped.
    { ...base, ...span, rawType: 'activity.equivalent_walking_distance', metric: null, unit: 'm', value: 20122 },
    { ...base, ...span, rawType: 'activity.score', metric: null, unit: 'score', value: 82 },
  ];

  it('hedgertronic: steps and active energy are daily totals of 2021-11-26; "PLACEHOLDER" holds no activity class', () => {
    expect(mapDailyActivity(rows('daily_activity.hedgertronic_docstring'), 'Europe/Paris')).toEqual(totals);
  });

  it('python-ouraring: the same totals, and class_5_min as runs of one class, 5 minutes a digit from 04:00 local', () => {
    const out = mapDailyActivity(rows('daily_activity.python-ouraring_mock'), 'Europe/Paris');
    expect(out.slice(0, 5)).toEqual(totals);
    const classes = out.slice(5);
    expect(classes.every((c) => c.rawType === 'activity.class_5_min' && c.metric === null && c.unit === 'class' && c.ref === 'activity:2021-11-26' && c.zone.name === '-08:00')).toBe(true);
    // 288 digits: 74 zeros (non-wear, 04:00-10:10 local = 12:00-18:10 UTC), then one 3, three 4s, …
    expect(classes.slice(0, 3).map((c) => [c.value, c.startMs, c.endMs])).toEqual([
      [0, at('2021-11-26T12:00:00Z'), at('2021-11-26T18:10:00Z')],
      [3, at('2021-11-26T18:10:00Z'), at('2021-11-26T18:15:00Z')],
      [4, at('2021-11-26T18:15:00Z'), at('2021-11-26T18:30:00Z')],
    ]);
    // … and it ends with 46 ones (rest): slot 242 = 00:10 local to 04:00 local the next morning.
    expect(classes.at(-1)).toMatchObject({ value: 1, startMs: at('2021-11-27T08:10:00Z'), endMs: at('2021-11-27T12:00:00Z') });
    expect(classes).toHaveLength(62);
    const minutes = (c: number) => classes.filter((x) => x.value === c).reduce((n, x) => n + (x.endMs - x.startMs) / 60_000, 0);
    // Digits per class: 0×91, 1×62, 2×68, 3×34, 4×23, 5×10 (288 in all = 24 hours).
    expect([0, 1, 2, 3, 4, 5].map(minutes)).toEqual([455, 310, 340, 170, 115, 50]);
  });
});

describe('sleep', () => {
  it('hedgertronic: a long sleep without phases ("PLACEHOLDER") gets its durations as totals of 2022-07-12, and the night’s readings at bedtime_end', () => {
    // 01:05:14 to 09:25:14 at -07:00 = 08:05:14 to 16:25:14 UTC.
    const start = at('2022-07-12T08:05:14Z');
    const end = at('2022-07-12T16:25:14Z');
    const base = { origin: RING, zone: { name: '-07:00', src: 3 }, ref: 'sleep:8f9a5221-639e-4a85-81cb-4065ef23f979' };
    const total = (stage: string, minutes: number) => ({ ...base, rawType: `sleep.total.${stage}`, metric: 'sleep', unit: 'min', startMs: start, endMs: end, day: epochDay('2022-07-12'), value: minutes, category: stage });
    const reading = (raw: string, metric: string | null, unit: string, value: number) => ({ ...base, rawType: `sleep.${raw}`, metric, unit, startMs: end, endMs: end, value });
    expect(mapSleepPeriods(rows('sleep.hedgertronic_docstring'))).toEqual([
      { ...base, rawType: 'sleep.in_bed', metric: 'sleep', unit: 'min', startMs: start, endMs: end, value: 0, category: 'in_bed' },
      // deep 4170 s, light 18750 s, REM 2280 s, awake 4800 s.
      total('deep', 69.5),
      total('light', 312.5),
      total('rem', 38),
      total('awake', 80),
      reading('average_hrv', 'hrv_rmssd', 'ms', 117),
      reading('lowest_heart_rate', 'resting_heart_rate', 'bpm', 48),
      // The sample's average heart rate (4.25) is nonsense and unmapped anyway.
      reading('average_heart_rate', null, 'bpm', 4.25),
      reading('average_breath', 'respiratory_rate', 'breaths/min', 12.625),
    ]);
  });

  it('phases: 1 deep, 2 light, 3 REM, 4 awake, 5 minutes a digit from bedtime_start, cut at bedtime_end; a nap’s lowest rate is not a resting rate', () => {
    const out = mapSleepPeriods([
      { id: 'n', type: 'late_nap', day: '2024-03-01', bedtime_start: '2024-03-01T14:00:00+01:00', bedtime_end: '2024-03-01T14:22:00+01:00', sleep_phase_5_min: '42213', lowest_heart_rate: 61 },
    ]);
    // 13:00 UTC: awake 13:00-13:05, light 13:05-13:15, deep 13:15-13:20, REM 13:20-13:22 (cut).
    expect(out.filter((s) => s.rawType === 'sleep.stage').map((s) => [s.category, s.startMs, s.endMs])).toEqual([
      ['awake', at('2024-03-01T13:00:00Z'), at('2024-03-01T13:05:00Z')],
      ['light', at('2024-03-01T13:05:00Z'), at('2024-03-01T13:15:00Z')],
      ['deep', at('2024-03-01T13:15:00Z'), at('2024-03-01T13:20:00Z')],
      ['rem', at('2024-03-01T13:20:00Z'), at('2024-03-01T13:22:00Z')],
    ]);
    expect(out.some((s) => s.rawType.startsWith('sleep.total.'))).toBe(false);
    expect(out.find((s) => s.rawType === 'sleep.nap_lowest_heart_rate')).toMatchObject({ metric: null, value: 61 });
    expect(out.some((s) => s.metric === 'resting_heart_rate')).toBe(false);
    expect(mapSleepPeriods([{ id: 'x', type: 'deleted', bedtime_start: '2024-03-01T14:00:00+01:00', bedtime_end: '2024-03-01T15:00:00+01:00' }])).toEqual([]);
  });
});

describe('daily_sleep, daily_readiness, daily_spo2', () => {
  it('daily_sleep: score 63 is the Oura sleep score of 2022-07-14, a daily total', () => {
    expect(mapDailyScores('daily_sleep', rows('daily_sleep.hedgertronic_docstring'), 'Europe/Paris')).toEqual([
      { rawType: 'daily_sleep.score', metric: 'oura_sleep_score', unit: 'score', origin: RING, zone: { name: '+00:00', src: 3 }, startMs: at('2022-07-14T00:00:00Z'), endMs: at('2022-07-15T00:00:00Z'), day: epochDay('2022-07-14'), value: 63 },
    ]);
  });

  it('daily_readiness: score 66 and temperature deviation -0.2 °C of 2021-10-27; the trend stays unmapped', () => {
    const base = { origin: RING, zone: { name: '+00:00', src: 3 }, startMs: at('2021-10-27T00:00:00Z'), endMs: at('2021-10-28T00:00:00Z'), day: epochDay('2021-10-27') };
    expect(mapDailyScores('daily_readiness', rows('daily_readiness.hedgertronic_docstring'), 'Europe/Paris')).toEqual([
      { ...base, rawType: 'daily_readiness.score', metric: 'oura_readiness', unit: 'score', value: 66 },
      { ...base, rawType: 'daily_readiness.temperature_deviation', metric: 'body_temperature_deviation', unit: 'degC', value: -0.2 },
      { ...base, rawType: 'daily_readiness.temperature_trend_deviation', metric: null, unit: 'degC', value: 0.1 },
    ]);
  });

  it('daily_spo2: an average of 0 is a night with nothing measured: no sample; 97.5 % is 0.975 of the day, in the home zone', () => {
    expect(mapDailySpo2(rows('daily_spo2.hedgertronic_docstring'), 'Europe/Paris')).toEqual([]);
    // 2024-03-01 in Paris (+01:00): 2024-02-29 23:00 UTC to 2024-03-01 23:00 UTC.
    expect(mapDailySpo2([{ day: '2024-03-01', spo2_percentage: { average: 97.5 } }], 'Europe/Paris')).toEqual([
      { rawType: 'daily_spo2.average', metric: 'spo2', unit: 'fraction', origin: RING, zone: { name: null, src: 0 }, startMs: at('2024-02-29T23:00:00Z'), endMs: at('2024-03-01T23:00:00Z'), day: epochDay('2024-03-01'), value: 0.975 },
    ]);
  });
});

describe('heartrate', () => {
  it.each(['heartrate.hedgertronic_docstring', 'heartrate.python-ouraring_mock'])('%s: 60 bpm at 2021-01-01 01:02:03 UTC, in the home zone (Oura gives heart rate in UTC)', (name) => {
    expect(mapHeartRate(rows(name))).toEqual([
      { rawType: 'heartrate', metric: 'heart_rate', unit: 'bpm', origin: RING, zone: { name: null, src: 0 }, startMs: at('2021-01-01T01:02:03Z'), endMs: at('2021-01-01T01:02:03Z'), value: 60 },
    ]);
  });
});

describe('workout', () => {
  it.each(['workout.hedgertronic_docstring', 'workout.python-ouraring_mock'])('%s: the sample ends (01:00) before it starts (01:30), so it is left out', (name) => {
    expect(mapWorkouts(rows(name))).toEqual([]);
  });

  it('the same cycling workout the right way round: 30 minutes, 13.5005 km, 300 kcal, a manual entry in +00:00', () => {
    const [w] = rows<Record<string, unknown>>('workout.hedgertronic_docstring');
    expect(mapWorkouts([{ ...w, start_datetime: w.end_datetime as string, end_datetime: w.start_datetime as string }])).toEqual([
      {
        origin: { name: 'Manual entry', deviceKind: 'manual' },
        activityType: 'cycling',
        startMs: at('2021-01-01T01:00:00Z'),
        endMs: at('2021-01-01T01:30:00Z'),
        zone: { name: '+00:00', src: 3 },
        durationS: 1800,
        distanceKm: 13.5005,
        energyKcal: 300,
        avgHeartRate: null,
        maxHeartRate: null,
        details: { ouraId: '8f9a5221-639e-4a85-81cb-4065ef23f979', activity: 'cycling', intensity: 'moderate', label: null, source: 'manual' },
      },
    ]);
    expect(mapWorkouts([{ activity: 'strengthTraining', start_datetime: '2024-03-01T08:00:00+01:00', end_datetime: '2024-03-01T08:30:00+01:00', source: 'autodetected' }])[0]).toMatchObject({
      activityType: 'strength_training',
      origin: RING,
    });
  });
});

describe('through the one sample writer', () => {
  let core: ReturnType<typeof tempCore> | null = null;
  afterEach(() => {
    core?.cleanup();
    core = null;
  });

  it('a day Oura revises replaces its totals and its activity classes instead of adding to them', () => {
    core = tempCore();
    const writer = new SampleWriter(core.db.$client, 'oura');
    const day = { day: '2024-03-01', timestamp: '2024-03-01T04:00:00.000+01:00', steps: 1000, active_calories: 50, class_5_min: '1122' };
    const first = writer.write(mapDailyActivity([day], 'UTC'), [], 'test');
    expect(first.inserted).toBe(4);
    const again = writer.write(mapDailyActivity([{ ...day, steps: 4000, class_5_min: '111222' }], 'UTC'), [], 'test');
    // Steps and both runs (each grew by 5 minutes) replaced; active energy unchanged.
    expect(again).toMatchObject({ inserted: 3, replaced: 3, duplicates: 1 });
    const stored = core.db.$client.prepare("SELECT t.raw_type AS raw, s.value, s.start_ms AS s, s.end_ms AS e FROM samples s JOIN sample_types t ON t.id = s.type_id ORDER BY raw, s.start_ms").all();
    expect(stored).toEqual([
      { raw: 'activity.active_calories', value: 50, s: at('2024-02-29T23:00:00Z'), e: at('2024-03-01T23:00:00Z') },
      { raw: 'activity.class_5_min', value: 1, s: at('2024-03-01T03:00:00Z'), e: at('2024-03-01T03:15:00Z') },
      { raw: 'activity.class_5_min', value: 2, s: at('2024-03-01T03:15:00Z'), e: at('2024-03-01T03:30:00Z') },
      { raw: 'activity.steps', value: 4000, s: at('2024-02-29T23:00:00Z'), e: at('2024-03-01T23:00:00Z') },
    ]);
  });
});

describe("Oura's refusals in words", () => {
  const words = ouraRefusal('heart rate', 'heartrate');
  const refusal = (status: number, body: unknown) => {
    const v = words(status, body);
    return v && 'message' in v ? v : null;
  };
  it('names the missing permission, the expired membership, or both when the 403 names neither', () => {
    expect(refusal(403, { title: 'Missing Scopes', detail: 'Your token must have the scopes: heartrate' })?.message).toContain('the "heartrate" permission is missing');
    expect(refusal(403, { title: 'Forbidden', detail: "The user's Oura membership has expired" })?.message).toContain('membership on this account has expired');
    const unknown = refusal(403, { title: 'Forbidden' })?.message ?? '';
    expect(unknown).toContain('Either the "heartrate" permission is missing');
    expect(unknown).toContain('or the Oura membership has expired');
  });
});
