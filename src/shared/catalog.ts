// The domain tables every process shares: categories, canonical metrics and the sources
// VitalSync knows. Pure data, no node/electron/DOM imports (enforced by lint).

export const CATEGORY_IDS = [
  'activity',
  'sleep',
  'heart',
  'body',
  'vitals',
  'nutrition',
  'workouts',
  'recovery',
] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

export const CATEGORY_LABELS: Record<CategoryId, string> = {
  activity: 'Activity',
  sleep: 'Sleep',
  heart: 'Heart',
  body: 'Body',
  vitals: 'Vitals',
  nutrition: 'Nutrition',
  workouts: 'Workouts',
  recovery: 'Recovery',
};

/**
 * cumulative: amounts that add up over time (steps); merged by a timeline sweep.
 * discrete: point readings (weight, heart rate); merged per bucket by priority.
 * sleep-stage: intervals tagged with a stage; merged one night at a time.
 * session: workouts; the same activity seen by two sources is one session.
 */
export type MetricKind = 'cumulative' | 'discrete' | 'sleep-stage' | 'session';
export type DailyAggregation = 'sum' | 'avg' | 'min' | 'max' | 'last' | 'duration' | 'count';

export interface MetricDef {
  id: string;
  label: string;
  category: CategoryId;
  kind: MetricKind;
  /** Canonical unit stored in samples.value. Fractions (0..1) for percentages. */
  unit: string;
  daily: DailyAggregation;
  /** Values outside this range are physiologically impossible and flagged by quality scoring. */
  plausible?: readonly [number, number];
}

const m = (
  id: string,
  label: string,
  category: CategoryId,
  kind: MetricKind,
  unit: string,
  daily: DailyAggregation,
  plausible?: readonly [number, number],
): MetricDef => ({ id, label, category, kind, unit, daily, plausible });

