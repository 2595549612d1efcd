// What Apple's record types mean to VitalSync: the canonical metric and how to convert the
// export's units into the metric's canonical unit (catalog.ts). Types not listed here are
// still stored, raw, in their own unit (sample_types.metric is NULL for them).
import { getMetric, type MetricId, type SleepStage } from '../../../../shared/catalog';
import { unitConversion, type UnitConversion } from '../../../../shared/units';

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

// Unit conversions are shared by every importer (shared/units.ts). Apple's one quirk stays here:
// it writes percentages as fractions with the unit "%" (0.97 %), see `percent` below.
const APPLE_PERCENT: UnitConversion = { factor: 1, offset: 0 };

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
    const conv = def.unit === 'fraction' && unit === '%' ? APPLE_PERCENT : unitConversion(def.unit, unit);
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
  const c = unitConversion('km', canonicalUnitSpelling(unit));
  return c ? value * c.factor : null;
}
export function toKcal(value: number, unit: string): number | null {
  const c = unitConversion('kcal', canonicalUnitSpelling(unit));
  return c ? value * c.factor : null;
}
export function toSeconds(value: number, unit: string): number | null {
  const c = unitConversion('min', canonicalUnitSpelling(unit || 'min'));
  return c ? value * c.factor * 60 : null;
}
