// Every importer's own fixtures are recognised by that importer first, by content, whichever
// way they arrive (one file, the folder), and never taken by another importer.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ImporterId } from '../../../shared/contract';
import { openInput } from './input';
import { DEFAULT_LIMITS } from './protocol';
import { recognise } from './registry';

const here = path.dirname(fileURLToPath(import.meta.url));
const CASES: [string, ImporterId][] = [
  ['apple-health/fixtures/export-v3.xml', 'apple_health'],
  ['myfitnesspal/fixtures/File-Export-2024-11-01-to-2024-11-03', 'myfitnesspal'],
  ['myfitnesspal/fixtures/File-Export-2024-11-01-to-2024-11-03/Nutrition-Summary-2024-11-01-to-2024-11-03.csv', 'myfitnesspal'],
  ['myfitnesspal/fixtures/File-Export-2024-11-01-to-2024-11-03/Exercise-Summary-2024-11-01-to-2024-11-03.csv', 'myfitnesspal'],
  ['myfitnesspal/fixtures/Nutrition-Summary-2018-with-time.csv', 'myfitnesspal'],
  ['cronometer/fixtures/export', 'cronometer'],
  ['cronometer/fixtures/export/biometrics.csv', 'cronometer'],
  ['cronometer/fixtures/export/dailysummary.csv', 'cronometer'],
  ['cronometer/fixtures/export/notes.csv', 'cronometer'],
  ['cronometer/fixtures/servings-only/servings.csv', 'cronometer'],
  ['fitbit/fixtures/takeout', 'fitbit'],
  ['fitbit/fixtures/takeout-2025', 'fitbit'],
  ['fitbit/fixtures/googledata-body', 'fitbit'],
  ['garmin/fixtures/garmin-export', 'garmin'],
  ['garmin/fixtures/activities-en-statute-spreadsheet.csv', 'garmin'],
  ['garmin/fixtures/activities-de-decimal-comma.csv', 'garmin'],
  ['garmin/fixtures/activities-fr.csv', 'garmin'],
  ['garmin/fixtures/activities-es.csv', 'garmin'],
  ['vitalsync-export/fixtures/raw-three-sources.csv', 'vitalsync'],
  ['generic-csv/fixtures/mixed.csv', 'csv'],
];

describe('the importer registry', () => {
  for (const [fixture, expected] of CASES) {
    it(`recognises ${fixture} as ${expected}`, async () => {
      const input = await openInput(path.join(here, fixture), DEFAULT_LIMITS);
      try {
        const found = (await recognise(input)).map((f) => f.importer.id);
        expect(found[0]).toBe(expected);
        // Only the generic CSV importer may also take a file a preset reads (as the fallback choice).
        expect(found.slice(1).every((id) => id === 'csv')).toBe(true);
      } finally {
        input.close();
      }
    });
  }
});
