// Strava payloads → workouts and heart-rate readings, on every fixture in ./fixtures (copies of
// the shared corpus; see fixtures/MANIFEST.txt). Every expected value is worked out by hand from
// the payload in the comments, not with the zone code under test.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getSource } from '../../../../shared/catalog';
import { ZONE_SRC } from '../../time/zones';
import { ianaOfStravaTimezone, mapActivity, mapHeartRateStream, type StravaActivity } from './map';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(here, 'fixtures', name), 'utf8'));
const LA = { name: 'America/Los_Angeles', src: ZONE_SRC.provider };
const GARMIN_EDGE = { name: 'Garmin Edge 1030', deviceKind: 'watch' };

describe('every Strava fixture maps to the workouts worked out by hand', () => {
  it('swagger_example_GET_athlete_activities.json: two summary rides, energy from kilojoules', () => {
    const list = fixture('swagger_example_GET_athlete_activities.json') as StravaActivity[];
    expect(list.map(mapActivity)).toEqual([
      {
        origin: GARMIN_EDGE,
        activityType: 'MountainBikeRide',
        // 12:15:09Z; local 05:15:09 is UTC−7, which is Los Angeles in May (PDT): its named zone.
        startMs: Date.UTC(2018, 4, 2, 12, 15, 9),
        // + elapsed 4,500 s = 13:30:09Z
        endMs: Date.UTC(2018, 4, 2, 13, 30, 9),
        zone: LA,
        durationS: 4500,
        distanceKm: 24.9314,
        // No calories in a summary: 788.7 kJ of work ≈ 788.7 kcal.
        energyKcal: 788.7,
        avgHeartRate: 140.3,
        maxHeartRate: 178,
        details: { stravaId: 154504250376823, name: 'Happy Friday', elapsedS: 4500, movingS: 4500, elevationGainM: 0, kilojoules: 788.7, energyFrom: 'kilojoules', trainer: true, commute: false },
      },
      {
        origin: GARMIN_EDGE,
        activityType: 'MountainBikeRide',
        // 12:35:51Z; local 05:35:51 = UTC−7 = PDT in April.
        startMs: Date.UTC(2018, 3, 30, 12, 35, 51),
        // + 5,400 s = 14:05:51Z
        endMs: Date.UTC(2018, 3, 30, 14, 5, 51),
        zone: LA,
        durationS: 5400,
        distanceKm: 23.6765,
        energyKcal: 1080,
        avgHeartRate: 152.4,
        maxHeartRate: 183,
        details: { stravaId: 1234567809, name: 'Bondcliff', elapsedS: 5400, movingS: 5400, elevationGainM: 0, kilojoules: 1080, energyFrom: 'kilojoules', trainer: true, commute: false },
      },
    ]);
  });

  it('swagger_example_GET_activities_id.json: a detailed ride, energy from calories, moving time shorter than elapsed', () => {
    const a = fixture('swagger_example_GET_activities_id.json') as StravaActivity;
    expect(mapActivity(a)).toEqual({
      origin: GARMIN_EDGE,
      activityType: 'MountainBikeRide',
      // 14:52:54Z; local 06:52:54 = UTC−8 = PST in February.
      startMs: Date.UTC(2018, 1, 16, 14, 52, 54),
      // + elapsed 4,410 s (1 h 13 min 30 s) = 16:06:24Z
      endMs: Date.UTC(2018, 1, 16, 16, 6, 24),
      zone: LA,
      durationS: 4207,
      distanceKm: 28.099,
      energyKcal: 870.2,
      // has_heartrate false, no heart-rate fields.
      avgHeartRate: null,
      maxHeartRate: null,
      // The id (12345678987654321) is beyond 2^53: JSON gives the nearest double.
      details: { stravaId: Number('12345678987654321'), name: 'Happy Friday', elapsedS: 4410, movingS: 4207, elevationGainM: 516, kilojoules: 780.5, energyFrom: 'calories', trainer: false, commute: false },
    });
  });

  it('activity_detailed_stravalib_activity.3.json: an older detailed run without sport_type or device', () => {
    const a = fixture('activity_detailed_stravalib_activity.3.json') as StravaActivity;
    expect(mapActivity(a)).toEqual({
      origin: { name: 'Strava', deviceKind: 'app' },
      activityType: 'Run',
      // 19:36:41Z; local 11:36:41 = UTC−8 = PST in December.
      startMs: Date.UTC(2013, 11, 12, 19, 36, 41),
      // + 3,140 s (52 min 20 s) = 20:29:01Z
      endMs: Date.UTC(2013, 11, 12, 20, 29, 1),
      zone: LA,
      durationS: 2892,
      distanceKm: 5.7811,
      energyKcal: 537.9,
      avgHeartRate: null,
      maxHeartRate: null,
      details: { stravaId: 99895560, name: 'Lunch Rover Shuffle-Walk-Yog with Todd', elapsedS: 3140, movingS: 2892, elevationGainM: 13.5, kilojoules: null, energyFrom: 'calories', trainer: false, commute: false },
    });
  });

  it('swagger_example_GET_activities_id_streams.json: a distance stream only, so no heart-rate readings', () => {
    const body = fixture('swagger_example_GET_activities_id_streams.json');
    expect(mapHeartRateStream(body, { id: 1, startMs: 0, zone: LA, origin: GARMIN_EDGE })).toEqual([]);
  });

  it('swagger_example_GET_athlete.json and activity_zones_stravalib.json are no activities: no workouts', () => {
    expect(mapActivity(fixture('swagger_example_GET_athlete.json') as StravaActivity)).toBeNull();
    const zones = fixture('activity_zones_stravalib.json') as StravaActivity[];
    expect(zones).toHaveLength(2);
    expect(zones.map(mapActivity)).toEqual([null, null]);
  });
});

