// The emulator's Withings account: a small, hand-written week shaped like the real API's
// answers. Each record carries the quirk it exists for in a comment.

export interface MeasureGroup {
  grpid: number;
  attrib: number;
  date: number;
  created: number;
  modified: number;
  category: number;
  deviceid: string | null;
  hash_deviceid: string | null;
  measures: { value: number; type: number; unit: number; algo?: number; fm?: number }[];
  modelid: number | null;
  model: string | null;
  comment: string | null;
}

export interface ActivityDay {
  steps: number;
  distance: number;
  elevation: number;
  soft: number;
  moderate: number;
  intense: number;
  active: number;
  calories: number;
  totalcalories: number;
  deviceid: string | null;
  hash_deviceid: string | null;
  timezone: string;
  date: string;
  modified: number;
  brand: number;
  modelid: number;
  model: string;
  is_tracker: boolean;
}

export interface Workout {
  id: number;
  category: number;
  timezone: string;
  model: number;
  attrib: number;
  startdate: number;
  enddate: number;
  date: string;
  deviceid: string | null;
  data: Record<string, number | null>;
  modified: number;
}

export interface SleepNight {
  id: number;
  timezone: string;
  model: number;
  model_id: number;
  hash_deviceid: string;
  startdate: number;
  enddate: number;
  date: string;
  data: Record<string, number>;
  created: number;
  modified: number;
}

export interface SleepSegment {
  startdate: number;
  enddate: number;
  state: number;
  model: string;
  model_id: number;
  hash_deviceid: string;
  hr: Record<string, number>;
  rr: Record<string, number>;
}

export interface WithingsData {
  timezone: string;
  measuregrps: MeasureGroup[];
  activities: ActivityDay[];
  workouts: Workout[];
  sleep: SleepNight[];
  segments: SleepSegment[];
}

const SCALE = 'f998be4b9ccc9e136fd8cd8e8e344c3100000001';
const BPM = 'a11ce0000000000000000000000000000000bp01';
const MAT = '201d0b9a0556d6b755166b2cf8d22d3b00000001';
const t = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function scale(grpid: number, iso: string, kg: number, fatPct: number): MeasureGroup {
  const date = t(iso);
  return {
    grpid,
    attrib: 0,
    date,
    created: date + 30,
    modified: date + 30,
    category: 1,
    deviceid: SCALE,
    hash_deviceid: SCALE,
    // value × 10^unit: 72350 × 10^-3 = 72.35 kg; fat ratio in percent.
    measures: [
      { value: Math.round(kg * 1000), type: 1, unit: -3, algo: 3, fm: 3 },
      { value: Math.round(fatPct * 100), type: 6, unit: -2 },
      { value: Math.round(kg * fatPct * 10), type: 8, unit: -3 },
      { value: Math.round(kg * (100 - fatPct) * 10), type: 5, unit: -3 },
      { value: Math.round(kg * 0.42 * 100), type: 76, unit: -2 },
      { value: Math.round(kg * 0.55 * 100), type: 77, unit: -2 },
      { value: 312, type: 88, unit: -2 },
    ],
    modelid: 5,
    model: 'Body+',
    comment: null,
  };
}

