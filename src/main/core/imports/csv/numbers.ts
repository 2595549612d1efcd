// Numbers as exports write them: `1,476` (thousands, US), `72,5` (a decimal comma), `1 476,5`,
// `1.476,5` (German), and `--`, `-`, `N/A` or an empty cell for "no value".

/** Cell texts that mean "no value" (not an error). */
const MISSING = new Set(['', '--', '-', '—', 'n/a', 'na', 'null', 'none', '…']);

export function isMissing(text: string): boolean {
  return MISSING.has(text.trim().toLowerCase());
}

const PLAIN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A cell as a number, with `decimal` as the decimal mark (the other mark, spaces and apostrophes
 * are thousands separators). null for an empty or "--" cell; NaN for text that is not a number.
 */
export function parseNumber(text: string, decimal: '.' | ',' = '.'): number | null {
  if (isMissing(text)) return null;
  let t = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (decimal === '.') t = t.replace(/,(?=\d{3}(\D|$))/g, '');
  else t = t.replace(/\.(?=\d{3}(\D|$))/g, '').replace(',', '.');
  if (!PLAIN.test(t)) return NaN;
  return Number(t);
}

/**
 * The decimal mark a column's values use, from a sample of them: ',' when some value can only be
 * read with a decimal comma (`72,5`, `1.476,5`), else '.' (`1,476` alone reads as thousands).
 */
export function guessDecimal(values: readonly string[]): '.' | ',' {
  let comma = 0;
  let dot = 0;
  for (const raw of values) {
    const v = raw.trim();
    if (/^[+-]?\d+,\d{1,2}$/.test(v) || /^[+-]?\d{1,3}(\.\d{3})+,\d+$/.test(v) || /^[+-]?\d+,\d{4,}$/.test(v)) comma++;
    else if (/^[+-]?\d+\.\d{1,2}$/.test(v) || /^[+-]?\d{1,3}(,\d{3})+\.\d+$/.test(v) || /^[+-]?\d+\.\d{4,}$/.test(v)) dot++;
  }
  return comma > dot ? ',' : '.';
}
