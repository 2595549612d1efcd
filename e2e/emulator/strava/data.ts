// The emulator's Strava athlete: a few hand-written activities shaped like the real API's
// DetailedActivity (each with the quirk it exists for), or thousands of generated ones for the
// rate-limit tests. Summaries (the list) are the same records without `calories`, as in Strava.

export interface EmuActivity {
  id: number;
  name: string;
  type: string;
  sport_type?: string;
  start_date: string;
  start_date_local: string;
  timezone: string;
  utc_offset: number;
  distance: number;
  moving_time: number;
  elapsed_time: number;
  total_elevation_gain: number;
  kilojoules?: number;
  calories?: number;
  has_heartrate: boolean;
  average_heartrate?: number;
  max_heartrate?: number;
  device_name?: string;
  manual: boolean;
  trainer: boolean;
  commute: boolean;
  private: boolean;
  resource_state: number;
  athlete: { id: number; resource_state: number };
}

export interface StravaData {
  athleteId: number;
  activities: EmuActivity[];
  /** Heart-rate streams by activity id: seconds from the start, and bpm. */
  streams: Record<number, { time: number[]; heartrate: number[] }>;
}

const ATHLETE = 271828;

function activity(p: Partial<EmuActivity> & Pick<EmuActivity, 'id' | 'start_date' | 'start_date_local' | 'timezone' | 'type'>): EmuActivity {
  const offset = (Date.parse(p.start_date_local) - Date.parse(p.start_date)) / 1000;
  return {
    name: `Activity ${p.id}`,
    utc_offset: offset,
    distance: 0,
    moving_time: 1800,
    elapsed_time: 1800,
    total_elevation_gain: 0,
    has_heartrate: false,
    manual: false,
    trainer: false,
    commute: false,
    private: false,
    resource_state: 3,
    athlete: { id: ATHLETE, resource_state: 1 },
    ...p,
  };
}

/** Four activities, oldest first. */
export function defaultStravaData(): StravaData {
  return {
    athleteId: ATHLETE,
    activities: [
      // A ride in Los Angeles with power: details give calories; a heart-rate stream with a pause.
      activity({
        id: 9001, name: 'Morning Ride', type: 'Ride', sport_type: 'Ride',
        start_date: '2025-10-20T14:00:00Z', start_date_local: '2025-10-20T07:00:00Z', timezone: '(GMT-08:00) America/Los_Angeles',
        distance: 40_250, moving_time: 5_400, elapsed_time: 6_000, total_elevation_gain: 410, kilojoules: 950, calories: 1_020,
        has_heartrate: true, average_heartrate: 141.5, max_heartrate: 172, device_name: 'Garmin Edge 1030',
      }),
      // An older-style run: no sport_type (the type says it), Paris, summer time.
      activity({
        id: 9002, name: 'Lunch Run', type: 'Run',
        start_date: '2025-10-22T10:30:00Z', start_date_local: '2025-10-22T12:30:00Z', timezone: '(GMT+01:00) Europe/Paris',
        distance: 10_010, moving_time: 3_000, elapsed_time: 3_120, total_elevation_gain: 35, calories: 690,
        has_heartrate: true, average_heartrate: 155, max_heartrate: 181, device_name: 'Garmin Forerunner 955',
      }),
      // A zone Strava names that this system does not know: the local time's offset decides (+05:45).
      activity({
        id: 9003, name: 'Hike', type: 'Hike', sport_type: 'Hike',
        start_date: '2025-10-24T02:15:00Z', start_date_local: '2025-10-24T08:00:00Z', timezone: '(GMT+05:45) Asia/Nowhere',
        distance: 12_000, moving_time: 14_400, elapsed_time: 16_200, total_elevation_gain: 900, calories: 1_400,
      }),
      // Typed in by hand: no device, no heart rate.
      activity({
        id: 9004, name: 'Yoga', type: 'Yoga', sport_type: 'Yoga', manual: true,
        start_date: '2025-10-25T17:00:00Z', start_date_local: '2025-10-25T19:00:00Z', timezone: '(GMT+01:00) Europe/Paris',
        moving_time: 3_600, elapsed_time: 3_600, calories: 180,
      }),
    ],
    streams: {
      // 0, 10, 20 s, then a 5-minute pause, then 320 s.
      9001: { time: [0, 10, 20, 320], heartrate: [120, 130, 140, 150] },
      9002: { time: [0, 30, 60], heartrate: [150, 160, 170] },
    },
  };
}

/**
 * `n` generated runs and rides, one a day at 06:00 UTC ending `endMs` (oldest first), every
 * tenth with heart rate and a three-point stream.
 */
export function generatedStravaData(n: number, endMs = Date.parse('2026-11-01T06:00:00Z')): StravaData {
  const activities: EmuActivity[] = [];
  const streams: StravaData['streams'] = {};
  for (let i = 0; i < n; i++) {
    const start = endMs - (n - 1 - i) * 86_400_000;
    const id = 100_000 + i;
    const ride = i % 3 === 0;
    activities.push(
      activity({
        id, type: ride ? 'Ride' : 'Run', sport_type: ride ? 'Ride' : 'Run',
        start_date: new Date(start).toISOString().replace('.000Z', 'Z'),
        start_date_local: new Date(start + 3_600_000).toISOString().replace('.000Z', 'Z'),
        timezone: '(GMT+01:00) Africa/Lagos',
        distance: ride ? 30_000 : 8_000, moving_time: 2_400, elapsed_time: 2_500, calories: 400 + (i % 7),
        has_heartrate: i % 10 === 0, average_heartrate: i % 10 === 0 ? 140 : undefined, max_heartrate: i % 10 === 0 ? 170 : undefined,
        device_name: 'Garmin Forerunner 955',
      }),
    );
    if (i % 10 === 0) streams[id] = { time: [0, 5, 10], heartrate: [130, 140, 150] };
  }
  return { athleteId: ATHLETE, activities, streams };
}
