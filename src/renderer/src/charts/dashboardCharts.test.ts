import { describe, expect, it } from 'vitest';
import { assignDeviceColors, deviceColor, DEVICE_PALETTE, hashString, setKnownDevices, sourceColor } from './colors';
import { aggregationLabel, calendarWeeks, DASHBOARD_CHARTS, metricAt, dayValueLabel, latestChartedDay, parseAdded, shownCharts, type Overview } from './dashboardCharts';

const ov = (metric: string, lastDay: string, days = 3): Overview[number] => ({ metric, days, firstDay: '2026-01-01', lastDay });

describe('deviceColor', () => {
  it('is the same for the same key, every time, whatever order keys come in', () => {
    const a = deviceColor('apple_health:Jane’s Apple Watch');
    deviceColor('withings:Body+');
    expect(deviceColor('apple_health:Jane’s Apple Watch')).toBe(a);
    expect(sourceColor('apple_health', 'Jane’s Apple Watch')).toBe(a);
    expect(DEVICE_PALETTE).toContain(a as never);
  });
  it('is fixed across versions: a pinned hash', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(deviceColor('a')).toBe(DEVICE_PALETTE[0xe40c292c % DEVICE_PALETTE.length]);
  });
  it('gives the known devices distinct colours, whatever order they come in, and keeps them', () => {
    const keys = ['apple_health:Jane’s Apple Watch', 'apple_health:Jane’s iPhone', 'withings:Body+', 'myfitnesspal:MyFitnessPal', 'apple_health:Health Mate', 'strava:Strava', 'oura:Oura'];
    const a = assignDeviceColors(keys);
    expect(new Set(a.values()).size).toBe(keys.length);
    expect([...assignDeviceColors([...keys].reverse())]).toEqual([...a]);
    setKnownDevices(keys);
    for (const k of keys) expect(deviceColor(k)).toBe(a.get(k));
    // Beyond the palette, colours repeat but every key still gets one.
    const many = Array.from({ length: 14 }, (_, i) => `csv:Device ${i}`);
    expect(assignDeviceColors(many).size).toBe(14);
    setKnownDevices([]);
  });
  it('spreads devices over the palette', () => {
    const keys = ['apple_health:Jane’s Apple Watch', 'apple_health:Jane’s iPhone', 'withings:Body+', 'oura:Oura', 'garmin:Forerunner', 'whoop:WHOOP'];
    expect(new Set(keys.map(deviceColor)).size).toBeGreaterThanOrEqual(4);
  });
});

describe('aggregationLabel', () => {
  it('states each rule by bucket', () => {
    expect(aggregationLabel('steps', 'day')).toBe('daily total');
    expect(aggregationLabel('steps', 'hour')).toBe('hourly total');
    expect(aggregationLabel('steps', 'week')).toBe('sum per week');
    expect(aggregationLabel('distance', 'month')).toBe('sum per month');
    expect(aggregationLabel('heart_rate', 'day')).toBe('daily average');
    expect(aggregationLabel('spo2', 'week')).toBe('daily average per week');
    expect(aggregationLabel('weight', 'day')).toBe('last reading of the day');
    expect(aggregationLabel('weight', 'month')).toBe('last reading of the month');
    expect(aggregationLabel('sleep', 'day')).toBe('time asleep per night');
    expect(aggregationLabel('sleep', 'month')).toBe('time asleep, average per night');
    expect(aggregationLabel('nope', 'day')).toBeNull();
  });
  it('names the Day view value', () => {
    expect(dayValueLabel('steps')).toBe('Day total');
    expect(dayValueLabel('heart_rate')).toBe('Day average');
    expect(dayValueLabel('weight')).toBe('Last reading');
    expect(dayValueLabel('sleep')).toBe('Asleep');
  });
});

