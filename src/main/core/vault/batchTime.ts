// When a batch of rows was written (epoch ms): the one rule behind what a deletion covers.
// A batch names what brought its rows (core/db/schema samples.batch):
//   import:<job id>                 that import's start (import_jobs.started_at);
//   sync:<run id>                   that provider sync's start (sync_runs.started_at);
//   vault:<device>:<seq>:<written>  taken in from the vault; <written> is when the row was first
//                                   written on its own computer (carried in the segment);
//   anything else                   0: older than any deletion.
import type Database from 'better-sqlite3';

export class BatchTimes {
  private readonly cache = new Map<string, number>();
  private readonly importAt: Database.Statement;
  private readonly syncAt: Database.Statement;

  constructor(sql: Database.Database) {
    this.importAt = sql.prepare('SELECT started_at AS t FROM import_jobs WHERE id = ?');
    this.syncAt = sql.prepare('SELECT started_at AS t FROM sync_runs WHERE id = ?');
  }

  of(batch: string): number {
    let t = this.cache.get(batch);
    if (t === undefined) {
      t = this.look(batch);
      this.cache.set(batch, t);
    }
    return t;
  }

  private look(batch: string): number {
    const [kind, a, , written] = batch.split(':');
    if (kind === 'vault') return Number(written) || 0;
    const row = (kind === 'import' ? this.importAt.get(Number(a)) : kind === 'sync' ? this.syncAt.get(Number(a)) : undefined) as { t: number } | undefined;
    return row?.t ?? 0;
  }
}

/** The batch rows taken in from a device's segment get: their device, its segment and when they were first written. */
export function vaultBatch(device: string, seq: number, written: number): string {
  return `vault:${device}:${seq}:${written}`;
}
