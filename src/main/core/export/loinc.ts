// Which LOINC code and UCUM unit each metric takes in a FHIR export. A metric that is not here
// has no code a clinician's system would read the same way, so it is left out of the bundle and
// listed in the export's `omitted` (FHIR_OMITTED says why, for the tests and the docs).
//
// Where each code was checked (public references, 2026):
// - 8867-4 heart rate, 9279-1 respiratory rate, 8310-5 body temperature, 29463-7 body weight,
//   39156-5 BMI, 8302-2 body height, 2708-6 oxygen saturation, 85354-9 blood-pressure panel with
//   8480-6 systolic and 8462-4 diastolic as its components: the FHIR R4 vital-signs value set,
//   https://hl7.org/fhir/R4/valueset-observation-vitalsignresult.html
// - 59408-5 oxygen saturation by pulse oximetry (beside 2708-6, as in the US Vital Signs IG's
//   example https://hl7.org/fhir/us/vitals/STU1/Observation-oxygenSaturationPulseOx-example.html)
// - 41950-7 number of steps in 24 hours: HL7LT/ig-lt-vitalsigns input/fsh/vitals/number-of-steps.fsh
//   (UCUM `/d`); 55423-8 steps in unspecified time (pedometer) and 93832-4 sleep duration:
//   gauravvaishnav17/abdm-fhir-ig-fsh input/fsh/valuesets/PhysicalActivity.fsh, and
//   medibloc/myData README.md
// - 9052-2 calorie intake total: gauravvaishnav17/abdm-fhir-ig-fsh input/fsh/valuesets/GeneralAssessment.fsh
// - 80404-7 R-R interval standard deviation (HRV SDNN): RicardoLSantos/shorthand
//   input/fsh/HeartRateVariabilityCodeSystem.fsh (which also notes RMSSD has no LOINC code)
// - 40443-4 heart rate --resting, 41982-0 percentage of body fat (measured), 15074-8 glucose
//   [moles/volume] in blood: FHIR mappings in public health-app code (Health Connect and
//   HealthKit to FHIR), and loinc.org's own text for 73708-0, which names 41982-0 as body fat
//   percentage.
// Not used: 60842-2 for VO2max. Public mappings disagree on what it means (one calls it minute
// ventilation) and its unit is not per body weight, so VO2max stays out rather than be mislabelled.
import type { MetricId } from '../../../shared/catalog';

export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

export interface Coding {
  system: string;
  code: string;
  display: string;
}

export interface FhirMetric {
  /** The codes of Observation.code (the first is the main one). */
  codes: Coding[];
  /** A merged day's value takes these codes instead (steps: per 24 hours). */
  dailyCodes?: Coding[];
  /** UCUM code and its human-readable unit; dailyUnit for merged days when it differs. */
  ucum: string;
  unit: string;
  dailyUcum?: string;
  dailyUnit?: string;
  /** value in the UCUM unit = stored value × factor (fractions to percent). */
  factor: number;
  category: 'vital-signs' | 'activity' | 'laboratory';
  /** Raw samples cannot be written as this (sleep's stage intervals are not durations). */
  mergedOnly?: boolean;
}

const loinc = (code: string, display: string): Coding => ({ system: LOINC_SYSTEM, code, display });

export const BP_PANEL = loinc('85354-9', 'Blood pressure panel with all children optional');
export const BP_SYSTOLIC = loinc('8480-6', 'Systolic blood pressure');
export const BP_DIASTOLIC = loinc('8462-4', 'Diastolic blood pressure');
export const BP_UCUM = 'mm[Hg]';

const vital = (codes: Coding[], ucum: string, unit: string, factor = 1): FhirMetric => ({ codes, ucum, unit, factor, category: 'vital-signs' });

export const FHIR_METRICS: Partial<Record<MetricId, FhirMetric>> = {
  heart_rate: vital([loinc('8867-4', 'Heart rate')], '/min', 'beats/minute'),
  resting_heart_rate: vital([loinc('40443-4', 'Heart rate --resting')], '/min', 'beats/minute'),
  hrv_sdnn: vital([loinc('80404-7', 'R-R interval.standard deviation (Heart rate variability)')], 'ms', 'ms'),
  respiratory_rate: vital([loinc('9279-1', 'Respiratory rate')], '/min', 'breaths/minute'),
  body_temperature: vital([loinc('8310-5', 'Body temperature')], 'Cel', '°C'),
  spo2: vital([loinc('2708-6', 'Oxygen saturation in Arterial blood'), loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry')], '%', '%', 100),
  weight: vital([loinc('29463-7', 'Body weight')], 'kg', 'kg'),
  bmi: vital([loinc('39156-5', 'Body mass index (BMI) [Ratio]')], 'kg/m2', 'kg/m2'),
  height: vital([loinc('8302-2', 'Body height')], 'm', 'm'),
  body_fat: vital([loinc('41982-0', 'Percentage of body fat Measured')], '%', '%', 100),
  blood_glucose: { codes: [loinc('15074-8', 'Glucose [Moles/volume] in Blood')], ucum: 'mmol/L', unit: 'mmol/L', factor: 1, category: 'laboratory' },
  // Activity: FHIR R4's observation categories have no nutrition or sleep code; `activity`
  // ("the body's activity") is where personal-device lifestyle data goes.
  steps: {
    codes: [loinc('55423-8', 'Number of steps in unspecified time Pedometer')],
    dailyCodes: [loinc('41950-7', 'Number of steps in 24 hour Measured')],
    ucum: '{steps}',
    unit: 'steps',
    dailyUcum: '/d',
    dailyUnit: 'steps/day',
    factor: 1,
    category: 'activity',
  },
  dietary_energy: { codes: [loinc('9052-2', 'Calorie intake total')], ucum: 'kcal', unit: 'kcal', factor: 1, category: 'activity' },
  sleep: { codes: [loinc('93832-4', 'Sleep duration')], ucum: 'min', unit: 'min', factor: 1, category: 'activity', mergedOnly: true },
};

/** The two halves of a blood-pressure reading: written together as one 85354-9 panel. */
export const BP_METRICS = ['blood_pressure_systolic', 'blood_pressure_diastolic'] as const;

/** Whether a metric can be written to FHIR at all (raw: per sample; merged: per day). */
export function fhirWritable(metric: string, values: 'merged' | 'raw'): boolean {
  if ((BP_METRICS as readonly string[]).includes(metric)) return true;
  const m = FHIR_METRICS[metric as MetricId];
  return !!m && (values === 'merged' || !m.mergedOnly);
}
