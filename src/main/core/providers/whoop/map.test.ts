// Every WHOOP v2 fixture (fixtures/, copied from the shared corpus; see fixtures/MANIFEST.txt)
// mapped, with the expected samples and workouts written by hand from each payload.
import { describe, expect, it } from 'vitest';
import { getMetric, getSource } from '../../../../shared/catalog';
import { ZONE_SRC } from '../../time/zones';
import cycleFixture from './fixtures/openapi_schema_examples_GET_v2_cycle.json';
import recoveryFixture from './fixtures/openapi_schema_examples_GET_v2_recovery.json';
import sleepFixture from './fixtures/openapi_schema_examples_GET_v2_activity_sleep.json';
import workoutFixture from './fixtures/openapi_schema_examples_GET_v2_activity_workout.json';
import bodyFixture from './fixtures/openapi_schema_examples_GET_v2_user_measurement_body.json';
import profileFixture from './fixtures/openapi_schema_examples_GET_v2_user_profile_basic.json';
import { activityType, MAPPED_METRICS, mapBody, mapCycle, mapRecovery, mapSleep, mapWorkout, morningOf, whoopZone, type WhoopSleep } from './map';

const band = { name: 'WHOOP', deviceKind: 'band' };
const minus5 = { name: '-05:00', src: ZONE_SRC.offset };
const at = (iso: string) => Date.parse(iso);

