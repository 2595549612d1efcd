// The core's answer to every contract channel. Front doors never call domains directly: they
// go through dispatch(), which validates input, runs the handler and wraps the result.
import type { z } from 'zod';
import type { ChannelName, ChannelOutput, Channels } from '../../shared/contract';
import type { Core } from './index';
import { checkTimeZone } from './settings';
import { stampIntentEdits } from './vault/intent';
import { getStatus, listSources } from './status';
import { connectionHandlers } from './sync/handlers';
import { metricsHandlers } from './derived/handlers';
import { workoutHandlers } from './derived/workout';

/** Handlers receive the input after zod parsed it (defaults applied) and return the output type. */
export type Handlers = {
  [K in ChannelName]: (input: z.output<Channels[K]['input']>) => Promise<ChannelOutput<K>> | ChannelOutput<K>;
};

type CoreParts = Pick<Core, 'dataDir' | 'dbFile' | 'db' | 'events' | 'prefs' | 'settings' | 'connections' | 'derived' | 'deps' | 'onClose'>;

type ChannelHandler = (input: never) => unknown;

/**
 * Handlers whose module is imported on the first call of one of their channels, not when the
 * core starts: the importers (papaparse, yauzl, every format) and the export formats are large,
 * and `vitalsync status` or `query` never need them (start-up, issue #12; loads.test.ts checks).
 * The module's handlers are made once, then every call goes straight to them.
 */
function lazyHandlers<K extends keyof Handlers>(names: readonly K[], load: () => Promise<Pick<Handlers, K>>): Pick<Handlers, K> {
  let loaded: Promise<Pick<Handlers, K>> | undefined;
  const get = () => (loaded ??= load().catch((err: unknown) => {
    loaded = undefined;
    throw err;
  }));
  const out = {} as Record<K, ChannelHandler>;
  for (const name of names) {
    out[name] = async (input: never) => ((await get())[name] as ChannelHandler)(input);
  }
  return out as unknown as Pick<Handlers, K>;
}

const IMPORT_CHANNELS = ['imports:start', 'imports:preview', 'imports:check-mapping', 'imports:cancel', 'imports:list', 'imports:get'] as const;
const EXPORT_CHANNELS = ['export:run', 'export:save'] as const;
const VAULT_CHANNELS = ['vault:status', 'vault:init', 'vault:join', 'vault:sync', 'vault:pause', 'vault:confirm', 'vault:leave'] as const;

export function createHandlers(core: CoreParts): Handlers {
  // The person's choices are stamped for the vault as they are made (vault/intent.ts).
  const stampEdits = () => stampIntentEdits({ sql: core.db.$client, settings: core.settings }, core.deps.clock);
  return {
    'app:status': () =>
      getStatus(core.db, {
        version: core.deps.version,
        dataDir: core.dataDir,
        dbFile: core.dbFile,
        migrationsDir: core.deps.paths.migrationsDir,
      }),
    'sources:list': () => listSources(core.db),
    'prefs:get': () => core.prefs.getAll(),
    'prefs:set': (input) => {
      const saved = core.prefs.set(input);
      stampEdits();
      core.events.emit('prefs:changed', { category: saved.category });
      return saved;
    },
    'prefs:reset': (input) => {
      const all = core.prefs.reset(input.category);
      stampEdits();
      // Derived values depend on the priorities: let the merge engine rebuild what changed.
      for (const p of all) if (!input.category || p.category === input.category) core.events.emit('prefs:changed', { category: p.category });
      return all;
    },
    'settings:get': () => core.settings.get(),
    'settings:set': (input) => {
      checkTimeZone(input.homeTimeZone);
      // A zone a person sets (even the one VitalSync assumed) is a confirmed zone.
      const saved = core.settings.set(input.homeTimeZone !== undefined ? { ...input, homeTimeZoneAssumed: false } : input);
      stampEdits();
      // Samples without a zone of their own are dated in the home zone: re-date them.
      if (input.homeTimeZone !== undefined) core.derived.refresh();
      return saved;
    },
    ...connectionHandlers(core.connections),
    ...metricsHandlers(core),
    ...workoutHandlers(core),
    ...lazyHandlers(IMPORT_CHANNELS, () => import('./imports/handlers').then((m) => m.importHandlers(core))),
    ...lazyHandlers(EXPORT_CHANNELS, () => import('./export').then((m) => m.exportHandlers(core))),
    ...lazyHandlers(VAULT_CHANNELS, () => import('./vault/handlers').then((m) => m.vaultHandlers(core))),
  };
}
