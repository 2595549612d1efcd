// MyFitnessPal's file layouts, recognised from their headers (the real ones: format.ts).
import { describe, expect, it } from 'vitest';
import { exerciseName, exerciseWeightUnit, isCalorieAdjustment, mfpFileOf, nutrientColumn } from './format';

const NUTRITION_2024 =
  'Date,Meal,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,Trans Fat,Cholesterol,Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),Vitamin A,Vitamin C,Calcium,Iron,Note'.split(',');

describe('MyFitnessPal file layouts', () => {
  it('tells the three files apart by their columns, with or without the 2018 Time column and the Note', () => {
    expect(mfpFileOf(NUTRITION_2024)).toBe('Nutrition-Summary');
    expect(mfpFileOf(['Date', 'Meal', 'Time', 'Calories', 'Fat (g)', 'Protein (g)'])).toBe('Nutrition-Summary');
    expect(mfpFileOf('Date,Exercise,Type,Exercise Calories,Exercise Minutes,Sets,Reps Per Set,Kilograms,Steps,Note'.split(','))).toBe('Exercise-Summary');
    expect(mfpFileOf(['Date', 'Weight'])).toBe('Measurement-Summary');
    expect(mfpFileOf(['Date', 'CycleTime', 'Weight', 'n_Body Fat'])).toBe('Measurement-Summary');
  });

  it('leaves spreadsheets that only look alike to others: a weight with its unit, a time column, another first column', () => {
    expect(mfpFileOf(['Date', 'Weight (kg)'])).toBeNull();
    expect(mfpFileOf(['Date', 'Time', 'Weight'])).toBeNull();
    expect(mfpFileOf(['Day', 'Weight'])).toBeNull();
    expect(mfpFileOf(['Date', 'Time', 'Weight (kg)', 'Steps', 'Note'])).toBeNull();
    expect(mfpFileOf(['Date', 'Meal', 'Calories'])).toBeNull();
  });

  it('reads the weight unit from the Kilograms or Pounds column, and nothing else', () => {
    expect(exerciseWeightUnit(['Date', 'Exercise', 'Kilograms'])).toBe('kg');
    expect(exerciseWeightUnit(['Date', 'Exercise', 'Pounds'])).toBe('lb');
    expect(exerciseWeightUnit(['Date', 'Exercise'])).toBeNull();
  });

  it('maps the nutrients VitalSync charts, and keeps the others raw in the unit MyFitnessPal shows', () => {
    expect(nutrientColumn('Calories')).toEqual({ rawType: 'Calories', metric: 'dietary_energy', unit: 'kcal' });
    expect(nutrientColumn('Fat (g)')).toEqual({ rawType: 'Fat (g)', metric: 'fat', unit: 'g' });
    expect(nutrientColumn('Sodium (mg)')).toEqual({ rawType: 'Sodium (mg)', metric: 'sodium', unit: 'mg' });
    expect(nutrientColumn('Carbohydrates (g)')).toEqual({ rawType: 'Carbohydrates (g)', metric: 'carbohydrates', unit: 'g' });
    expect(nutrientColumn('Protein (g)')).toEqual({ rawType: 'Protein (g)', metric: 'protein', unit: 'g' });
    expect(nutrientColumn('Fiber')).toEqual({ rawType: 'Fiber', metric: 'fiber', unit: 'g' });
    expect(nutrientColumn('Sugar')).toEqual({ rawType: 'Sugar', metric: 'sugar', unit: 'g' });
    expect(nutrientColumn('Cholesterol')).toEqual({ rawType: 'Cholesterol', metric: null, unit: 'mg' });
    expect(nutrientColumn('Potassium')).toEqual({ rawType: 'Potassium', metric: null, unit: 'mg' });
    expect(nutrientColumn('Saturated Fat')).toEqual({ rawType: 'Saturated Fat', metric: null, unit: 'g' });
    expect(nutrientColumn('Vitamin A')).toEqual({ rawType: 'Vitamin A', metric: null, unit: '%DV' });
    expect(nutrientColumn('Iron')).toEqual({ rawType: 'Iron', metric: null, unit: '%DV' });
    expect(nutrientColumn('Zinc (mg)')).toEqual({ rawType: 'Zinc (mg)', metric: null, unit: 'mg' });
    for (const c of ['Date', 'Meal', 'Time', 'Note']) expect(nutrientColumn(c)).toBeNull();
    // 17 nutrient columns in the 2024 header: 20 columns less Date, Meal and Note.
    expect(NUTRITION_2024.filter((c) => nutrientColumn(c)).length).toBe(17);
  });

  it('takes the literal quotes off names MyFitnessPal writes as """Walking, 3.5 mph"""', () => {
    expect(exerciseName('"Walking, 3.5 mph, brisk pace"')).toBe('Walking, 3.5 mph, brisk pace');
    expect(exerciseName('Elliptical Trainer')).toBe('Elliptical Trainer');
    expect(exerciseName(' "x" ')).toBe('x');
  });

  it('knows a tracker calorie adjustment is no workout', () => {
    expect(isCalorieAdjustment('Health Connect calorie adjustment')).toBe(true);
    expect(isCalorieAdjustment('Fitbit calorie adjustment')).toBe(true);
    expect(isCalorieAdjustment('Walking, 3.5 mph, brisk pace')).toBe(false);
  });
});