describe('WHOOP v2 fixtures', () => {
  // The example sleep belongs to cycle 93845 and ends at 10:25:44.774Z (05:25 on 24 April at UTC−5): that cycle's morning.
  const morning = { atMs: at('2022-04-24T10:25:44.774Z'), zone: minus5 };

  it('the sleep gives cycle 93845 its morning (a nap would not)', () => {
    expect(morningOf(sleepFixture.records[0])).toEqual({ cycleId: 93845, morning });
    expect(morningOf({ ...sleepFixture.records[0], nap: true })).toBeNull();
  });

  it('cycle 93845: strain at its morning; energy in kcal and heart rates kept raw', () => {
    const c = cycleFixture.records[0];
    const ref = { ref: 'cycle:93845', refVersion: at('2022-04-24T14:25:44.774Z') };
    const t = morning.atMs;
    const base = { origin: band, startMs: t, endMs: t, zone: minus5, ...ref };
    expect(mapCycle(c, morning)).toEqual([
      { ...base, rawType: 'cycle.strain', metric: 'whoop_strain', unit: 'score', value: 5.2951527 },
      // 8288.297 kJ / 4.184 = 1980.950526 kcal: everything spent in the cycle, not active energy.
      { ...base, rawType: 'cycle.energy', metric: null, unit: 'kcal', value: 1980.950526 },
      { ...base, rawType: 'cycle.average_heart_rate', metric: null, unit: 'bpm', value: 68 },
      { ...base, rawType: 'cycle.max_heart_rate', metric: null, unit: 'bpm', value: 141 },
    ]);
    expect(cycleFixture.next_token).toBe('MTIzOjEyMzEyMw');
    // Without a sleep (the band not worn that night): at the cycle's start, 02:25:44.774Z.
    expect(mapCycle(c, null)[0]).toMatchObject({ startMs: at('2022-04-24T02:25:44.774Z'), zone: minus5, value: 5.2951527 });
  });

  it('recovery of cycle 93845: at the cycle’s morning, in its night’s offset; HRV in ms, SpO2 a fraction, skin temperature raw', () => {
    const t = morning.atMs;
    const base = { origin: band, startMs: t, endMs: t, zone: minus5, ref: 'recovery:93845', refVersion: at('2022-04-24T14:25:44.774Z') };
    expect(mapRecovery(recoveryFixture.records[0], morning)).toEqual([
      { ...base, rawType: 'recovery.score', metric: 'whoop_recovery', unit: 'score', value: 44 },
      { ...base, rawType: 'recovery.resting_heart_rate', metric: 'resting_heart_rate', unit: 'bpm', value: 64 },
      { ...base, rawType: 'recovery.hrv_rmssd', metric: 'hrv_rmssd', unit: 'ms', value: 31.813562 },
      { ...base, rawType: 'recovery.spo2', metric: 'spo2', unit: 'fraction', value: 0.956875 },
      { ...base, rawType: 'recovery.skin_temp', metric: null, unit: 'degC', value: 33.7 },
      { ...base, rawType: 'recovery.user_calibrating', metric: null, unit: 'flag', value: 0 },
    ]);
    // Without its night: when WHOOP scored it (11:25:44.774Z), in the home zone (a recovery names no offset).
    expect(mapRecovery(recoveryFixture.records[0], null)[0]).toMatchObject({ startMs: at('2022-04-24T11:25:44.774Z'), zone: { name: null, src: ZONE_SRC.home }, value: 44 });
  });

  it('sleep: the time in bed, breathing rate at the night’s end (the day the night counts on), performance figures raw; the example states no stage durations, so no stage totals', () => {
    const start = at('2022-04-24T02:25:44.774Z');
    const end = at('2022-04-24T10:25:44.774Z');
    const base = { origin: band, startMs: start, endMs: end, zone: minus5, ref: 'sleep:ecfc6a15-4661-442f-a9a4-f160dd7afae8', refVersion: at('2022-04-24T14:25:44.774Z') };
    expect(mapSleep(sleepFixture.records[0])).toEqual([
      { ...base, rawType: 'sleep.in_bed', metric: 'sleep', unit: 'min', value: 0, category: 'in_bed' },
      { ...base, startMs: end, endMs: end, rawType: 'sleep.respiratory_rate', metric: 'respiratory_rate', unit: 'breaths/min', value: 16.11328125 },
      { ...base, startMs: end, rawType: 'sleep.performance', metric: null, unit: 'fraction', value: 0.98 },
      { ...base, startMs: end, rawType: 'sleep.consistency', metric: null, unit: 'fraction', value: 0.9 },
      { ...base, startMs: end, rawType: 'sleep.efficiency', metric: null, unit: 'fraction', value: 0.9169533848 },
    ]);
  });

  it('workout: running, kJ → kcal, metres → km, heart rates; strain and altitude in details', () => {
    expect(mapWorkout(workoutFixture.records[0])).toEqual({
      origin: band,
      activityType: 'running',
      startMs: at('2022-04-24T02:25:44.774Z'),
      endMs: at('2022-04-24T10:25:44.774Z'),
      zone: minus5,
      durationS: 8 * 3600,
      // 1772.77035916 m, to 10 significant digits.
      distanceKm: 1.772770359,
      // 1569.34033203125 kJ / 4.184
      energyKcal: 375.0813413,
      avgHeartRate: 123,
      maxHeartRate: 146,
      details: {
        whoopId: 'ecfc6a15-4661-442f-a9a4-f160dd7afae8',
        sportId: 1,
        sportName: 'running',
        scoreState: 'SCORED',
        strain: 8.2463,
        percentRecorded: 100,
        altitudeGainM: 46.64384460449,
        altitudeChangeM: -0.781372010707855,
        zoneMinutes: [null, null, null, null, null, null],
      },
    });
  });

  it('body measurements: height and weight from the profile, read when first seen, in the home zone', () => {
    const t = at('2026-03-01T08:00:00Z');
    const base = { origin: { name: 'WHOOP profile', deviceKind: 'manual' }, startMs: t, endMs: t, zone: { name: null, src: ZONE_SRC.home } };
    expect(mapBody(bodyFixture, t)).toEqual([
      { ...base, rawType: 'body.height', metric: 'height', unit: 'm', value: 1.8288 },
      { ...base, rawType: 'body.weight', metric: 'weight', unit: 'kg', value: 90.7185 },
      { ...base, rawType: 'body.max_heart_rate', metric: null, unit: 'bpm', value: 200 },
    ]);
  });

  it('the basic profile is identity only: its user_id is the account the emulator signs in', () => {
    expect(profileFixture.user_id).toBe(10129);
    expect(cycleFixture.records[0].user_id).toBe(profileFixture.user_id);
  });
});

