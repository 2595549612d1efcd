// A generic CSV's column mapping (shared/contract CsvMapping) applied to its rows, suggested from
// its header and first rows, and checked before importing. The importer (worker) and the preview
// (main thread) run this same code, so the check shows exactly what the import will store.
import { getMetric, type MetricId } from '../../../../shared/catalog';
import type { CsvMapping, DateFormat, RowError } from '../../../../shared/contract';
import { convertUnit, unitsFor, unitSpelling } from '../../../../shared/units';
import type { SampleRecord } from '../../samples';
import { guessDateFormats, parseDateTime, parseTimeOfDay } from '../csv/dates';
import { guessDecimal, isMissing, parseNumber } from '../csv/numbers';
import type { ImportChoices } from '../importer';
import { placeLocal } from '../place';

/** Generic CSV values come from a person's own spreadsheet or an app VitalSync has no preset for. */
export const CSV_DEVICE_KIND = 'manual';

/** A row error, with the kind it is counted under in the job's summary ('Weight: not a number'). */
export type MappedRowError = RowError & { category: string };

export interface RowResult {
  samples: SampleRecord[];
  errors: MappedRowError[];
  /** Names in a long file's metric column that the mapping leaves out (counted, not errors). */
  unmapped: string[];
}

export type RowMapper = (cells: string[], row: number) => RowResult;

/** Problems with a mapping itself (a column not in the header, a unit that does not convert); empty when it can run. */
export function mappingProblems(mapping: CsvMapping, header: readonly string[]): string[] {
  const problems: string[] = [];
  const has = (c: string | null, what: string) => {
    if (c !== null && !header.includes(c)) problems.push(`The ${what} column "${c}" is not in this file's header.`);
  };
  has(mapping.date.column, 'date');
  has(mapping.time, 'time');
  const unit = (metric: MetricId, u: string, where: string) => {
    const def = getMetric(metric)!;
    if (!unitsFor(def.unit).includes(unitSpelling(u))) problems.push(`${where}: ${def.label} cannot be read in "${u}" (it can be ${unitsFor(def.unit).join(', ')}).`);
  };
  if (mapping.layout === 'wide') {
    if (!mapping.columns.length) problems.push('Map at least one column to a metric.');
    for (const c of mapping.columns) {
      has(c.column, 'value');
      unit(c.metric, c.unit, `Column "${c.column}"`);
    }
  } else {
    if (!mapping.metricColumn || !mapping.valueColumn) problems.push('A long file needs its metric column and its value column.');
    has(mapping.metricColumn, 'metric');
    has(mapping.valueColumn, 'value');
    has(mapping.unitColumn, 'unit');
    if (!Object.keys(mapping.metricNames).length) problems.push('Map at least one metric name to a metric.');
    if (!mapping.unitColumn) for (const [name, m] of Object.entries(mapping.metricNames)) unit(m.metric, m.unit, `"${name}"`);
  }
  return problems;
}

