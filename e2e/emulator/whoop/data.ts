// The emulator's WHOOP account: a month of cycles, each with its recovery and night, a run every
// third day and one nap, shaped like API v2's answers (fixtures in
// src/main/core/providers/whoop/fixtures). Made-up numbers. The quirks it holds: the last
// cycle is still in progress (no `end`), one cycle is PENDING_SCORE (no score, no recovery),
// the last four days are a trip to +01:00, and 30 cycles do not fit in one page of 25.

export interface Cycle {
  id: number;
  user_id: number;
  created_at: string;
  updated_at: string;
  start: string;
  end?: string;
  timezone_offset: string;
  score_state: 'SCORED' | 'PENDING_SCORE' | 'UNSCORABLE';
  score?: { strain: number; kilojoule: number; average_heart_rate: number; max_heart_rate: number };
}

export interface Recovery {
  cycle_id: number;
  sleep_id: string;
  user_id: number;
  created_at: string;
  updated_at: string;
  score_state: 'SCORED' | 'PENDING_SCORE' | 'UNSCORABLE';
  score?: { user_calibrating: boolean; recovery_score: number; resting_heart_rate: number; hrv_rmssd_milli: number; spo2_percentage: number; skin_temp_celsius: number };
}

export interface Sleep {
  id: string;
  cycle_id: number;
  v1_id: number | null;
  user_id: number;
  created_at: string;
  updated_at: string;
  start: string;
  end: string;
  timezone_offset: string;
  nap: boolean;
  score_state: 'SCORED' | 'PENDING_SCORE' | 'UNSCORABLE';
  score?: {
    stage_summary: Record<string, number>;
    sleep_needed: Record<string, number>;
    respiratory_rate: number;
    sleep_performance_percentage: number;
    sleep_consistency_percentage: number;
    sleep_efficiency_percentage: number;
  };
}

export interface Workout {
  id: string;
  v1_id: number | null;
  user_id: number;
  created_at: string;
  updated_at: string;
  start: string;
  end: string;
  timezone_offset: string;
  sport_name: string;
  sport_id: number;
  score_state: 'SCORED' | 'PENDING_SCORE' | 'UNSCORABLE';
  score?: {
    strain: number;
    average_heart_rate: number;
    max_heart_rate: number;
    kilojoule: number;
    percent_recorded: number;
    distance_meter: number | null;
    altitude_gain_meter: number | null;
    altitude_change_meter: number | null;
    zone_durations: Record<string, number>;
  };
}

export interface WhoopData {
  userId: number;
  cycles: Cycle[];
  recoveries: Recovery[];
  sleeps: Sleep[];
  workouts: Workout[];
  body: { height_meter: number; weight_kilogram: number; max_heart_rate: number };
}

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const tz = (offsetMin: number) => `${offsetMin < 0 ? '-' : '+'}${String(Math.abs(offsetMin) / 60).padStart(2, '0')}:00`;

/** How many days the account holds (cycles 0..DAYS-1; cycle i starts at the sleep ending on day i). */
export const DAYS = 30;
/** The cycle WHOOP has not scored yet. */
export const PENDING_CYCLE = 1_000 + 12;
/** The day of the nap (14:00–14:40 local). */
export const NAP_DAY = 9;

/**
 * Cycle i (id 1000 + i) starts when the person falls asleep at 23:00 local on the evening before
 * day i and ends at the next sleep onset; its night runs 23:00–07:00 (480 min in bed: light 240,
 * deep 100, REM 110, awake 30) and ends on local date firstDay + i; its recovery is scored at
 * 07:10. Days 0–25 are at UTC−5, days 26–29 at UTC+1. Every third day a run, 18:00–18:45 local,
 * 6 km, 2510.4 kJ (600 kcal).
 */