export const METRICS = [
  // activity
  m('steps', 'Steps', 'activity', 'cumulative', 'count', 'sum', [0, 100_000]),
  m('distance', 'Distance', 'activity', 'cumulative', 'km', 'sum', [0, 300]),
  m('active_energy', 'Active energy', 'activity', 'cumulative', 'kcal', 'sum', [0, 10_000]),
  m('basal_energy', 'Resting energy', 'activity', 'cumulative', 'kcal', 'sum', [0, 5_000]),
  m('exercise_minutes', 'Exercise minutes', 'activity', 'cumulative', 'min', 'sum', [0, 1_440]),
  m('floors', 'Floors climbed', 'activity', 'cumulative', 'count', 'sum', [0, 1_000]),
  m('stand_minutes', 'Stand minutes', 'activity', 'cumulative', 'min', 'sum', [0, 1_440]),
  // heart
  m('heart_rate', 'Heart rate', 'heart', 'discrete', 'bpm', 'avg', [20, 250]),
  m('resting_heart_rate', 'Resting heart rate', 'heart', 'discrete', 'bpm', 'avg', [20, 150]),
  m('walking_heart_rate', 'Walking heart rate', 'heart', 'discrete', 'bpm', 'avg', [30, 220]),
  m('hrv_sdnn', 'HRV (SDNN)', 'heart', 'discrete', 'ms', 'avg', [1, 400]),
  m('hrv_rmssd', 'HRV (RMSSD)', 'heart', 'discrete', 'ms', 'avg', [1, 400]),
  m('vo2max', 'VO2max', 'heart', 'discrete', 'mL/kg/min', 'last', [5, 100]),
  // vitals
  m('spo2', 'Blood oxygen', 'vitals', 'discrete', 'fraction', 'avg', [0.5, 1]),
  m('respiratory_rate', 'Respiratory rate', 'vitals', 'discrete', 'breaths/min', 'avg', [3, 70]),
  m('body_temperature', 'Body temperature', 'vitals', 'discrete', 'degC', 'avg', [30, 45]),
  m('body_temperature_deviation', 'Temperature deviation', 'vitals', 'discrete', 'degC', 'avg', [-5, 5]),
  m('blood_pressure_systolic', 'Systolic blood pressure', 'vitals', 'discrete', 'mmHg', 'avg', [50, 260]),
  m('blood_pressure_diastolic', 'Diastolic blood pressure', 'vitals', 'discrete', 'mmHg', 'avg', [30, 180]),
  m('blood_glucose', 'Blood glucose', 'vitals', 'discrete', 'mmol/L', 'avg', [1, 40]),
  // body
  m('weight', 'Weight', 'body', 'discrete', 'kg', 'last', [2, 400]),
  m('body_fat', 'Body fat', 'body', 'discrete', 'fraction', 'last', [0.02, 0.75]),
  m('lean_mass', 'Lean body mass', 'body', 'discrete', 'kg', 'last', [2, 250]),
  m('bmi', 'BMI', 'body', 'discrete', 'kg/m2', 'last', [8, 100]),
  m('height', 'Height', 'body', 'discrete', 'm', 'last', [0.4, 2.8]),
  m('muscle_mass', 'Muscle mass', 'body', 'discrete', 'kg', 'last', [2, 200]),
  m('bone_mass', 'Bone mass', 'body', 'discrete', 'kg', 'last', [0.5, 10]),
  m('hydration', 'Body water', 'body', 'discrete', 'kg', 'last', [5, 150]),
  // sleep: one metric; each sample's category value carries the stage
  m('sleep', 'Sleep', 'sleep', 'sleep-stage', 'min', 'duration', [0, 1_440]),
  // nutrition
  m('dietary_energy', 'Energy eaten', 'nutrition', 'cumulative', 'kcal', 'sum', [0, 20_000]),
  m('protein', 'Protein', 'nutrition', 'cumulative', 'g', 'sum', [0, 1_000]),
  m('carbohydrates', 'Carbohydrates', 'nutrition', 'cumulative', 'g', 'sum', [0, 2_000]),
  m('fat', 'Fat', 'nutrition', 'cumulative', 'g', 'sum', [0, 1_000]),
  m('fiber', 'Fibre', 'nutrition', 'cumulative', 'g', 'sum', [0, 300]),
  m('sugar', 'Sugar', 'nutrition', 'cumulative', 'g', 'sum', [0, 1_000]),
  m('sodium', 'Sodium', 'nutrition', 'cumulative', 'mg', 'sum', [0, 50_000]),
  m('water', 'Water', 'nutrition', 'cumulative', 'mL', 'sum', [0, 15_000]),
  m('caffeine', 'Caffeine', 'nutrition', 'cumulative', 'mg', 'sum', [0, 3_000]),
  // workouts
  m('workouts', 'Workouts', 'workouts', 'session', 'min', 'duration', [0, 1_440]),
  // recovery: provider scores are not comparable, so each provider keeps its own metric
  m('oura_readiness', 'Oura readiness', 'recovery', 'discrete', 'score', 'last', [0, 100]),
  m('whoop_recovery', 'WHOOP recovery', 'recovery', 'discrete', 'score', 'last', [0, 100]),
  m('whoop_strain', 'WHOOP strain', 'recovery', 'discrete', 'score', 'last', [0, 21]),
  m('withings_sleep_score', 'Withings sleep score', 'recovery', 'discrete', 'score', 'last', [0, 100]),
  m('oura_sleep_score', 'Oura sleep score', 'recovery', 'discrete', 'score', 'last', [0, 100]),
] as const satisfies readonly MetricDef[];

export type MetricId = (typeof METRICS)[number]['id'];
export const METRIC_IDS = METRICS.map((x) => x.id) as MetricId[];

const metricById = new Map<string, MetricDef>(METRICS.map((x) => [x.id, x]));
export function getMetric(id: string): MetricDef | undefined {
  return metricById.get(id);
}
export function metricsInCategory(category: CategoryId): MetricDef[] {
  return METRICS.filter((x) => x.category === category);
}

