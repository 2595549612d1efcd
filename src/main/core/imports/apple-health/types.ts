// What Apple's record types mean to VitalSync: the canonical metric and how to convert the
// export's units into the metric's canonical unit (catalog.ts). Types not listed here are
// still stored, raw, in their own unit (sample_types.metric is NULL for them).
import { getMetric, type MetricId, type SleepStage } from '../../../../shared/catalog';

const Q = 'HKQuantityTypeIdentifier';

export const TYPE_METRICS: Record<string, MetricId> = {
  [`${Q}StepCount`]: 'steps',
  [`${Q}DistanceWalkingRunning`]: 'distance',
  [`${Q}ActiveEnergyBurned`]: 'active_energy',
  [`${Q}BasalEnergyBurned`]: 'basal_energy',
  [`${Q}AppleExerciseTime`]: 'exercise_minutes',
  [`${Q}FlightsClimbed`]: 'floors',
  [`${Q}AppleStandTime`]: 'stand_minutes',
  [`${Q}HeartRate`]: 'heart_rate',
  [`${Q}RestingHeartRate`]: 'resting_heart_rate',
  [`${Q}WalkingHeartRateAverage`]: 'walking_heart_rate',
  [`${Q}HeartRateVariabilitySDNN`]: 'hrv_sdnn',
  [`${Q}VO2Max`]: 'vo2max',
  [`${Q}OxygenSaturation`]: 'spo2',
  [`${Q}RespiratoryRate`]: 'respiratory_rate',
  [`${Q}BodyTemperature`]: 'body_temperature',
  [`${Q}BloodPressureSystolic`]: 'blood_pressure_systolic',
  [`${Q}BloodPressureDiastolic`]: 'blood_pressure_diastolic',
  [`${Q}BloodGlucose`]: 'blood_glucose',
  [`${Q}BodyMass`]: 'weight',
  [`${Q}BodyFatPercentage`]: 'body_fat',
  [`${Q}LeanBodyMass`]: 'lean_mass',
  [`${Q}BodyMassIndex`]: 'bmi',
  [`${Q}Height`]: 'height',
  [`${Q}DietaryEnergyConsumed`]: 'dietary_energy',
  [`${Q}DietaryProtein`]: 'protein',
  [`${Q}DietaryCarbohydrates`]: 'carbohydrates',
  [`${Q}DietaryFatTotal`]: 'fat',
  [`${Q}DietaryFiber`]: 'fiber',
  [`${Q}DietarySugar`]: 'sugar',
  [`${Q}DietarySodium`]: 'sodium',
  [`${Q}DietaryWater`]: 'water',
  [`${Q}DietaryCaffeine`]: 'caffeine',
  HKCategoryTypeIdentifierSleepAnalysis: 'sleep',
  // Apple's activity rings: daily totals (day grain), the move ring in its own energy unit
  // (kcal, Cal or kJ). Stand hours are hours with a stand, not minutes (stand_minutes): kept
  // raw, as is every *Goal field.
  'ActivitySummary.activeEnergyBurned': 'active_energy',
  'ActivitySummary.appleExerciseTime': 'exercise_minutes',
};

export const SLEEP_TYPE = 'HKCategoryTypeIdentifierSleepAnalysis';

/** Apple's sleep category values, old and new, to VitalSync's stages. */
export const SLEEP_VALUES: Record<string, SleepStage> = {
  HKCategoryValueSleepAnalysisInBed: 'in_bed',
  HKCategoryValueSleepAnalysisAwake: 'awake',
  HKCategoryValueSleepAnalysisAsleepCore: 'light',
  HKCategoryValueSleepAnalysisAsleepDeep: 'deep',
  HKCategoryValueSleepAnalysisAsleepREM: 'rem',
  HKCategoryValueSleepAnalysisAsleepUnspecified: 'asleep_unspecified',
  // iOS < 16 wrote plain "Asleep".
  HKCategoryValueSleepAnalysisAsleep: 'asleep_unspecified',
  // The oldest exports (v3) wrote the enum's number.
  '0': 'in_bed',
  '1': 'asleep_unspecified',
  '2': 'awake',
  '3': 'light',
  '4': 'deep',
  '5': 'rem',
};

/** value_canonical = value * factor + offset. */
export interface UnitConversion {
  factor: number;
  offset: number;
}

const LB = 0.45359237;
const MI = 1.609344;
const KJ_KCAL = 1 / 4.184;
const GLUCOSE_MG_DL_PER_MMOL_L = 18.01559;

/**
 * Source unit -> canonical unit, per canonical unit. Apple writes some units in odd forms:
 * `mL/min·kg` (with `&#183;`), `mmol<180.1558800000541>/L` (glucose with its molar mass).
 */