/** Seven days around the end of summer time in Paris (2025-10-26 has 25 hours). */
export function defaultWithingsData(): WithingsData {
  const measuregrps: MeasureGroup[] = [
    scale(5001, '2025-10-21T05:40:00Z', 72.35, 18.4),
    scale(5002, '2025-10-22T05:42:10Z', 72.1, 18.3),
    scale(5003, '2025-10-23T05:38:00Z', 71.95, 18.2),
    scale(5004, '2025-10-25T06:05:00Z', 72.4, 18.5),
    scale(5005, '2025-10-27T06:59:00Z', 71.8, 18.1),
    {
      // A blood-pressure reading with pulse, from a different device.
      grpid: 5101,
      attrib: 0,
      date: t('2025-10-22T19:15:00Z'),
      created: t('2025-10-22T19:15:40Z'),
      modified: t('2025-10-22T19:15:40Z'),
      category: 1,
      deviceid: BPM,
      hash_deviceid: BPM,
      measures: [
        { value: 121, type: 10, unit: 0 },
        { value: 79, type: 9, unit: 0 },
        { value: 64, type: 11, unit: 0 },
      ],
      modelid: 44,
      model: 'BPM Connect',
      comment: null,
    },
    {
      // SpO2 and temperature, in percent and °C with negative units.
      grpid: 5102,
      attrib: 0,
      date: t('2025-10-24T21:00:00Z'),
      created: t('2025-10-24T21:00:10Z'),
      modified: t('2025-10-24T21:00:10Z'),
      category: 1,
      deviceid: BPM,
      hash_deviceid: BPM,
      measures: [
        { value: 97, type: 54, unit: 0 },
        { value: 3680, type: 71, unit: -2 },
      ],
      modelid: 44,
      model: 'BPM Connect',
      comment: null,
    },
    {
      // attrib 1: measured on the family scale, but it may be someone else's (another person
      // stepped on it). Stored apart, under "Body+ (unassigned)", never merged as the person's.
      ...scale(5006, '2025-10-23T06:30:00Z', 58.3, 27.5),
      attrib: 1,
      measures: [
        { value: 58300, type: 1, unit: -3, algo: 3, fm: 3 },
        { value: 2750, type: 6, unit: -2 },
      ],
    },
    {
      // VO2max (meastype 123) estimated by the watch: only arrives when asked for.
      grpid: 5103,
      attrib: 0,
      date: t('2025-10-24T17:30:00Z'),
      created: t('2025-10-24T17:31:00Z'),
      modified: t('2025-10-24T17:31:00Z'),
      category: 1,
      deviceid: null,
      hash_deviceid: null,
      measures: [{ value: 425, type: 123, unit: -1 }],
      modelid: 93,
      model: 'ScanWatch',
      comment: null,
    },
    {
      // Typed in by hand (attrib 2): a fact, but not from a device.
      grpid: 5201,
      attrib: 2,
      date: t('2025-10-26T09:00:00Z'),
      created: t('2025-10-26T09:00:05Z'),
      modified: t('2025-10-26T09:00:05Z'),
      category: 1,
      deviceid: null,
      hash_deviceid: null,
      measures: [{ value: 722, type: 1, unit: -1 }],
      modelid: null,
      model: null,
      comment: 'after breakfast',
    },
    {
      // An objective (category 2) is a goal, not a measurement: never stored as a sample.
      grpid: 5301,
      attrib: 0,
      date: t('2025-10-20T08:00:00Z'),
      created: t('2025-10-20T08:00:00Z'),
      modified: t('2025-10-20T08:00:00Z'),
      category: 2,
      deviceid: null,
      hash_deviceid: null,
      measures: [{ value: 70000, type: 1, unit: -3 }],
      modelid: null,
      model: null,
      comment: null,
    },
  ];
  const day = (date: string, steps: number, zone = 'Europe/Paris'): ActivityDay => ({
    steps,
    distance: Math.round(steps * 0.78 * 1000) / 1000,
    elevation: Math.round(steps / 1500),
    soft: 1800,
    moderate: 600,
    intense: 300,
    active: 900,
    calories: Math.round(steps * 0.045 * 1000) / 1000,
    totalcalories: 2100 + Math.round(steps * 0.045),
    deviceid: null,
    hash_deviceid: null,
    timezone: zone,
    date,
    modified: t(`${date}T23:30:00Z`),
    brand: 18,
    modelid: 1055,
    model: 'ScanWatch',
    is_tracker: true,
  });
  const activities = [
    day('2025-10-21', 8412),
    day('2025-10-22', 10230),
    day('2025-10-23', 6105),
    day('2025-10-24', 12011),
    day('2025-10-25', 4320),
    // Summer time ends in Paris: this local day lasts 25 hours.
    day('2025-10-26', 9001),
    // A trip: this day was lived in New York, so it starts at 04:00 UTC, not 23:00.
    day('2025-10-27', 7777, 'America/New_York'),
  ];
  const workouts: Workout[] = [
    {
      id: 7001,
      category: 2,
      timezone: 'Europe/Paris',
      model: 93,
      attrib: 0,
      startdate: t('2025-10-22T16:00:00Z'),
      enddate: t('2025-10-22T16:42:00Z'),
      date: '2025-10-22',
      deviceid: null,
      data: { calories: 402, intensity: 60, manual_distance: 0, manual_calories: 0, hr_average: 148, hr_min: 98, hr_max: 171, pause_duration: 120, steps: 6100, distance: 7020, elevation: 35, algo_pause_duration: null },
      modified: t('2025-10-22T17:00:00Z'),
    },
    {
      id: 7002,
      category: 6,
      timezone: 'Europe/Paris',
      model: 93,
      attrib: 0,
      startdate: t('2025-10-25T09:10:00Z'),
      enddate: t('2025-10-25T10:25:00Z'),
      date: '2025-10-25',
      deviceid: null,
      data: { calories: 610, intensity: 50, manual_distance: 0, manual_calories: 0, hr_average: 131, hr_min: 90, hr_max: 160, pause_duration: 0, steps: 0, distance: 28400, elevation: 210, algo_pause_duration: null },
      modified: t('2025-10-25T11:00:00Z'),
    },
  ];
  const night = (id: number, date: string, startIso: string, hours: number, score: number): SleepNight => {
    const startdate = t(startIso);
    const enddate = startdate + hours * 3600;
    return {
      id,
      timezone: 'Europe/Paris',
      model: 32,
      model_id: 63,
      hash_deviceid: MAT,
      startdate,
      enddate,
      date,
      data: { sleep_score: score, hr_average: 58, rr_average: 14, total_sleep_time: hours * 3600 - 1800, deepsleepduration: 5400, lightsleepduration: 12600, remsleepduration: 5400, wakeupduration: 1800 },
      created: enddate + 600,
      modified: enddate + 600,
    };
  };
  const sleep = [
    night(9001, '2025-10-22', '2025-10-21T21:30:00Z', 8, 81),
    night(9002, '2025-10-23', '2025-10-22T22:00:00Z', 7, 74),
    // Its summary has durations but its `sleep get` detail has no segments: the stages come
    // from the summary (light 210, deep 90, REM 90, awake 30 minutes).
    night(9003, '2025-10-25', '2025-10-24T21:30:00Z', 7.5, 77),
  ];
  // Stage segments for the first two nights: awake, light, deep, REM, light, awake.
  const segments: SleepSegment[] = [];
  for (const n of sleep.slice(0, 2)) {
    const plan = [
      [0, 15],
      [1, 120],
      [2, 90],
      [3, 90],
      [1, (n.enddate - n.startdate) / 60 - 15 - 120 - 90 - 90 - 10],
      [0, 10],
    ];
    let at = n.startdate;
    for (const [state, minutes] of plan) {
      const end = at + minutes * 60;
      segments.push({ startdate: at, enddate: end, state, model: 'Sleep Analyzer', model_id: 63, hash_deviceid: MAT, hr: { [String(at)]: 60 }, rr: { [String(at)]: 14 } });
      at = end;
    }
  }
  return { timezone: 'Europe/Paris', measuregrps, activities, workouts, sleep, segments };
}

