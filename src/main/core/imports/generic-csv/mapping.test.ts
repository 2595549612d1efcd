import { describe, expect, it } from 'vitest';
import { CsvMappingSchema } from '../../../../shared/contract';
import { mappingProblems, suggestMapping } from './mapping';

describe('suggestMapping', () => {
  it('reads a German sheet: day.month.year dates, a separate time column, decimal commas, units from the header', () => {
    const header = ['Datum', 'Zeit', 'Gewicht (kg)', 'Puls', 'Notiz'];
    const rows = [
      ['31.12.2024', '07:30', '72,5', '61', ''],
      ['01.01.2025', '07:45', '72,1', '--', 'Neujahr'],
    ];
    expect(suggestMapping(header, rows, 'waage.csv')).toEqual({
      layout: 'wide',
      date: { column: 'Datum', format: 'dmy' },
      time: 'Zeit',
      zone: null,
      decimal: ',',
      columns: [{ column: 'Gewicht (kg)', metric: 'weight', unit: 'kg' }],
      metricColumn: null,
      valueColumn: null,
      unitColumn: null,
      metricNames: {},
      origin: 'waage',
    });
  });

  it('takes When, What, Amount, Unit for one reading per row, mapping the names it knows', () => {
    const header = ['When', 'What', 'Amount', 'Unit'];
    const rows = [
      ['2024-03-05 07:30', 'Weight', '160.2', 'lb'],
      ['2024-03-05 07:31', 'Mood', '4', ''],
      ['2024-03-05 08:00', 'Glucose', '95', 'mg/dL'],
    ];
    const m = suggestMapping(header, rows, 'log.csv')!;
    expect(m).toMatchObject({ layout: 'long', date: { column: 'When', format: 'iso' }, metricColumn: 'What', valueColumn: 'Amount', unitColumn: 'Unit' });
    expect(m.metricNames).toEqual({ Weight: { metric: 'weight', unit: 'kg' }, Glucose: { metric: 'blood_glucose', unit: 'mmol/L' } });
  });

  it('suggests nothing when no column holds dates', () => {
    expect(suggestMapping(['a', 'b'], [['1', '2']], 'x.csv')).toBeNull();
  });
});

describe('mappingProblems', () => {
  it('names a column the file does not have and a unit a metric cannot be read in', () => {
    const m = CsvMappingSchema.parse({ layout: 'wide', date: { column: 'Date', format: 'iso' }, columns: [{ column: 'Weight', metric: 'weight', unit: 'furlong' }, { column: 'Steps', metric: 'steps', unit: 'count' }], origin: 'x' });
    expect(mappingProblems(m, ['Date', 'Weight'])).toEqual([
      'Column "Weight": Weight cannot be read in "furlong" (it can be kg, lb, g, oz, st).',
      'The value column "Steps" is not in this file\'s header.',
    ]);
  });
});