export function defaultWhoopData(firstDay = '2026-02-01'): WhoopData {
  const first = Date.parse(`${firstDay}T00:00:00Z`);
  /** Local wall time `hh:mm` on firstDay + `day` at `offsetMin` east of UTC, as a UTC instant. */
  const local = (day: number, hh: number, mm: number, offsetMin: number) => first + day * 86_400_000 + (hh * 60 + mm - offsetMin) * MIN;
  const userId = 10129;
  const d: WhoopData = { userId, cycles: [], recoveries: [], sleeps: [], workouts: [], body: { height_meter: 1.8288, weight_kilogram: 90.7185, max_heart_rate: 200 } };
  const offsetOf = (day: number) => (day >= 26 ? 60 : -300);
  for (let i = 0; i < DAYS; i++) {
    const off = offsetOf(i);
    const onset = local(i - 1, 23, 0, off);
    const wake = local(i, 7, 0, off);
    const nextOnset = local(i, 23, 0, offsetOf(i + 1));
    const id = 1_000 + i;
    const last = i === DAYS - 1;
    const pending = id === PENDING_CYCLE;
    const sleepId = `5eep-${String(i).padStart(4, '0')}`;
    d.cycles.push({
      id,
      user_id: userId,
      created_at: iso(onset + 5 * MIN),
      updated_at: iso(last ? wake + 30 * MIN : nextOnset + 10 * MIN),
      start: iso(onset),
      ...(last ? {} : { end: iso(nextOnset) }),
      timezone_offset: tz(off),
      score_state: pending ? 'PENDING_SCORE' : 'SCORED',
      ...(pending ? {} : { score: { strain: 8 + (i % 10) * 0.75, kilojoule: 8368 + i * 41.84, average_heart_rate: 60 + (i % 7), max_heart_rate: 150 + (i % 20) } }),
    });
    d.sleeps.push({
      id: sleepId,
      cycle_id: id,
      v1_id: null,
      user_id: userId,
      created_at: iso(wake + 5 * MIN),
      updated_at: iso(wake + 10 * MIN),
      start: iso(onset),
      end: iso(wake),
      timezone_offset: tz(off),
      nap: false,
      score_state: 'SCORED',
      score: {
        stage_summary: {
          total_in_bed_time_milli: 480 * MIN,
          total_awake_time_milli: 30 * MIN,
          total_no_data_time_milli: 0,
          total_light_sleep_time_milli: 240 * MIN,
          total_slow_wave_sleep_time_milli: 100 * MIN,
          total_rem_sleep_time_milli: 110 * MIN,
          sleep_cycle_count: 4,
          disturbance_count: 9,
        },
        sleep_needed: { baseline_milli: 450 * MIN, need_from_sleep_debt_milli: 20 * MIN, need_from_recent_strain_milli: 10 * MIN, need_from_recent_nap_milli: 0 },
        respiratory_rate: 14 + (i % 4) * 0.5,
        sleep_performance_percentage: 90,
        sleep_consistency_percentage: 80,
        sleep_efficiency_percentage: 93.75,
      },
    });
    if (!pending) {
      d.recoveries.push({
        cycle_id: id,
        sleep_id: sleepId,
        user_id: userId,
        created_at: iso(wake + 10 * MIN),
        updated_at: iso(wake + 12 * MIN),
        score_state: 'SCORED',
        score: { user_calibrating: false, recovery_score: 30 + i * 2, resting_heart_rate: 50 + (i % 5), hrv_rmssd_milli: 40 + i, spo2_percentage: 95 + (i % 4) * 0.5, skin_temp_celsius: 33.5 },
      });
    }
    if (i % 3 === 0) {
      d.workouts.push({
        id: `w0rk-${String(i).padStart(4, '0')}`,
        v1_id: null,
        user_id: userId,
        created_at: iso(local(i, 18, 50, off)),
        updated_at: iso(local(i, 19, 0, off)),
        start: iso(local(i, 18, 0, off)),
        end: iso(local(i, 18, 45, off)),
        timezone_offset: tz(off),
        sport_name: 'running',
        sport_id: 0,
        score_state: 'SCORED',
        score: {
          strain: 11.5,
          average_heart_rate: 148,
          max_heart_rate: 176,
          kilojoule: 2510.4,
          percent_recorded: 100,
          distance_meter: 6000,
          altitude_gain_meter: 35,
          altitude_change_meter: 0,
          zone_durations: { zone_zero_milli: 0, zone_one_milli: 5 * MIN, zone_two_milli: 15 * MIN, zone_three_milli: 20 * MIN, zone_four_milli: 5 * MIN, zone_five_milli: 0 },
        },
      });
    }
  }
  // The nap: 14:00–14:40 local on NAP_DAY, 35 minutes of light sleep and 5 awake.
  const off = offsetOf(NAP_DAY);
  d.sleeps.push({
    id: 'nap-0001',
    cycle_id: 1_000 + NAP_DAY,
    v1_id: null,
    user_id: userId,
    created_at: iso(local(NAP_DAY, 14, 45, off)),
    updated_at: iso(local(NAP_DAY, 14, 50, off)),
    start: iso(local(NAP_DAY, 14, 0, off)),
    end: iso(local(NAP_DAY, 14, 40, off)),
    timezone_offset: tz(off),
    nap: true,
    score_state: 'SCORED',
    score: {
      stage_summary: {
        total_in_bed_time_milli: 40 * MIN,
        total_awake_time_milli: 5 * MIN,
        total_no_data_time_milli: 0,
        total_light_sleep_time_milli: 35 * MIN,
        total_slow_wave_sleep_time_milli: 0,
        total_rem_sleep_time_milli: 0,
        sleep_cycle_count: 0,
        disturbance_count: 1,
      },
      sleep_needed: { baseline_milli: 0, need_from_sleep_debt_milli: 0, need_from_recent_strain_milli: 0, need_from_recent_nap_milli: 0 },
      respiratory_rate: 15,
      sleep_performance_percentage: 100,
      sleep_consistency_percentage: 0,
      sleep_efficiency_percentage: 87.5,
    },
  });
  return d;
}

/**
 * What one full sync stores, counted by hand from the rules in core/providers/whoop/map.ts:
 * a scored cycle 4 samples (strain, energy, average and maximum heart rate); a recovery 6
 * (score, resting heart rate, HRV, SpO2, skin temperature, calibrating); a night 11 (in bed, 5
 * stage totals including in bed, breathing rate, sleep need, performance, consistency,
 * efficiency); the nap 9 (its zero deep and REM are not stored); the body 3.
 */
export function expectedWhoopCounts(d: WhoopData = defaultWhoopData()) {
  const cycles = d.cycles.filter((c) => c.score_state === 'SCORED').length * 4;
  const recoveries = d.recoveries.length * 6;
  const sleep = d.sleeps.filter((s) => !s.nap).length * 11 + d.sleeps.filter((s) => s.nap).length * 9;
  const body = 3;
  return { cycles, recoveries, sleep, body, samples: cycles + recoveries + sleep + body, workouts: d.workouts.length };
}