describe('WHOOP shapes the fixtures do not show', () => {
  const night: WhoopSleep = {
    id: 'night-1',
    start: '2026-03-01T04:10:00.000Z',
    end: '2026-03-01T12:40:00.000Z',
    updated_at: '2026-03-01T13:00:00.000Z',
    timezone_offset: '-05:00',
    nap: false,
    score_state: 'SCORED',
    score: {
      stage_summary: {
        total_in_bed_time_milli: 30_600_000, // 510 min
        total_awake_time_milli: 1_800_000, // 30
        total_no_data_time_milli: 0,
        total_light_sleep_time_milli: 14_400_000, // 240
        total_slow_wave_sleep_time_milli: 6_000_000, // 100
        total_rem_sleep_time_milli: 8_400_000, // 140
      },
      sleep_needed: { baseline_milli: 27_000_000, need_from_sleep_debt_milli: 1_800_000, need_from_recent_strain_milli: 600_000, need_from_recent_nap_milli: -1_200_000 },
      respiratory_rate: 15.5,
    },
  };
  // 23:10 to 07:40 at UTC-5: the night ends on 2026-03-01.
  const march1 = Date.UTC(2026, 2, 1) / 86_400_000;

  it('a night’s stage durations become daily totals (minutes) for the local date it ends', () => {
    const totals = mapSleep(night).filter((s) => s.day !== undefined);
    expect(totals.map((s) => [s.rawType, s.category, s.value, s.day, s.startMs, s.endMs])).toEqual([
      ['sleep.total.light', 'light', 240, march1, at('2026-03-01T04:10:00Z'), at('2026-03-01T12:40:00Z')],
      ['sleep.total.deep', 'deep', 100, march1, at('2026-03-01T04:10:00Z'), at('2026-03-01T12:40:00Z')],
      ['sleep.total.rem', 'rem', 140, march1, at('2026-03-01T04:10:00Z'), at('2026-03-01T12:40:00Z')],
      ['sleep.total.awake', 'awake', 30, march1, at('2026-03-01T04:10:00Z'), at('2026-03-01T12:40:00Z')],
      ['sleep.total.in_bed', 'in_bed', 510, march1, at('2026-03-01T04:10:00Z'), at('2026-03-01T12:40:00Z')],
    ]);
    // Sleep need: 450 + 30 + 10 − 20 minutes.
    expect(mapSleep(night).find((s) => s.rawType === 'sleep.need')).toMatchObject({ value: 470, metric: null, startMs: at('2026-03-01T12:40:00Z') });
  });

  it('a nap’s totals are types of their own, so they add to the night of that date instead of replacing it', () => {
    const nap = mapSleep({ ...night, id: 'nap-1', nap: true, start: '2026-03-01T19:00:00Z', end: '2026-03-01T19:30:00Z' });
    expect(nap.filter((s) => s.day !== undefined).map((s) => s.rawType)).toEqual(['sleep.nap.total.light', 'sleep.nap.total.deep', 'sleep.nap.total.rem', 'sleep.nap.total.awake', 'sleep.nap.total.in_bed']);
    expect(nap[0]).toMatchObject({ rawType: 'sleep.nap.in_bed', ref: 'sleep:nap-1' });
  });

  it('a sleep ending after local midnight east of UTC counts on the local date', () => {
    // 2026-03-01T15:30Z at +09:00 is 00:30 on 2 March.
    const s = mapSleep({ ...night, start: '2026-03-01T07:00:00Z', end: '2026-03-01T15:30:00Z', timezone_offset: '+09:00' });
    expect(new Set(s.filter((x) => x.day !== undefined).map((x) => x.day))).toEqual(new Set([march1 + 1]));
    expect(s[0].zone).toEqual({ name: '+09:00', src: ZONE_SRC.offset });
  });

  it('unscored or pending records store no score', () => {
    expect(mapCycle({ ...cycleFixture.records[0], score_state: 'PENDING_SCORE', score: null }, null)).toEqual([]);
    expect(mapRecovery({ ...recoveryFixture.records[0], score_state: 'UNSCORABLE', score: null }, null)).toEqual([]);
    // An unscored sleep still says when the person was in bed.
    expect(mapSleep({ ...night, score_state: 'PENDING_SCORE', score: null }).map((s) => s.rawType)).toEqual(['sleep.in_bed']);
  });

  it('offsets: "Z" is UTC, a malformed one falls back to the home zone', () => {
    expect(whoopZone('Z')).toEqual({ name: '+00:00', src: ZONE_SRC.offset });
    expect(whoopZone('+05:30')).toEqual({ name: '+05:30', src: ZONE_SRC.offset });
    expect(whoopZone('EST')).toEqual({ name: null, src: ZONE_SRC.home });
    expect(whoopZone(undefined)).toEqual({ name: null, src: ZONE_SRC.home });
  });

  it('sport names become activity types', () => {
    expect(activityType('Functional Fitness')).toBe('functional_fitness');
    expect(activityType('running')).toBe('running');
    expect(activityType('')).toBe('other');
  });

  it('every mapped metric is in the catalog and listed for WHOOP', () => {
    const whoop = getSource('whoop')!;
    for (const m of MAPPED_METRICS) {
      expect(getMetric(m), m).toBeDefined();
      expect(whoop.metrics, m).toContain(m);
    }
  });
});