describe('latestChartedDay and shownCharts', () => {
  it('takes the newest day of a charted metric only', () => {
    expect(latestChartedDay([ov('steps', '2026-03-10'), ov('height', '2026-04-01')])).toBe('2026-03-10');
    expect(latestChartedDay([ov('steps', '2026-03-10'), ov('blood_pressure_systolic', '2026-03-12')])).toBe('2026-03-12');
    const stepsOnly = DASHBOARD_CHARTS.filter((c) => c.id === 'steps');
    expect(latestChartedDay([ov('steps', '2026-03-10'), ov('weight', '2026-03-12')], stepsOnly)).toBe('2026-03-10');
    expect(latestChartedDay([])).toBeNull();
  });
  it('hides charts without data unless added back', () => {
    const { shown, hidden } = shownCharts([ov('steps', '2026-03-10'), ov('blood_pressure_diastolic', '2026-03-10'), ov('hrv_rmssd', '2026-03-10')], ['floors']);
    expect(shown.map((c) => c.id)).toEqual(['steps', 'floors', 'hrv', 'blood-pressure']);
    expect(hidden.map((c) => c.id)).toContain('weight');
    expect(shownCharts([ov('steps', '2026-03-10', 0)], []).shown).toEqual([]);
  });
  it('reads the stored choice defensively', () => {
    expect(parseAdded('["floors","nope",3]')).toEqual(['floors']);
    expect(parseAdded('{')).toEqual([]);
    expect(parseAdded(null)).toEqual([]);
  });
  it('charts every canonical metric but height', () => {
    expect(new Set(DASHBOARD_CHARTS.flatMap((c) => c.metrics)).size).toBe(44 - 1);
  });
});

describe('calendarWeeks', () => {
  it('counts the Monday-first week columns a range touches', () => {
    // Monday 2026-03-02 to Sunday 2026-03-08: one column; one more day starts a second.
    expect(calendarWeeks('2026-03-02', '2026-03-08')).toBe(1);
    expect(calendarWeeks('2026-03-02', '2026-03-09')).toBe(2);
    // A Sunday alone, and the Saturday-to-Monday weekend across two columns.
    expect(calendarWeeks('2026-03-08', '2026-03-08')).toBe(1);
    expect(calendarWeeks('2026-03-07', '2026-03-09')).toBe(2);
    // The dashboard's month (30 days) from Monday 6 April 2026 and its year (365 days).
    expect(calendarWeeks('2026-04-06', '2026-05-05')).toBe(5);
    expect(calendarWeeks('2025-05-06', '2026-05-05')).toBe(53);
  });
});

describe('metricAt', () => {
  const day = '2026-05-05';
  const series = (metric: string, value: number | null) =>
    ({ metric, unit: 'g', bucket: 'day', from: day, to: day, legend: [], buckets: value === null ? [] : [{ start: day, value, sources: [], excluded: 0 }] }) as never;
  const bp = [series('blood_pressure_systolic', 120), series('blood_pressure_diastolic', 80)];
  const macros = [series('protein', 100), series('carbohydrates', 250), series('fat', 70)];

  it('takes the series that was clicked, by its label', () => {
    expect(metricAt(bp, 'pair', day, 'Diastolic blood pressure', 140)).toBe('blood_pressure_diastolic');
    expect(metricAt(macros, 'stack-metrics', day, 'Fat', 10)).toBe('fat');
  });

  it('for a pair, takes the reading nearest the pointer (in the chart’s units)', () => {
    expect(metricAt(bp, 'pair', day, undefined, 95)).toBe('blood_pressure_diastolic');
    expect(metricAt(bp, 'pair', day, undefined, 105)).toBe('blood_pressure_systolic');
    // Shown doubled: a pointer at 170 is nearest the diastolic 160.
    expect(metricAt(bp, 'pair', day, undefined, 170, (v) => v * 2)).toBe('blood_pressure_diastolic');
    // A day with only one reading: that one.
    expect(metricAt([series('blood_pressure_systolic', null), series('blood_pressure_diastolic', 80)], 'pair', day, undefined, 200)).toBe('blood_pressure_diastolic');
  });

  it('for stacked amounts, takes the part of the stack that holds the pointer', () => {
    expect(metricAt(macros, 'stack-metrics', day, undefined, 50)).toBe('protein');
    expect(metricAt(macros, 'stack-metrics', day, undefined, 100)).toBe('protein');
    expect(metricAt(macros, 'stack-metrics', day, undefined, 101)).toBe('carbohydrates');
    expect(metricAt(macros, 'stack-metrics', day, undefined, 400)).toBe('fat');
    // Above the stack (or a day with none of it): the first metric.
    expect(metricAt(macros, 'stack-metrics', day, undefined, 900)).toBe('protein');
    expect(metricAt([series('protein', null), series('fat', 30)], 'stack-metrics', day, undefined, 10)).toBe('fat');
  });
});
