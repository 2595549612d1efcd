// Data steps of migrations, on a database shaped the way an older version left it.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DEV_PATHS, makeTempDir } from '../test/tempCore';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Applies the migration files from `from` up to (not including) `stopAt` to `file`. */
function applyFiles(file: string, from: string, stopAt: string): void {
  const db = new Database(file);
  const files = fs.readdirSync(DEV_PATHS.migrationsDir).filter((f) => f.endsWith('.sql')).sort();
  for (const f of files) {
    if (f < from || f >= stopAt) continue;
    for (const st of fs.readFileSync(path.join(DEV_PATHS.migrationsDir, f), 'utf8').split('--> statement-breakpoint')) if (st.trim()) db.exec(st);
  }
  db.close();
}

/** A database as an older version left it: the migrations before `stopAt`. */
function olderDatabase(stopAt: string): string {
  const dir = makeTempDir();
  dirs.push(dir);
  const file = path.join(dir, 'vitalsync.db');
  applyFiles(file, '0000', stopAt);
  return file;
}

describe('migration 0010: Apple activity rings', () => {
  it('maps the rings’ stored types to their metrics and ranks their origin as a daily summary', () => {
    const file = olderDatabase('0010');
    const old = new Database(file);
    old.exec(`INSERT INTO origins (source, origin_key, name, device_kind) VALUES ('apple_health', 'activity rings', 'Activity rings', 'ring');
      INSERT INTO sample_types (source, raw_type, metric, unit) VALUES ('apple_health', 'ActivitySummary.activeEnergyBurned', NULL, 'kcal'),
        ('apple_health', 'ActivitySummary.activeEnergyBurned', NULL, 'Cal'), ('apple_health', 'ActivitySummary.appleExerciseTime', NULL, 'min'),
        ('apple_health', 'ActivitySummary.appleStandHours', NULL, 'count');`);
    old.close();
    applyFiles(file, '0010', '0011');
    const again = new Database(file);
    expect(again.prepare("SELECT raw_type AS t, unit, metric FROM sample_types ORDER BY id").all()).toEqual([
      { t: 'ActivitySummary.activeEnergyBurned', unit: 'kcal', metric: 'active_energy' },
      { t: 'ActivitySummary.activeEnergyBurned', unit: 'Cal', metric: null },
      { t: 'ActivitySummary.appleExerciseTime', unit: 'min', metric: 'exercise_minutes' },
      { t: 'ActivitySummary.appleStandHours', unit: 'count', metric: null },
    ]);
    expect(again.prepare('SELECT device_kind AS k FROM origins').get()).toEqual({ k: 'summary' });
    again.close();
  });
});
