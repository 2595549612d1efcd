// Cronometer's exports recognised by their column names in any order, and their columns read (format.ts).
import { describe, expect, it } from 'vitest';
import { biometricMetric, cronometerFileOf, nutrientColumn, splitBloodPressure } from './format';

describe('Cronometer file layouts', () => {
  it('tells the five exports apart by their columns, whatever their order', () => {
    expect(cronometerFileOf(['Date', 'Energy (kcal)', 'Protein (g)', 'Completed'])).toBe('dailysummary');
    expect(cronometerFileOf(['Day', 'Time', 'Group', 'Food Name', 'Amount', 'Energy (kcal)', 'Category'])).toBe('servings');
    expect(cronometerFileOf(['Day', 'Group', 'Food Name', 'Amount', 'Energy (kcal)', 'Time'])).toBe('servings');
    expect(cronometerFileOf(['Day', 'Time', 'Group', 'Exercise', 'Minutes', 'Calories Burned'])).toBe('exercises');
    expect(cronometerFileOf(['Day', 'Exercise', 'Minutes', 'Calories Burned', 'Group', 'Time'])).toBe('exercises');
    expect(cronometerFileOf(['Day', 'Time', 'Group', 'Metric', 'Unit', 'Amount'])).toBe('biometrics');
    expect(cronometerFileOf(['Day', 'Time', 'Group', 'Note'])).toBe('notes');
  });

  it('leaves other files alone: MyFitnessPal’s nutrition, a spreadsheet with a note column', () => {
    expect(cronometerFileOf(['Date', 'Meal', 'Calories', 'Fat (g)', 'Protein (g)'])).toBeNull();
    expect(cronometerFileOf(['Date', 'Time', 'Weight (kg)', 'Steps', 'Note'])).toBeNull();
    expect(cronometerFileOf(['Day', 'Note', 'Mood', 'Steps'])).toBeNull();
  });

  it('maps the nutrients VitalSync charts and keeps the others in their written unit; the unit is the last parenthesis', () => {
    expect(nutrientColumn('Energy (kcal)')).toEqual({ rawType: 'Energy (kcal)', metric: 'dietary_energy', unit: 'kcal' });
    expect(nutrientColumn('Carbs (g)')).toEqual({ rawType: 'Carbs (g)', metric: 'carbohydrates', unit: 'g' });
    expect(nutrientColumn('Sugars (g)')).toEqual({ rawType: 'Sugars (g)', metric: 'sugar', unit: 'g' });
    expect(nutrientColumn('Water (g)')).toEqual({ rawType: 'Water (g)', metric: 'water', unit: 'g' });
    expect(nutrientColumn('Caffeine (mg)')).toEqual({ rawType: 'Caffeine (mg)', metric: 'caffeine', unit: 'mg' });
    expect(nutrientColumn('B12 (Cobalamin) (µg)')).toEqual({ rawType: 'B12 (Cobalamin) (µg)', metric: null, unit: 'mcg' });
    expect(nutrientColumn('Vitamin A (IU)')).toEqual({ rawType: 'Vitamin A (IU)', metric: null, unit: 'IU' });
    expect(nutrientColumn('Net Carbs (g)')).toEqual({ rawType: 'Net Carbs (g)', metric: null, unit: 'g' });
    for (const c of ['Date', 'Day', 'Time', 'Group', 'Food Name', 'Amount', 'Category', 'Completed']) expect(nutrientColumn(c)).toBeNull();
  });

  it('names biometrics however Cronometer spells them, and splits a "120/80" blood pressure', () => {
    expect(biometricMetric('Weight')).toBe('weight');
    expect(biometricMetric('Body Fat')).toBe('body_fat');
    expect(biometricMetric('Heart Rate')).toBe('heart_rate');
    expect(biometricMetric('Resting Heart Rate')).toBe('resting_heart_rate');
    expect(biometricMetric('Blood Pressure')).toBe('bp');
    expect(biometricMetric('Blood Pressure (Systolic)')).toBe('blood_pressure_systolic');
    expect(biometricMetric('Diastolic Blood Pressure')).toBe('blood_pressure_diastolic');
    expect(biometricMetric('Blood Glucose')).toBe('blood_glucose');
    expect(biometricMetric('Body Temperature')).toBe('body_temperature');
    expect(biometricMetric('Sleep')).toBeNull();
    expect(biometricMetric('Waist')).toBeNull();
    expect(splitBloodPressure('120/80')).toEqual([120, 80]);
    expect(splitBloodPressure(' 118 / 76.5 ')).toEqual([118, 76.5]);
    expect(splitBloodPressure('120')).toBeNull();
  });
});