/** Sleep stages stored in samples.category for metric `sleep`. */
export const SLEEP_STAGES = ['in_bed', 'awake', 'light', 'deep', 'rem', 'asleep_unspecified'] as const;
export type SleepStage = (typeof SLEEP_STAGES)[number];

export const SOURCE_IDS = [
  'apple_health',
  'csv',
  'myfitnesspal',
  'cronometer',
  'withings',
  'oura',
  'whoop',
  'strava',
  'fitbit',
  'garmin',
] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

/** How a provider's OAuth redirect comes back to the app (see DESIGN.md "Providers and OAuth"). */
export type RedirectMode = 'custom-scheme' | 'loopback' | 'https-bounce' | 'none';

export interface SourceDef {
  id: SourceId;
  name: string;
  kind: 'oauth' | 'file';
  /** Metrics this source can supply; its categories follow from them. */
  metrics: readonly MetricId[];
  redirect: RedirectMode;
  /** False while VitalSync cannot yet bring data from it; `unavailableReason` says why. */
  available: boolean;
  unavailableReason?: string;
  note?: string;
}

// Provider scores (readiness, recovery, strain) are each provider's own; generic sources never supply them.
const ALL_METRICS = METRIC_IDS.filter((id) => getMetric(id)!.category !== 'recovery');