/** The function that turns one record of the file into samples. Call mappingProblems first. */
export function compileMapping(mapping: CsvMapping, header: readonly string[], choices: Pick<ImportChoices, 'zone' | 'zoneIsHome'>, entry: string): RowMapper {
  const col = (name: string | null) => (name === null ? -1 : header.indexOf(name));
  const dateAt = col(mapping.date.column);
  const timeAt = col(mapping.time);
  const origin = { name: mapping.origin, deviceKind: CSV_DEVICE_KIND };
  const wide = mapping.columns.map((c) => ({ ...c, at: col(c.column), def: getMetric(c.metric)!, unit: unitSpelling(c.unit) }));
  const metricAt = col(mapping.metricColumn);
  const valueAt = col(mapping.valueColumn);
  const unitAt = col(mapping.unitColumn);
  const names = new Map(Object.entries(mapping.metricNames).map(([k, v]) => [k.trim().toLowerCase(), v]));

  return (cells, row) => {
    const errors: MappedRowError[] = [];
    const samples: SampleRecord[] = [];
    const unmapped: string[] = [];
    const err = (column: string | null, category: string, reason: string) => errors.push({ entry, row, column, reason, category: `${column}: ${category}` });
    const dateText = cells[dateAt] ?? '';
    const when = parseDateTime(dateText, mapping.date.format);
    if (!when) {
      err(mapping.date.column, 'no readable date', isMissing(dateText) ? 'no date' : `"${clip(dateText)}" is not a date written as ${formatLabel(mapping.date.format)}`);
      return { samples, errors, unmapped };
    }
    if (timeAt >= 0 && !isMissing(cells[timeAt] ?? '')) {
      const ms = parseTimeOfDay(cells[timeAt]);
      if (ms === null) {
        err(mapping.time, 'no readable time', `"${clip(cells[timeAt])}" is not a time of day`);
        return { samples, errors, unmapped };
      }
      when.msOfDay = ms;
    }
    const placed = placeLocal(when, choices);
    if (!placed) {
      err(mapping.date.column, 'unknown time zone', `the time zone "${choices.zone}" is unknown`);
      return { samples, errors, unmapped };
    }
    const push = (rawType: string, metric: MetricId, text: string, unit: string, column: string) => {
      const v = parseNumber(text, mapping.decimal);
      if (v === null) return;
      if (Number.isNaN(v)) return err(column, 'not a number', `"${clip(text)}" is not a number`);
      const def = getMetric(metric)!;
      const value = convertUnit(v, unit, def.unit);
      if (value === null) return err(column, `unit not convertible`, `"${unit}" is not a unit ${def.label} can be read in`);
      samples.push({ rawType, metric, unit: def.unit, origin, startMs: placed.startMs, endMs: placed.endMs, zone: placed.zone, day: placed.day, value });
    };
    if (mapping.layout === 'wide') {
      for (const c of wide) push(`csv:${c.column}`, c.metric, cells[c.at] ?? '', c.unit, c.column);
    } else {
      const name = (cells[metricAt] ?? '').trim();
      const m = names.get(name.toLowerCase());
      if (!m) {
        if (name) unmapped.push(name);
        return { samples, errors, unmapped };
      }
      const unit = unitAt >= 0 && !isMissing(cells[unitAt] ?? '') ? unitSpelling(cells[unitAt]) : unitSpelling(m.unit);
      push(`csv:${name}`, m.metric, cells[valueAt] ?? '', unit, mapping.valueColumn!);
    }
    return { samples, errors, unmapped };
  };
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

export function formatLabel(f: DateFormat): string {
  return { iso: 'year-month-day (2024-03-05)', mdy: 'month/day/year (3/5/2024)', dmy: 'day/month/year (5/3/2024)', epoch_s: 'seconds since 1970', epoch_ms: 'milliseconds since 1970' }[f];
}

// Header words for the metrics a spreadsheet most often holds. Conservative: a column nobody can
// be sure of (a bare "Calories": eaten or burned?) is left for the person to map.
const SYNONYMS: [RegExp, MetricId][] = [
  [/^(steps?|step count|schritte|pas)$/i, 'steps'],
  [/^(weight|body ?mass|gewicht|poids|peso)$/i, 'weight'],
  [/^(body ?fat|fat ?%|body fat %|fat percentage)$/i, 'body_fat'],
  [/^(resting (heart rate|hr)|rhr)$/i, 'resting_heart_rate'],
  [/^(heart rate|hr|pulse|bpm)$/i, 'heart_rate'],
  [/^(hrv|hrv \(rmssd\)|rmssd)$/i, 'hrv_rmssd'],
  [/^(sdnn|hrv \(sdnn\))$/i, 'hrv_sdnn'],
  [/^(spo2|blood oxygen|oxygen saturation)$/i, 'spo2'],
  [/^(systolic|sys)$/i, 'blood_pressure_systolic'],
  [/^(diastolic|dia)$/i, 'blood_pressure_diastolic'],
  [/^(glucose|blood glucose|blood sugar)$/i, 'blood_glucose'],
  [/^(distance)$/i, 'distance'],
  [/^(floors|floors climbed|flights)$/i, 'floors'],
  [/^(active (calories|energy)|calories burned|active kcal)$/i, 'active_energy'],
  [/^(calories eaten|energy eaten|calories consumed|food calories)$/i, 'dietary_energy'],
  [/^(protein)$/i, 'protein'],
  [/^(carbs|carbohydrates?)$/i, 'carbohydrates'],
  [/^(fat|total fat)$/i, 'fat'],
  [/^(fib(er|re))$/i, 'fiber'],
  [/^(sugars?)$/i, 'sugar'],
  [/^(sodium)$/i, 'sodium'],
  [/^(water)$/i, 'water'],
  [/^(caffeine)$/i, 'caffeine'],
  [/^(temperature|body temperature|temp)$/i, 'body_temperature'],
  [/^(respiratory rate|breathing rate|resp(iration)? rate)$/i, 'respiratory_rate'],
  [/^(vo2 ?max)$/i, 'vo2max'],
  [/^(bmi)$/i, 'bmi'],
];

/** "Weight (lb)" -> { name: "Weight", unit: "lb" }. */
function splitUnit(header: string): { name: string; unit: string | null } {
  const m = /^(.*?)\s*[([]\s*([^)\]]{1,12})\s*[)\]]\s*$/.exec(header);
  return m ? { name: m[1].trim(), unit: unitSpelling(m[2]) } : { name: header.trim(), unit: null };
}

