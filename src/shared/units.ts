// Unit conversions into each metric's canonical unit (catalog.ts), shared by every importer and
// by the renderer's CSV mapping editor (which offers the units a metric can be read in). Pure
// data, no node/electron/DOM imports.

/** value_canonical = value * factor + offset. */
export interface UnitConversion {
  factor: number;
  offset: number;
}

const LB = 0.45359237;
const MI = 1.609344;
const KJ_KCAL = 1 / 4.184;
const GLUCOSE_MG_DL_PER_MMOL_L = 18.01559;

const x = (factor: number, offset = 0): UnitConversion => ({ factor, offset });

/**
 * Source unit -> canonical unit, per canonical unit. Apple writes some units in odd forms
 * (`mL/min·kg` with `&#183;`); its importer folds them to these spellings first.
 */
const CONVERSIONS: Record<string, Record<string, UnitConversion>> = {
  count: { count: x(1), '': x(1) },
  km: { km: x(1), mi: x(MI), m: x(0.001), ft: x(0.0003048), yd: x(0.0009144), cm: x(0.00001) },
  m: { m: x(1), cm: x(0.01), mm: x(0.001), km: x(1000), ft: x(0.3048), in: x(0.0254) },
  kcal: { kcal: x(1), Cal: x(1), kJ: x(KJ_KCAL), cal: x(0.001), J: x(KJ_KCAL / 1000) },
  min: { min: x(1), s: x(1 / 60), hr: x(60), h: x(60), ms: x(1 / 60000) },
  bpm: { bpm: x(1), 'count/min': x(1), 'count/s': x(60), 'count/hr': x(1 / 60) },
  'breaths/min': { 'breaths/min': x(1), 'count/min': x(1), 'count/s': x(60) },
  ms: { ms: x(1), s: x(1000) },
  'mL/kg/min': { 'mL/kg/min': x(1), 'mL/min·kg': x(1), 'ml/(kg*min)': x(1) },
  // A fraction (0.97) is stored as is; a percentage (97 %) is divided by 100.
  fraction: { fraction: x(1), '%': x(0.01) },
  degC: { degC: x(1), degF: x(5 / 9, (-32 * 5) / 9), K: x(1, -273.15) },
  mmHg: { mmHg: x(1), kPa: x(7.50062), cmAq: x(0.735559) },
  'mmol/L': { 'mmol/L': x(1), 'mg/dL': x(1 / GLUCOSE_MG_DL_PER_MMOL_L) },
  kg: { kg: x(1), lb: x(LB), g: x(0.001), oz: x(LB / 16), st: x(LB * 14) },
  'kg/m2': { 'kg/m2': x(1), count: x(1), '': x(1), 'kg/m^2': x(1) },
  g: { g: x(1), mg: x(0.001), kg: x(1000), oz: x(28.349523125) },
  mg: { mg: x(1), g: x(1000), mcg: x(0.001) },
  mL: { mL: x(1), L: x(1000), fl_oz_us: x(29.5735295625), fl_oz_imp: x(28.4130625), cup_us: x(236.5882365) },
  score: { score: x(1) },
};

/** How to turn a value in `unit` into `canonicalUnit`, or null when VitalSync cannot convert it. */
export function unitConversion(canonicalUnit: string, unit: string): UnitConversion | null {
  return CONVERSIONS[canonicalUnit]?.[unit] ?? null;
}

/** Converts `value` from `unit` into `canonicalUnit`; null when the units do not convert. */
export function convertUnit(value: number, unit: string, canonicalUnit: string): number | null {
  const c = unitConversion(canonicalUnit, unit);
  if (!c) return null;
  return c.factor === 1 && c.offset === 0 ? value : value * c.factor + c.offset;
}

/** The units a value of `canonicalUnit` may be written in (the canonical one first). */
export function unitsFor(canonicalUnit: string): string[] {
  const known = Object.keys(CONVERSIONS[canonicalUnit] ?? {}).filter((u) => u !== '');
  return [canonicalUnit, ...known.filter((u) => u !== canonicalUnit)];
}

/** Spellings exports use for units, folded to VitalSync's ('lbs' -> 'lb', '°C' -> 'degC'); unknown text is returned trimmed. */
export function unitSpelling(text: string): string {
  const t = text.trim();
  const key = t.toLowerCase().replace(/\s+/g, '');
  return UNIT_SPELLINGS[key] ?? t;
}

const UNIT_SPELLINGS: Record<string, string> = {
  kg: 'kg', kgs: 'kg', kilograms: 'kg', kilogram: 'kg', lb: 'lb', lbs: 'lb', pounds: 'lb', pound: 'lb', st: 'st', stone: 'st',
  g: 'g', grams: 'g', mg: 'mg', mcg: 'mcg', µg: 'mcg', ug: 'mcg',
  km: 'km', mi: 'mi', miles: 'mi', m: 'm', meters: 'm', metres: 'm', ft: 'ft', feet: 'ft', yd: 'yd', cm: 'cm', in: 'in', inches: 'in', mm: 'mm',
  kcal: 'kcal', cal: 'Cal', calories: 'kcal', kj: 'kJ',
  min: 'min', mins: 'min', minutes: 'min', h: 'h', hr: 'h', hrs: 'h', hours: 'h', s: 's', sec: 's', seconds: 's', ms: 'ms',
  bpm: 'bpm', 'beats/min': 'bpm', '%': '%', percent: '%', fraction: 'fraction',
  '°c': 'degC', c: 'degC', degc: 'degC', celsius: 'degC', '°f': 'degF', f: 'degF', degf: 'degF', fahrenheit: 'degF',
  mmhg: 'mmHg', 'mmol/l': 'mmol/L', 'mg/dl': 'mg/dL', ml: 'mL', l: 'L', 'floz': 'fl_oz_us', 'fl.oz': 'fl_oz_us', 'fl_oz': 'fl_oz_us',
  'ml/kg/min': 'mL/kg/min', 'breaths/min': 'breaths/min', brpm: 'breaths/min', count: 'count', steps: 'count',
};