export const SOURCES: readonly SourceDef[] = [
  {
    id: 'apple_health',
    name: 'Apple Health',
    kind: 'file',
    metrics: ALL_METRICS,
    redirect: 'none',
    available: true,
    note: 'Export from the Health app on your iPhone (profile picture → Export All Health Data) and drop export.zip onto the window.',
  },
  {
    id: 'csv',
    name: 'CSV / spreadsheet',
    kind: 'file',
    metrics: ALL_METRICS.filter((id) => id !== 'sleep' && id !== 'workouts'),
    redirect: 'none',
    available: true,
    note: 'Any CSV with a header row: map its date and value columns once (units, time zone, decimal mark) on the Imports page; the mapping is offered again for files with the same header.',
  },
  {
    id: 'myfitnesspal',
    name: 'MyFitnessPal',
    kind: 'file',
    metrics: ['dietary_energy', 'protein', 'carbohydrates', 'fat', 'fiber', 'sugar', 'sodium', 'weight', 'body_fat', 'workouts'],
    redirect: 'none',
    available: true,
    note: 'The Premium “File Export” (zip, folder or one of its CSVs): meals summed into daily nutrition totals, exercise entries as workouts on their date, and weight in your account’s unit.',
  },
  {
    id: 'cronometer',
    name: 'Cronometer',
    kind: 'file',
    metrics: [
      'dietary_energy', 'protein', 'carbohydrates', 'fat', 'fiber', 'sugar', 'sodium', 'water', 'caffeine', 'weight', 'body_fat',
      'heart_rate', 'resting_heart_rate', 'blood_pressure_systolic', 'blood_pressure_diastolic', 'blood_glucose', 'body_temperature',
      'spo2', 'height', 'workouts',
    ],
    redirect: 'none',
    available: true,
    note: 'Its Export Data files (dailysummary, servings, exercises, biometrics, notes; a folder, a zip or one file): daily nutrition totals, exercises as workouts, and biometrics such as weight, blood pressure and glucose.',
  },
  {
    id: 'withings',
    name: 'Withings',
    kind: 'oauth',
    metrics: [
      'weight', 'height', 'body_fat', 'lean_mass', 'muscle_mass', 'bone_mass', 'hydration',
      'blood_pressure_systolic', 'blood_pressure_diastolic', 'heart_rate', 'spo2', 'body_temperature', 'vo2max',
      'steps', 'distance', 'active_energy', 'floors', 'sleep', 'workouts', 'withings_sleep_score',
      'respiratory_rate',
    ],
    // Withings accepts only https redirect URIs in production.
    redirect: 'https-bounce',
    available: true,
    note: 'Weight and body composition, blood pressure, SpO2, temperature, daily activity, workouts and sleep stages, synced every 30 minutes.',
  },
  {
    id: 'oura',
    name: 'Oura',
    kind: 'oauth',
    metrics: [
      'steps', 'active_energy', 'heart_rate', 'resting_heart_rate', 'hrv_rmssd', 'spo2',
      'body_temperature_deviation', 'respiratory_rate', 'sleep', 'workouts', 'oura_readiness', 'oura_sleep_score',
    ],
    redirect: 'loopback',
    available: true,
    note: 'Daily activity, sleep stages, readiness and sleep scores, heart rate, SpO2 and workouts from the Oura Ring, synced every hour.',
  },
  {
    id: 'whoop',
    name: 'WHOOP',
    kind: 'oauth',
    // Skin temperature is not body (core) temperature, and a cycle's energy includes resting
    // energy: both are kept raw. Workout heart rate and energy live on the workouts.
    metrics: ['resting_heart_rate', 'hrv_rmssd', 'spo2', 'respiratory_rate', 'sleep', 'workouts', 'whoop_recovery', 'whoop_strain', 'weight', 'height'],
    redirect: 'loopback',
    available: true,
    note: 'Recovery (resting heart rate, HRV, SpO2), strain, sleep stages and workouts from the WHOOP band, synced every hour.',
  },
  {
    id: 'strava',
    name: 'Strava',
    kind: 'oauth',
    // Distance, energy and heart rate of an activity live on its workout; the heart-rate stream
    // (fetched as the rate limits allow) is stored as readings.
    metrics: ['workouts', 'heart_rate'],
    // Strava accepts localhost and 127.0.0.1 on any port whatever the app's callback domain.
    redirect: 'loopback',
    available: true,
    note: 'Activities as workouts (moving time, distance, elevation, energy, heart rate), within Strava’s rate limits: a first import of years of activities continues over several syncs.',
  },
  {
    id: 'fitbit',
    name: 'Fitbit (Google Takeout)',
    kind: 'file',
    metrics: ['steps', 'heart_rate', 'resting_heart_rate', 'hrv_rmssd', 'spo2', 'sleep', 'weight', 'bmi', 'body_fat'],
    redirect: 'none',
    available: true,
    note: 'The Fitbit Web API was turned off in 2026: export your Fitbit data with Google Takeout and drop the zip (or its folder) onto the window. Steps per minute, heart rate (as one-minute means), resting heart rate, sleep with stages, nightly HRV and SpO2, and weight, BMI and body fat.',
  },
  {
    id: 'garmin',
    name: 'Garmin Connect',
    kind: 'file',
    // Garmin's Health API is for approved businesses only: VitalSync reads Garmin Connect's exports.
    // Stress and Body Battery are kept raw (Garmin's own scores, not comparable across sources).
    metrics: ['workouts', 'steps', 'distance', 'active_energy', 'floors', 'resting_heart_rate', 'sleep', 'respiratory_rate', 'weight'],
    redirect: 'none',
    available: true,
    note:
      'Garmin Connect’s activities list (Activities → Export CSV, in English, German, French or Spanish) as workouts; the full-account export ' +
      '(Export Your Data: the zip or its DI_CONNECT folder): daily steps, distance, active energy, floors and resting heart rate, sleep stages, weigh-ins and activities.',
  },
];

const sourceById = new Map<string, SourceDef>(SOURCES.map((s) => [s.id, s]));
export function getSource(id: string): SourceDef | undefined {
  return sourceById.get(id);
}
export function isSourceId(id: string): id is SourceId {
  return sourceById.has(id);
}

export function sourceCategories(source: SourceDef): CategoryId[] {
  const cats = new Set<CategoryId>();
  for (const id of source.metrics) cats.add(getMetric(id)!.category);
  return CATEGORY_IDS.filter((c) => cats.has(c));
}

export function sourceSuppliesCategory(source: SourceDef, category: CategoryId): boolean {
  return source.metrics.some((id) => getMetric(id)!.category === category);
}
