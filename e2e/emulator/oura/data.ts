// The emulator's Oura account: three hand-written days shaped like Oura API v2's answers (made-up
// person and numbers), ending on `lastDay`, in Paris winter time (+01:00). Each record carries
// the quirk it exists for in a comment. Tests pass a fixed `lastDay`; standalone and e2e use the
// emulator's yesterday so the first sync (the last two years) finds them.

export interface OuraData {
  daily_activity: Record<string, unknown>[];
  sleep: Record<string, unknown>[];
  daily_sleep: Record<string, unknown>[];
  daily_readiness: Record<string, unknown>[];
  daily_spo2: Record<string, unknown>[];
  workout: Record<string, unknown>[];
  heartrate: { bpm: number; source: string; timestamp: string }[];
}

const DAY_MS = 86_400_000;
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

export function defaultOuraData(lastDay: string): OuraData {
  const d0ms = Date.parse(`${lastDay}T00:00:00Z`);
  const [d2, d1, d0] = [2, 1, 0].map((k) => dayText(d0ms - k * DAY_MS));
  const activity = (day: string, steps: number, active: number, total: number, walk: number, score: number, classes: string) => ({
    id: `act-${day}`,
    day,
    // Oura's activity day starts at 04:00 local time.
    timestamp: `${day}T04:00:00.000+01:00`,
    steps,
    active_calories: active,
    total_calories: total,
    equivalent_walking_distance: walk,
    score,
    class_5_min: classes,
    met: { interval: 60, items: [0.9, 1.2], timestamp: `${day}T04:00:00.000+01:00` },
  });
  return {
    daily_activity: [
      // Class runs: 1×3, 2×3, 3×3, 0×1 → four intervals from 04:00.
      activity(d2, 8000, 400, 2300, 6000, 80, '1112223330'),
      activity(d1, 10_500, 520, 2450, 8000, 85, '5544'),
      // Today so far: no classes yet.
      activity(d0, 3000, 150, 1900, 2000, 70, ''),
    ],
    sleep: [
      {
        id: 'sleep-1',
        day: d1,
        type: 'long_sleep',
        bedtime_start: `${d2}T23:10:00+01:00`,
        bedtime_end: `${d1}T07:00:00+01:00`,
        // awake 5, light 15, deep 10, REM 10, light 20, awake 5 minutes (then nothing recorded).
        sleep_phase_5_min: '4222113322224',
        deep_sleep_duration: 600,
        light_sleep_duration: 2100,
        rem_sleep_duration: 600,
        awake_time: 600,
        average_hrv: 45,
        lowest_heart_rate: 52,
        average_heart_rate: 58,
        average_breath: 14.5,
      },
      {
        id: 'nap-1',
        day: d1,
        type: 'late_nap',
        bedtime_start: `${d1}T14:00:00+01:00`,
        bedtime_end: `${d1}T14:20:00+01:00`,
        // Five slots in a 20-minute period: the last (awake) starts at the period's end and is cut away.
        sleep_phase_5_min: '22224',
        average_hrv: 38,
        lowest_heart_rate: 60,
        average_heart_rate: null,
        average_breath: null,
      },
      {
        id: 'sleep-2',
        day: d0,
        type: 'long_sleep',
        bedtime_start: `${d1}T23:30:00+01:00`,
        bedtime_end: `${d0}T06:30:00+01:00`,
        // No phases: the durations become the night's stage totals.
        sleep_phase_5_min: null,
        deep_sleep_duration: 3600,
        light_sleep_duration: 14_400,
        rem_sleep_duration: 5400,
        awake_time: 1800,
        average_hrv: 50,
        lowest_heart_rate: 50,
        average_heart_rate: 55,
        average_breath: 14,
      },
    ],
    daily_sleep: [
      { id: `ds-${d2}`, day: d2, score: 78, timestamp: `${d2}T00:00:00+00:00` },
      { id: `ds-${d1}`, day: d1, score: 82, timestamp: `${d1}T00:00:00+00:00` },
      // Not scored yet.
      { id: `ds-${d0}`, day: d0, score: null, timestamp: `${d0}T00:00:00+00:00` },
    ],
    daily_readiness: [
      { id: `dr-${d2}`, day: d2, score: 75, temperature_deviation: -0.2, temperature_trend_deviation: 0.1, timestamp: `${d2}T00:00:00+00:00` },
      { id: `dr-${d1}`, day: d1, score: 80, temperature_deviation: 0.3, temperature_trend_deviation: null, timestamp: `${d1}T00:00:00+00:00` },
      { id: `dr-${d0}`, day: d0, score: 66, temperature_deviation: null, temperature_trend_deviation: null, timestamp: `${d0}T00:00:00+00:00` },
    ],
    daily_spo2: [
      { id: `sp-${d2}`, day: d2, spo2_percentage: { average: 97.5 } },
      { id: `sp-${d1}`, day: d1, spo2_percentage: { average: 96 } },
      // 0: nothing measured that night.
      { id: `sp-${d0}`, day: d0, spo2_percentage: { average: 0 } },
    ],
    workout: [
      { id: 'w-1', activity: 'running', calories: 480, day: d1, distance: 7200, start_datetime: `${d1}T18:00:00.000+01:00`, end_datetime: `${d1}T18:45:00.000+01:00`, intensity: 'hard', label: null, source: 'autodetected' },
      { id: 'w-2', activity: 'strengthTraining', calories: 90, day: d0, distance: null, start_datetime: `${d0}T08:00:00.000+01:00`, end_datetime: `${d0}T08:30:00.000+01:00`, intensity: 'moderate', label: 'Gym', source: 'manual' },
    ],
    heartrate: [
      // Four readings five minutes apart at 12:00 UTC on each day, and one 40 days earlier (another 30-day window).
      ...[d2, d1, d0].flatMap((day, i) => [0, 5, 10, 15].map((m, j) => ({ bpm: 60 + i * 5 + j, source: 'awake', timestamp: utc(Date.parse(`${day}T12:00:00Z`) + m * 60_000) }))),
      { bpm: 57, source: 'rest', timestamp: utc(d0ms - 40 * DAY_MS + 12 * 3_600_000) },
    ],
  };
}

/** What the default data should store, counted by hand from the records above. */
export function expectedOuraCounts() {
  // Per day: steps, active and total calories, equivalent walking distance, score; plus class runs 4, 2, 0.
  const activity = 3 * 5 + 4 + 2;
  // sleep-1: in bed, 6 stage runs, 4 readings; the nap: in bed, 1 stage, HRV and lowest rate; sleep-2: in bed, 4 totals, 4 readings.
  const sleep = 11 + 4 + 9;
  const dailySleep = 2;
  // Scores 3, temperature deviations 2, trend 1.
  const readiness = 6;
  const spo2 = 2;
  const heartrate = 13;
  const samples = activity + sleep + dailySleep + readiness + spo2 + heartrate;
  return { activity, sleep, dailySleep, readiness, spo2, heartrate, samples, workouts: 2 };
}
