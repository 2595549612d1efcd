// Saved CSV mappings (csv_mappings), keyed by the file's header: the next file with the same
// header (next month's export of the same spreadsheet) is offered the same mapping.
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { CsvMappingSchema, type CsvMapping } from '../../../../shared/contract';

/** Header cells trimmed and compared without case: "Date, Weight (kg)" is "date,weight (kg)". */
export function headerKey(header: readonly string[]): string {
  return crypto.createHash('sha256').update(header.map((h) => h.trim().toLowerCase()).join('\u0001')).digest('hex').slice(0, 32);
}

export function saveMapping(sql: Database.Database, header: readonly string[], mapping: CsvMapping, now: number): void {
  sql
    .prepare('INSERT INTO csv_mappings (header_key, header, mapping_json, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(header_key) DO UPDATE SET mapping_json = excluded.mapping_json, updated_at = excluded.updated_at')
    .run(headerKey(header), JSON.stringify(header), JSON.stringify(mapping), now);
}

/** The mapping saved for this header, or null (also when a saved one no longer fits the schema). */
export function loadMapping(sql: Database.Database, header: readonly string[]): CsvMapping | null {
  const row = sql.prepare('SELECT mapping_json AS j FROM csv_mappings WHERE header_key = ?').get(headerKey(header)) as { j: string } | undefined;
  if (!row) return null;
  try {
    const parsed = CsvMappingSchema.safeParse(JSON.parse(row.j));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
