// Which charts the dashboard has, which of them have data, and the words for how each value
// is made. Pure: no DOM, no IPC, so it is unit tested.
import { getMetric, type DailyAggregation } from '../../../shared/catalog';
import type { BucketUnitName, Series } from '../../../shared/contract';

export type Variant = 'bars' | 'line' | 'sleep' | 'stack-metrics' | 'readings' | 'range' | 'pair';

export interface ChartDef {
  id: string;
  title: string;
  section: string;
  metrics: string[];
  variant: Variant;
  /** Readings drawn per day even in the Day view (sleep, body, nutrition). */
  daily?: boolean;
  trend?: boolean;
  band?: boolean;
}

const bars = (id: string, title: string, section: string, metric: string, daily = false): ChartDef => ({ id, title, section, metrics: [metric], variant: 'bars', daily });
const readings = (id: string, title: string, metric: string, section = 'Vitals'): ChartDef => ({ id, title, section, metrics: [metric], variant: 'readings', daily: true });
const body = (id: string, title: string, metric: string): ChartDef => ({ id, title, section: 'Body', metrics: [metric], variant: 'line', trend: true, daily: true });

/** Every chart, in the dashboard's order. The HRV chart shows one of its two metrics, never both. */
export const DASHBOARD_CHARTS: ChartDef[] = [
  bars('steps', 'Steps', 'Activity', 'steps'),
  bars('distance', 'Distance', 'Activity', 'distance'),
  bars('active-energy', 'Active energy', 'Activity', 'active_energy'),
  bars('resting-energy', 'Resting energy', 'Activity', 'basal_energy'),
  bars('exercise', 'Exercise minutes', 'Activity', 'exercise_minutes'),
  bars('floors', 'Floors climbed', 'Activity', 'floors'),
  bars('stand', 'Stand minutes', 'Activity', 'stand_minutes'),
  { id: 'sleep', title: 'Sleep stages per night', section: 'Sleep', metrics: ['sleep'], variant: 'sleep', daily: true },
  { id: 'heart-rate', title: 'Heart rate, range and average', section: 'Heart', metrics: ['heart_rate'], variant: 'range', daily: true },
  { id: 'resting-hr', title: 'Resting heart rate', section: 'Heart', metrics: ['resting_heart_rate'], variant: 'line', band: true, daily: true },
  { id: 'hrv', title: 'HRV', section: 'Heart', metrics: ['hrv_sdnn', 'hrv_rmssd'], variant: 'line', band: true, daily: true },
  readings('walking-hr', 'Walking heart rate', 'walking_heart_rate', 'Heart'),
  readings('vo2max', 'VO2 max', 'vo2max', 'Heart'),
  { id: 'blood-pressure', title: 'Blood pressure', section: 'Vitals', metrics: ['blood_pressure_systolic', 'blood_pressure_diastolic'], variant: 'pair', daily: true },
  readings('spo2', 'Blood oxygen (SpO2)', 'spo2'),
  readings('respiratory-rate', 'Respiratory rate', 'respiratory_rate'),
  readings('body-temperature', 'Body temperature', 'body_temperature'),
  readings('temperature-deviation', 'Temperature deviation', 'body_temperature_deviation'),
  readings('blood-glucose', 'Blood glucose', 'blood_glucose'),
  body('weight', 'Weight', 'weight'),
  body('body-fat', 'Body fat', 'body_fat'),
  body('lean-mass', 'Lean body mass', 'lean_mass'),
  body('muscle-mass', 'Muscle mass', 'muscle_mass'),
  body('bone-mass', 'Bone mass', 'bone_mass'),
  body('body-water', 'Body water', 'hydration'),
  body('bmi', 'BMI', 'bmi'),
  bars('energy-eaten', 'Energy eaten', 'Nutrition', 'dietary_energy', true),
  { id: 'macros', title: 'Macronutrients', section: 'Nutrition', metrics: ['protein', 'carbohydrates', 'fat'], variant: 'stack-metrics', daily: true },
  bars('fibre', 'Fibre', 'Nutrition', 'fiber', true),
  bars('sugar', 'Sugar', 'Nutrition', 'sugar', true),
  bars('sodium', 'Sodium', 'Nutrition', 'sodium', true),
  bars('water', 'Water', 'Nutrition', 'water', true),
  bars('caffeine', 'Caffeine', 'Nutrition', 'caffeine', true),
  readings('oura-readiness', 'Oura readiness', 'oura_readiness', 'Recovery'),
  readings('whoop-recovery', 'WHOOP recovery', 'whoop_recovery', 'Recovery'),
  readings('whoop-strain', 'WHOOP strain', 'whoop_strain', 'Recovery'),
  readings('oura-sleep-score', 'Oura sleep score', 'oura_sleep_score', 'Recovery'),
  readings('withings-sleep-score', 'Withings sleep score', 'withings_sleep_score', 'Recovery'),
  { id: 'workouts', title: 'Workouts', section: 'Workouts', metrics: ['workouts'], variant: 'bars', daily: true },
];

export type Overview = { metric: string; days: number; firstDay: string | null; lastDay: string | null }[];