describe('zones, origins and energy', () => {
  const base: StravaActivity = { id: 7, type: 'Run', start_date: '2025-10-22T10:30:00Z', moving_time: 600, elapsed_time: 660 };

  it('the IANA name inside Strava’s timezone is read; other spellings are not', () => {
    expect(ianaOfStravaTimezone('(GMT-08:00) America/Los_Angeles')).toBe('America/Los_Angeles');
    expect(ianaOfStravaTimezone('(GMT+05:45) Asia/Kathmandu')).toBe('Asia/Kathmandu');
    expect(ianaOfStravaTimezone('Europe/Paris')).toBe('Europe/Paris');
    expect(ianaOfStravaTimezone('Pacific Time')).toBeNull();
    expect(ianaOfStravaTimezone(undefined)).toBeNull();
  });

  it('a zone this system does not know gives way to the local time’s offset (+05:45)', () => {
    const w = mapActivity({ ...base, start_date_local: '2025-10-22T16:15:00Z', timezone: '(GMT+05:45) Asia/Nowhere' })!;
    expect(w.zone).toEqual({ name: '+05:45', src: ZONE_SRC.offset });
  });

  it('a named zone that disagrees with the local time is not believed: the offset is (−03:00, not Paris’ +02:00)', () => {
    const w = mapActivity({ ...base, start_date_local: '2025-10-22T07:30:00Z', timezone: '(GMT+01:00) Europe/Paris' })!;
    expect(w.zone).toEqual({ name: '-03:00', src: ZONE_SRC.offset });
  });

  it('Paris in summer time agrees with a local time two hours ahead', () => {
    const w = mapActivity({ ...base, start_date_local: '2025-10-22T12:30:00Z', timezone: '(GMT+01:00) Europe/Paris' })!;
    expect(w.zone).toEqual({ name: 'Europe/Paris', src: ZONE_SRC.provider });
  });

  it('no zone and no local time: the home zone', () => {
    expect(mapActivity(base)!.zone).toEqual({ name: null, src: ZONE_SRC.home });
  });

  it('a typed-in activity is manual entry; a phone is a phone; calories win over kilojoules', () => {
    expect(mapActivity({ ...base, manual: true, device_name: 'Garmin' })!.origin).toEqual({ name: 'Manual entry', deviceKind: 'manual' });
    expect(mapActivity({ ...base, device_name: 'Strava iPhone App' })!.origin).toEqual({ name: 'Strava iPhone App', deviceKind: 'phone' });
    expect(mapActivity({ ...base, device_name: 'Zwift' })!.origin).toEqual({ name: 'Zwift', deviceKind: 'app' });
    const w = mapActivity({ ...base, calories: 300, kilojoules: 250 })!;
    expect(w.energyKcal).toBe(300);
    expect(w.details.energyFrom).toBe('calories');
    expect(mapActivity({ ...base, distance: 0 })!.distanceKm).toBeNull();
  });

  it('no start or no time at all: no workout', () => {
    expect(mapActivity({ ...base, start_date: undefined })).toBeNull();
    expect(mapActivity({ ...base, moving_time: 0, elapsed_time: 0 })).toBeNull();
  });
});

describe('heart-rate streams', () => {
  const act = { id: 9001, startMs: Date.UTC(2025, 9, 20, 14), zone: LA, origin: GARMIN_EDGE };
  const t0 = act.startMs;

  it('each point holds until the next; after a pause longer than a minute it is a point reading; both answer shapes', () => {
    const keyed = { time: { data: [0, 10, 20, 320] }, heartrate: { data: [120, 130, 140, 150] } };
    const expected = [
      [t0, t0 + 10_000, 120],
      [t0 + 10_000, t0 + 20_000, 130],
      // 300 s to the next point: a pause.
      [t0 + 20_000, t0 + 20_000, 140],
      [t0 + 320_000, t0 + 320_000, 150],
    ].map(([startMs, endMs, value]) => ({ rawType: 'stream.heartrate', metric: 'heart_rate', unit: 'bpm', origin: GARMIN_EDGE, startMs, endMs, zone: LA, value, ref: 'hr:9001' }));
    expect(mapHeartRateStream(keyed, act)).toEqual(expected);
    const listed = [
      { type: 'time', data: [0, 10, 20, 320] },
      { type: 'heartrate', data: [120, 130, 140, 150] },
    ];
    expect(mapHeartRateStream(listed, act)).toEqual(expected);
  });

  it('streams of different lengths, or zero heart rate, give nothing for those points', () => {
    expect(mapHeartRateStream({ time: { data: [0, 1] }, heartrate: { data: [100] } }, act)).toEqual([]);
    expect(mapHeartRateStream({ time: { data: [0] }, heartrate: { data: [0] } }, act)).toEqual([]);
  });
});

it('Strava’s catalog metrics are what it writes as samples and workouts', () => {
  expect([...getSource('strava')!.metrics].sort()).toEqual(['heart_rate', 'workouts']);
});
