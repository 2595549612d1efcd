// Words the import screens share: date formats, units and the metrics a CSV column can hold.
import { getMetric, getSource, type MetricDef } from '../../../shared/catalog';
import type { DateFormat } from '../../../shared/contract';
import { unitsFor } from '../../../shared/units';

export const DATE_FORMAT_LABELS: Record<DateFormat, string> = {
  iso: 'year-month-day (2024-03-05)',
  mdy: 'month/day/year (3/5/2024)',
  dmy: 'day/month/year (5/3/2024)',
  epoch_s: 'seconds since 1970',
  epoch_ms: 'milliseconds since 1970',
};

const UNIT_LABELS: Record<string, string> = {
  count: 'count',
  degC: '°C',
  degF: '°F',
  fraction: 'fraction (0–1)',
  '%': '%',
  fl_oz_us: 'US fl oz',
  fl_oz_imp: 'imperial fl oz',
  cup_us: 'US cups',
  Cal: 'Cal (= kcal)',
  'kg/m2': 'kg/m²',
  st: 'stone',
};

export function unitLabel(unit: string): string {
  return UNIT_LABELS[unit] ?? unit;
}

/** The units a metric's values may be written in (its canonical unit first). */
export function metricUnits(metric: string): string[] {
  const def = getMetric(metric);
  return def ? unitsFor(def.unit) : [];
}

/** The metrics a CSV column can be imported as (what the CSV source may supply), by category. */
export function csvMetrics(): MetricDef[] {
  return (getSource('csv')?.metrics ?? []).map((id) => getMetric(id)!).filter(Boolean);
}

/** A unit for `metric`: `wanted` if the metric can be read in it, else its canonical unit. */
export function unitFor(metric: string, ...wanted: (string | null | undefined)[]): string {
  const units = metricUnits(metric);
  return wanted.find((u): u is string => !!u && units.includes(u)) ?? units[0] ?? '';
}

/** "Weight (lb)" -> "lb": the unit a header names, if any. */
export function headerUnit(header: string): string | null {
  return /[([]\s*([^)\]]{1,12})\s*[)\]]\s*$/.exec(header)?.[1]?.trim() ?? null;
}

export function fmtBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}