export function metricForName(name: string): MetricId | null {
  const clean = name.trim();
  for (const [re, metric] of SYNONYMS) if (re.test(clean)) return metric;
  return null;
}

/**
 * A first mapping for a file from its header and first rows: the date column and format, a long
 * layout when there are metric/value columns, else the columns whose names say what they hold.
 * null when no column reads as dates. The person confirms or changes it before importing.
 */
export function suggestMapping(header: readonly string[], rows: readonly string[][], fileName: string): CsvMapping | null {
  const values = (i: number) => rows.map((r) => r[i] ?? '').filter((v) => !isMissing(v));
  const dateCols = header
    .map((h, i) => ({ h, i, formats: guessDateFormats(values(i)) }))
    .filter((c) => c.formats.length && values(c.i).length)
    .sort((a, b) => Number(/date|day|time|when|datum|fecha|jour/i.test(b.h)) - Number(/date|day|time|when|datum|fecha|jour/i.test(a.h)));
  const date = dateCols[0];
  if (!date) return null;
  const timeIdx = header.findIndex((h, i) => i !== date.i && /^(time|time of day|uhrzeit|zeit|heure|hora|ora|tijd)$/i.test(h.trim()) && values(i).every((v) => parseTimeOfDay(v) !== null));
  const find = (re: RegExp) => header.findIndex((h) => re.test(h.trim()));
  const metricIdx = find(/^(metric|type|measurement|measure|name|kind|what)$/i);
  const valueIdx = find(/^(value|amount|reading|quantity)$/i);
  const unitIdx = find(/^(unit|units)$/i);
  const origin = fileName.replace(/\.[^.]+$/, '') || 'Spreadsheet';
  const base = { date: { column: date.h, format: date.formats[0] }, time: timeIdx >= 0 ? header[timeIdx] : null, zone: null, origin };
  if (metricIdx >= 0 && valueIdx >= 0) {
    const metricNames: CsvMapping['metricNames'] = {};
    for (const r of rows) {
      const name = (r[metricIdx] ?? '').trim();
      const { name: bare, unit } = splitUnit(name);
      const metric = metricForName(bare);
      if (metric && !metricNames[name]) metricNames[name] = { metric, unit: unit ?? getMetric(metric)!.unit };
    }
    return {
      ...base,
      layout: 'long',
      decimal: guessDecimal(values(valueIdx)),
      columns: [],
      metricColumn: header[metricIdx],
      valueColumn: header[valueIdx],
      unitColumn: unitIdx >= 0 ? header[unitIdx] : null,
      metricNames,
    };
  }
  const columns: CsvMapping['columns'] = [];
  const numeric: string[] = [];
  header.forEach((h, i) => {
    if (i === date.i || i === timeIdx) return;
    const { name, unit } = splitUnit(h);
    const metric = metricForName(name);
    if (!metric) return;
    const canonical = getMetric(metric)!.unit;
    columns.push({ column: h, metric, unit: unit && unitsFor(canonical).includes(unit) ? unit : canonical });
    numeric.push(...values(i));
  });
  return { ...base, layout: 'wide', decimal: guessDecimal(numeric), columns, metricColumn: null, valueColumn: null, unitColumn: null, metricNames: {} };
}
