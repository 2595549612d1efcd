// Every CLI command, one entry each. A command goes through the same contract gate (dispatch)
// as the renderer, so the CLI can do nothing the app could not, and errors read the same.
import { CATEGORY_IDS, type CategoryId } from '../../shared/catalog';
import type { CategoryPreference, Result, SourceState, Status } from '../../shared/contract';
import { normalizeOriginName, parseSourceKey } from '../../shared/sourceKey';
import { dispatch } from '../core/dispatch';
import { UsageError, type CliIo } from './output';
import { parseCommandArgs, type Command } from './run';
import { serveCommand } from './serve';
import { connectCommand, disconnectCommand, syncCommand } from './connect';
import { queryCommand, rebuildCommand } from './query';
import { importCommand } from './import';
import { settingsCommand } from './settings';

/** Prints an error envelope and returns the exit code for it. */
export function failed(io: CliIo, res: Extract<Result<unknown>, { ok: false }>): number {
  io.err(`vitalsync: ${res.error.message} (${res.error.code})`);
  return 1;
}

function printPrefs(io: CliIo, prefs: CategoryPreference[]): void {
  for (const p of prefs) {
    io.out(`${p.category.padEnd(10)} ${p.sources.join(' > ') || '(none)'}   fill gaps: ${p.fillGaps ? 'on' : 'off'}`);
    for (const [metric, o] of Object.entries(p.overrides)) {
      io.out(`  ${metric.padEnd(8)} ${o.sources.join(' > ')}   fill gaps: ${o.fillGaps ? 'on' : 'off'}`);
    }
  }
}

const statusCommand: Command = {
  name: 'status',
  usage: 'status [--json]',
  summary: 'What the database holds, per source.',
  async run({ args, io, openCore }) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } }, false);
    const core = openCore();
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

const prefsCommand: Command = {
  name: 'prefs',
  usage: 'prefs get [--json] | prefs set <category> <sourceKey>... [--fill-gaps on|off]',
  summary: 'Show or change which source wins per category.',
  async run({ args, io, openCore }) {
    const [sub, ...rest] = args;
    if (sub === 'get') {
      const { values, positionals } = parseCommandArgs(rest, { json: { type: 'boolean' } });
      const core = openCore();
      const res = await dispatch(core.handlers, 'prefs:get', {});
      if (!res.ok) return failed(io, res);
      let prefs = res.value as CategoryPreference[];
      if (positionals.length) prefs = prefs.filter((p) => (positionals as string[]).includes(p.category));
      if (values.json) io.out(JSON.stringify(prefs, null, 2));
      else printPrefs(io, prefs);
      return 0;
    }
    if (sub === 'set') {
      const { values, positionals } = parseCommandArgs(rest, { 'fill-gaps': { type: 'string' }, json: { type: 'boolean' } });
      const [category, ...sources] = positionals;
      if (!category || !(CATEGORY_IDS as readonly string[]).includes(category)) {
        throw new UsageError(`give a category first: one of ${CATEGORY_IDS.join(', ')}.`);
      }
      const fill = values['fill-gaps'];
      if (fill !== undefined && fill !== 'on' && fill !== 'off') throw new UsageError('--fill-gaps takes "on" or "off".');
      if (!sources.length && fill === undefined) throw new UsageError('give at least one source key, or --fill-gaps on|off.');
      const core = openCore();
      const res = await dispatch(core.handlers, 'prefs:set', {
        category: category as CategoryId,
        ...(sources.length ? { sources } : {}),
        ...(fill !== undefined ? { fillGaps: fill === 'on' } : {}),
      });
      if (!res.ok) return failed(io, res);
      if (values.json) io.out(JSON.stringify(res.value, null, 2));
      else printPrefs(io, [res.value as CategoryPreference]);
      // A key for a device not seen yet is allowed (its data may come later), but a typo would
      // silently select nothing: say which keys name no data, and which do.
      const known = await dispatch(core.handlers, 'sources:list', {});
      if (known.ok) {
        const states = known.value as SourceState[];
        for (const key of sources) {
          const parsed = parseSourceKey(key);
          if (!parsed?.origin) continue;
          const state = states.find((s) => s.id === parsed.source);
          const wanted = normalizeOriginName(parsed.origin);
          if (state && !state.origins.some((o) => normalizeOriginName(o.name) === wanted)) {
            const offered = state.origins.map((o) => o.key).join(', ') || 'none yet';
            io.err(`note: VitalSync holds no data from ${key} yet (it counts once some arrives). Keys with data in ${state.name}: ${offered}.`);
          }
        }
      }
      return 0;
    }
    throw new UsageError(sub ? `unknown subcommand "${sub}".` : 'say "get" or "set".');
  },
};

export const COMMANDS: Command[] = [statusCommand, prefsCommand, settingsCommand, serveCommand, queryCommand, rebuildCommand, connectCommand, syncCommand, disconnectCommand, importCommand];