function withData(overview: Overview): Set<string> {
  return new Set(overview.filter((o) => o.days > 0 && o.lastDay).map((o) => o.metric));
}

/** A chart has data when any of its metrics has. */
export function chartHasData(chart: ChartDef, overview: Overview): boolean {
  const has = withData(overview);
  return chart.metrics.some((m) => has.has(m));
}

/** The charts drawn: those with data, and those the person added back. */
export function shownCharts(overview: Overview, added: readonly string[]): { shown: ChartDef[]; hidden: ChartDef[] } {
  const shown: ChartDef[] = [];
  const hidden: ChartDef[] = [];
  for (const c of DASHBOARD_CHARTS) (chartHasData(c, overview) || added.includes(c.id) ? shown : hidden).push(c);
  return { shown, hidden };
}

/** "Latest data": the newest day among the metrics the dashboard charts (null when none has data). */
export function latestChartedDay(overview: Overview, charts: readonly ChartDef[] = DASHBOARD_CHARTS): string | null {
  const charted = new Set(charts.flatMap((c) => c.metrics));
  let last: string | null = null;
  for (const o of overview) if (charted.has(o.metric) && o.lastDay && (!last || o.lastDay > last)) last = o.lastDay;
  return last;
}

const PER: Record<BucketUnitName, string> = { hour: 'hourly', day: 'daily', week: 'weekly', month: 'monthly' };
const AVG: Partial<Record<DailyAggregation, string>> = { avg: 'average', min: 'minimum', max: 'maximum' };

/**
 * How a chart's value is made from its samples, in words: "daily total", "daily average",
 * "last reading of the day", "time asleep per night"; weeks and months say how days are
 * combined ("sum per week", "daily average per month", "last reading of the week").
 */
export function aggregationLabel(metric: string, bucket: BucketUnitName): string | null {
  const def = getMetric(metric);
  if (!def) return null;
  const span = bucket === 'week' ? 'week' : bucket === 'month' ? 'month' : bucket === 'hour' ? 'hour' : 'day';
  const long = bucket === 'week' || bucket === 'month';
  switch (def.daily) {
    case 'sum':
    case 'count':
      return long ? `sum per ${span}` : `${PER[bucket]} ${def.daily === 'sum' ? 'total' : 'count'}`;
    case 'last':
      return `last reading of the ${span}`;
    case 'duration':
      if (def.kind === 'sleep-stage') return long ? `time asleep, average per night` : 'time asleep per night';
      return long ? `sum per ${span}` : `${PER[bucket]} total`;
    default:
      return long ? `daily ${AVG[def.daily]} per ${span}` : `${PER[bucket]} ${AVG[def.daily]}`;
  }
}

/** The words before a day's value in the Day view: "Day total", "Day average", "Last reading", "Asleep". */
export function dayValueLabel(metric: string): string {
  const def = getMetric(metric);
  if (!def) return 'Day';
  if (def.daily === 'sum' || def.daily === 'count') return 'Day total';
  if (def.daily === 'last') return 'Last reading';
  if (def.daily === 'duration') return def.kind === 'sleep-stage' ? 'Asleep' : 'Day total';
  return 'Day average';
}

/** Added-back chart ids, as stored in localStorage. */
export const SHOWN_KEY = 'vitalsync.dashboard.addedCharts';
export function parseAdded(raw: string | null): string[] {
  try {
    const v: unknown = JSON.parse(raw ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && DASHBOARD_CHARTS.some((c) => c.id === x)) : [];
  } catch {
    return [];
  }
}

/** Week columns a calendar from `from` to `to` (YYYY-MM-DD, inclusive) spans, weeks starting on Monday. */
export function calendarWeeks(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  const mondayOffset = (new Date(a).getUTCDay() + 6) % 7;
  return Math.ceil((mondayOffset + (b - a) / 86_400_000 + 1) / 7);
}

/**
 * Which of a chart's metrics a click means: the series clicked (by its label), else for a pair
 * the reading nearest the pointer's value `y`, for stacked amounts the one whose part of the
 * stack holds `y` (stacked in the order of `data`). `y` is in the chart's units: `convert`
 * turns a stored value into them.
 */
export function metricAt(
  data: Series[],
  variant: 'pair' | 'stack-metrics',
  start: string,
  seriesName: string | undefined,
  y: number,
  convert: (v: number) => number = (v) => v,
): string {
  const label = (s: Series) => getMetric(s.metric)?.label ?? s.metric;
  const named = seriesName ? data.find((s) => label(s) === seriesName) : undefined;
  if (named) return named.metric;
  const values = data.map((s) => {
    const v = s.buckets.find((b) => b.start === start)?.value;
    return v === undefined ? null : convert(v);
  });
  if (variant === 'pair') {
    let best = 0;
    values.forEach((v, i) => {
      if (v !== null && (values[best] === null || Math.abs(v - y) < Math.abs(values[best]! - y))) best = i;
    });
    return data[best].metric;
  }
  let top = 0;
  for (let i = 0; i < values.length; i++) {
    top += values[i] ?? 0;
    if (values[i] !== null && y <= top) return data[i].metric;
  }
  return data[0].metric;
}
