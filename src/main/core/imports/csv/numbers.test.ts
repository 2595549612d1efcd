import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guessDecimal, isMissing, parseNumber } from './numbers';

describe('parseNumber', () => {
  it('reads the forms exports write, with the decimal mark given', () => {
    expect(parseNumber('1,476')).toBe(1476); // Garmin (US): thousands comma
    expect(parseNumber('1,476,250.5')).toBe(1476250.5);
    expect(parseNumber('72.5')).toBe(72.5);
    expect(parseNumber(' 8200 ')).toBe(8200);
    expect(parseNumber('-3.25')).toBe(-3.25);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('72,5', ',')).toBe(72.5); // decimal comma
    expect(parseNumber('1.476,5', ',')).toBe(1476.5); // German
    expect(parseNumber('1 476,5', ',')).toBe(1476.5);
    expect(parseNumber('1\u202f476,5', ',')).toBe(1476.5); // French narrow no-break space
    expect(parseNumber("1'476.5")).toBe(1476.5); // Swiss
  });

  it('says "no value" for empty and dash cells, and NaN for text that is not a number', () => {
    for (const m of ['', '  ', '--', '-', 'N/A', 'null']) {
      expect(parseNumber(m)).toBeNull();
      expect(isMissing(m)).toBe(true);
    }
    expect(parseNumber('abc')).toBeNaN();
    expect(parseNumber('72,5')).toBeNaN(); // a decimal comma read with '.' is not silently 725
    expect(parseNumber('12 kg')).toBeNaN();
  });

  it('reads back any number written with either mark and thousands separators (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom<'.' | ','>('.', ','), (int, cents, mark) => {
        const thousands = mark === '.' ? ',' : '.';
        const grouped = int.toLocaleString('en-US').replace(/,/g, thousands);
        const text = `${grouped}${mark}${String(cents).padStart(2, '0')}`;
        expect(parseNumber(text, mark)).toBeCloseTo(int + cents / 100, 6);
      }),
    );
  });
});

describe('guessDecimal', () => {
  it('finds a decimal comma only when a value can only be read with one', () => {
    expect(guessDecimal(['72,5', '71,9', '73'])).toBe(',');
    expect(guessDecimal(['1.476,5'])).toBe(',');
    expect(guessDecimal(['1,476', '2,310'])).toBe('.'); // thousands, as Garmin (US) writes them
    expect(guessDecimal(['72.5', '1,476'])).toBe('.');
    expect(guessDecimal([])).toBe('.');
  });
});
