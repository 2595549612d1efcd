// The record importers' shared runner (records.ts): whatever the batch size, a record's samples
// (one `ref`: a Fitbit sleep log) reach the writer together, so no batch boundary can make the
// second half of a record replace its first half. Checked end to end on the Fitbit fixture.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCores } from './test/importCores';

const TAKEOUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fitbit/fixtures/takeout');
const { newCore, importFile } = importCores({ homeTimeZone: 'America/New_York' });

function rows(core: ReturnType<typeof newCore>) {
  return core.db.$client.prepare('SELECT type_id, origin_id, start_ms, end_ms, value, category, day FROM samples ORDER BY type_id, start_ms, category, value').all();
}

describe('record importers, batch by batch', () => {
  it('stores the same rows with batches of 1, 2 and 3 samples as with the default size', async () => {
    const whole = newCore();
    const reference = await importFile(whole, TAKEOUT, {}, { weightUnit: 'lb' });
    expect(reference.status).toBe('completed');
    const expected = rows(whole);
    expect(expected.length).toBeGreaterThan(20);
    for (const batchSize of [1, 2, 3]) {
      const core = newCore();
      const job = await importFile(core, TAKEOUT, { batchSize, maxInFlight: 1 }, { weightUnit: 'lb' });
      expect(job.summary.samples, `batch size ${batchSize}`).toEqual(reference.summary.samples);
      expect(rows(core), `batch size ${batchSize}`).toEqual(expected);
      expect(job.summary.notes, `batch size ${batchSize}`).toEqual(reference.summary.notes);
    }
  });
});
