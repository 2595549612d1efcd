// Colours, units and words shared by the charts.
import { getMetric, getSource } from '../../../shared/catalog';
import type { Settings } from '../../../shared/contract';
import { deviceColor } from './colors';

/** Okabe–Ito: distinguishable with every common colour-vision deficiency. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'];
/** Sleep stages keep the same colour everywhere. */
export const STAGE_COLORS = { deep: '#0072B2', light: '#56B4E9', rem: '#CC79A7', awake: '#E69F00', unspecified: '#999999' } as const;

/**
 * The colour of an origin by its id: its device colour (charts/colors.ts deviceColor of its
 * key) once a chart has seen the origin's key; ids are only known with their keys after a
 * series loaded, which happens before anything can show one.
 */
const keys = new Map<number, string>();
export function rememberOrigin(originId: number, key: string): void {
  keys.set(originId, key);
}
export function originColor(originId: number): string {
  const key = keys.get(originId);
  return key ? deviceColor(key) : '#999999';
}

export function sourceName(source: string): string {
  return getSource(source)?.name ?? source;
}

export interface DisplayUnit {
  unit: string;
  convert(v: number): number;
  digits: number;
}

/** How a metric's canonical unit is shown under the chosen unit system. */
export function displayUnit(metric: string, units: Settings['units']): DisplayUnit {
  const def = getMetric(metric);
  const unit = def?.unit ?? '';
  const same = (u: string, digits = 0): DisplayUnit => ({ unit: u, convert: (v) => v, digits });
  if (unit === 'fraction') return { unit: '%', convert: (v) => v * 100, digits: 1 };
  if (units === 'imperial') {
    if (unit === 'kg') return { unit: 'lb', convert: (v) => v * 2.20462, digits: 1 };
    if (unit === 'km') return { unit: 'mi', convert: (v) => v * 0.621371, digits: 2 };
    if (unit === 'mL') return { unit: 'fl oz', convert: (v) => v * 0.033814, digits: 1 };
    if (unit === 'degC') return { unit: '°F', convert: (v) => (v * 9) / 5 + 32, digits: 1 };
  }
  if (unit === 'kg' || unit === 'km' || unit === 'degC') return same(unit === 'degC' ? '°C' : unit, 1);
  if (unit === 'count') return same(metric === 'steps' ? 'steps' : '');
  if (unit === 'ms' || unit === 'bpm' || unit === 'kcal' || unit === 'min' || unit === 'g') return same(unit);
  return same(unit, 1);
}

export function formatValue(v: number | null | undefined, du: DisplayUnit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const n = du.convert(v);
  return `${n.toLocaleString(undefined, { maximumFractionDigits: du.digits, minimumFractionDigits: 0 })}${du.unit ? ` ${du.unit}` : ''}`;
}

export function formatMinutes(min: number): string {
  const h = Math.floor(min / 60);
  const m = Math.round(min % 60);
  return h ? `${h} h ${m} min` : `${m} min`;
}

/** Which sources could fill an empty chart, in words. */
export function whoFills(metrics: string[]): string {
  const names = new Set<string>();
  for (const m of metrics)
    for (const id of ['apple_health', 'withings', 'oura', 'whoop', 'strava', 'garmin', 'fitbit', 'cronometer', 'myfitnesspal', 'csv'])
      if (getSource(id)?.metrics.includes(m as never)) names.add(getSource(id)!.name);
  const list = [...names];
  if (!list.length) return '';
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : list[0];
}

/** Reads a CSS custom property of the current theme. */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/**
 * A bucket's slot as people read it: an hour "2024-07-31T12:00" is "2024-07-31 12:00", a day,
 * week or month stays as it is. Display only: the server, URLs and data attributes keep the slot.
 */
export function slotText(slot: string): string {
  return slot.replace('T', ' ');
}

export const DAY_MS = 86_400_000;
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** "1 workout", "3,200 samples": a count with its noun in the right number. */
export function countOf(n: number, one: string, many: string): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