/** The summary fields a night without segments gets its stages from. */
export const SUMMARY_STAGE_FIELDS = ['lightsleepduration', 'deepsleepduration', 'remsleepduration', 'wakeupduration'] as const;

/** A night's stage segments (what `sleep?action=get` answers for its span). */
export const segmentsOf = (d: WithingsData, n: Pick<SleepNight, 'startdate' | 'enddate'>) => d.segments.filter((s) => s.startdate >= n.startdate && s.enddate <= n.enddate);

/** How many samples VitalSync should store from defaultWithingsData() (for assertions). */
export function expectedWithingsCounts(d: WithingsData = defaultWithingsData()) {
  // Every measure of every real measurement (category 1), attrib 1 groups too (kept apart).
  const measures = d.measuregrps.filter((g) => g.category === 1).reduce((n, g) => n + g.measures.length, 0);
  // steps, distance, calories, totalcalories, elevation, moderate+intense per day.
  const activity = d.activities.length * 6;
  // in_bed, score, rr, hr per night, plus its stage segments, or without segments its summary's stage totals.
  const sleep = d.sleep.reduce((n, night) => {
    const segs = segmentsOf(d, night).length;
    return n + 4 + (segs || SUMMARY_STAGE_FIELDS.filter((f) => (night.data[f] ?? 0) > 0).length);
  }, 0);
  return { measures, activity, sleep, samples: measures + activity + sleep, workouts: d.workouts.length };
}
