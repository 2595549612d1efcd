// `vitalsync status`: what the database holds, per source, and how each connection is doing.
import type { Status } from '../../shared/contract';
import { dispatch } from '../core/dispatch';
import { failed } from './output';
import { parseCommandArgs, type CommandModule } from './run';

export const statusCommand: CommandModule = {
  async run({ args, io, openCore }) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } }, false);
    const core = await openCore();
    const res = await dispatch(core.handlers, 'app:status', {});
    if (!res.ok) return failed(io, res);
    const status = res.value as Status;
    if (values.json) {
      io.out(JSON.stringify(status, null, 2));
      return 0;
    }
    const db = status.database;
    io.out(`VitalSync ${status.version}`);
    io.out(`Data folder: ${status.dataDir}`);
    io.out(`Database: ${db.path} (${(db.sizeBytes / 1e6).toFixed(1)} MB, schema ${db.migrationsApplied}/${db.schemaVersion})`);
    io.out(`Samples: ${db.samples}  Workouts: ${db.workouts}  Imports: ${db.importJobs}  Connections: ${db.connections}`);
    io.out('');
    const CONNECTION_TEXT: Record<string, string> = {
      connected: 'connected',
      syncing: 'syncing',
      needs_reauth: 'needs reconnecting (vitalsync connect)',
      error: 'last sync failed',
      disconnected: 'disconnected',
    };
    for (const s of status.sources) {
      const state = s.available ? (s.samples ? `${s.samples} samples` : 'no data yet') : `not available: ${s.unavailableReason}`;
      const conn = s.connection ? ` · ${CONNECTION_TEXT[s.connection.status] ?? s.connection.status}${s.connection.lastError ? `: ${s.connection.lastError}` : ''}` : '';
      io.out(`  ${s.id.padEnd(13)} ${s.name.padEnd(24)} ${state}${conn}`);
    }
    const home = await dispatch(core.handlers, 'settings:get', {});
    if (home.ok) {
      const st = home.value as { homeTimeZone: string | null; homeTimeZoneAssumed: boolean };
      io.out('');
      io.out(`Home time zone: ${st.homeTimeZone ? `${st.homeTimeZone}${st.homeTimeZoneAssumed ? ' (assumed from your data; confirm or change it with `vitalsync settings set homeTimeZone <zone>`)' : ''}` : 'not set (days of records without a zone of their own are counted in UTC)'}`);
    }
    return 0;
  },
};