const CONVERSIONS: Record<string, Record<string, UnitConversion>> = {
  count: { count: { factor: 1, offset: 0 }, '': { factor: 1, offset: 0 } },
  km: { km: { factor: 1, offset: 0 }, mi: { factor: MI, offset: 0 }, m: { factor: 0.001, offset: 0 }, ft: { factor: 0.0003048, offset: 0 }, yd: { factor: 0.0009144, offset: 0 }, cm: { factor: 0.00001, offset: 0 } },
  m: { m: { factor: 1, offset: 0 }, cm: { factor: 0.01, offset: 0 }, mm: { factor: 0.001, offset: 0 }, km: { factor: 1000, offset: 0 }, ft: { factor: 0.3048, offset: 0 }, in: { factor: 0.0254, offset: 0 } },
  kcal: { kcal: { factor: 1, offset: 0 }, Cal: { factor: 1, offset: 0 }, kJ: { factor: KJ_KCAL, offset: 0 }, cal: { factor: 0.001, offset: 0 }, J: { factor: KJ_KCAL / 1000, offset: 0 } },
  min: { min: { factor: 1, offset: 0 }, s: { factor: 1 / 60, offset: 0 }, hr: { factor: 60, offset: 0 }, h: { factor: 60, offset: 0 }, ms: { factor: 1 / 60000, offset: 0 } },
  bpm: { 'count/min': { factor: 1, offset: 0 }, 'count/s': { factor: 60, offset: 0 }, 'count/hr': { factor: 1 / 60, offset: 0 } },
  'breaths/min': { 'count/min': { factor: 1, offset: 0 }, 'count/s': { factor: 60, offset: 0 } },
  ms: { ms: { factor: 1, offset: 0 }, s: { factor: 1000, offset: 0 } },
  'mL/kg/min': { 'mL/min·kg': { factor: 1, offset: 0 }, 'ml/(kg*min)': { factor: 1, offset: 0 }, 'mL/kg/min': { factor: 1, offset: 0 } },
  // Apple writes percentages as fractions (0.97 with unit "%"); see percentToFraction.
  fraction: { '%': { factor: 1, offset: 0 } },
  degC: { degC: { factor: 1, offset: 0 }, degF: { factor: 5 / 9, offset: (-32 * 5) / 9 }, K: { factor: 1, offset: -273.15 } },
  mmHg: { mmHg: { factor: 1, offset: 0 }, kPa: { factor: 7.50062, offset: 0 }, cmAq: { factor: 0.735559, offset: 0 } },
  'mmol/L': { 'mmol/L': { factor: 1, offset: 0 }, 'mg/dL': { factor: 1 / GLUCOSE_MG_DL_PER_MMOL_L, offset: 0 } },
  kg: { kg: { factor: 1, offset: 0 }, lb: { factor: LB, offset: 0 }, g: { factor: 0.001, offset: 0 }, oz: { factor: LB / 16, offset: 0 }, st: { factor: LB * 14, offset: 0 } },
  'kg/m2': { count: { factor: 1, offset: 0 }, '': { factor: 1, offset: 0 }, 'kg/m^2': { factor: 1, offset: 0 } },
  g: { g: { factor: 1, offset: 0 }, mg: { factor: 0.001, offset: 0 }, kg: { factor: 1000, offset: 0 }, oz: { factor: 28.349523125, offset: 0 } },
  mg: { mg: { factor: 1, offset: 0 }, g: { factor: 1000, offset: 0 }, mcg: { factor: 0.001, offset: 0 } },
  mL: { mL: { factor: 1, offset: 0 }, L: { factor: 1000, offset: 0 }, fl_oz_us: { factor: 29.5735295625, offset: 0 }, fl_oz_imp: { factor: 28.4130625, offset: 0 }, cup_us: { factor: 236.5882365, offset: 0 } },
};

/** Units Apple writes in more than one spelling, folded to one before lookup. */
export function canonicalUnitSpelling(unit: string): string {
  if (unit.startsWith('mmol<') && unit.endsWith('>/L')) return 'mmol/L';
  if (unit.startsWith('mg<') && unit.endsWith('>/dL')) return 'mg/dL';
  return unit.replace(/\u00b7/g, '·').replace(/kcal\/hr·kg/, 'kcal/hr·kg');
}

export interface TypeMapping {
  metric: MetricId | null;
  /** The unit samples.value is stored in. */
  unit: string;
  conversion: UnitConversion;
  /** Apple's "%" is a fraction already; a value above 1 was written as a percentage. */
  percent: boolean;
}

/** How to store a record of `rawType` written in `rawUnit`. */
export function mapType(rawType: string, rawUnit: string): TypeMapping {
  const unit = canonicalUnitSpelling(rawUnit);
  const metricId = TYPE_METRICS[rawType];
  if (metricId) {
    const def = getMetric(metricId)!;
    if (metricId === 'sleep') return { metric: metricId, unit: def.unit, conversion: { factor: 1, offset: 0 }, percent: false };
    const conv = CONVERSIONS[def.unit]?.[unit];
    if (conv) return { metric: metricId, unit: def.unit, conversion: conv, percent: unit === '%' };
  }
  // Unknown type, or a unit we cannot convert: keep it raw rather than guess.
  return { metric: null, unit, conversion: { factor: 1, offset: 0 }, percent: false };
}

/** Converts a quantity written in the export into what `mapType` said to store. */
export function convertValue(m: TypeMapping, v: number): number {
  if (m.percent && v > 1) return v / 100;
  return m.conversion.factor === 1 && m.conversion.offset === 0 ? v : v * m.conversion.factor + m.conversion.offset;
}

/** Unit conversion for workout totals and statistics (distance to km, energy to kcal). */
export function toKm(value: number, unit: string): number | null {
  const c = CONVERSIONS.km[canonicalUnitSpelling(unit)];
  return c ? value * c.factor : null;
}
export function toKcal(value: number, unit: string): number | null {
  const c = CONVERSIONS.kcal[canonicalUnitSpelling(unit)];
  return c ? value * c.factor : null;
}
export function toSeconds(value: number, unit: string): number | null {
  const c = CONVERSIONS.min[canonicalUnitSpelling(unit || 'min')];
  return c ? value * c.factor * 60 : null;
}
