// The metrics domain's front: series, "Why this number?", workouts, overview, rebuild.
import { ERROR_CODES } from '../../../shared/contract';
import { AppError } from '../errors';
import type { Core } from '../index';
import type { Handlers } from '../handlers';
import { explain, listWorkouts, overview, series, type QueryCtx } from './query';

type Parts = Pick<Core, 'db' | 'prefs' | 'derived' | 'deps' | 'settings'>;

export function metricsHandlers(core: Parts): Pick<Handlers, 'metrics:series' | 'metrics:explain' | 'metrics:workouts' | 'metrics:overview' | 'metrics:rebuild' | 'metrics:state'> {
  const ctx = (): QueryCtx => ({ sql: core.db.$client, prefs: core.prefs, now: core.deps.clock(), homeZone: core.settings.get().homeTimeZone });
  return {
    'metrics:series': (input) => {
      core.derived.ensureFresh([input.metric]);
      return series(ctx(), input.metric, input.from, input.to, input.bucket);
    },
    'metrics:explain': (input) => {
      core.derived.ensureFresh([input.metric]);
      return explain(ctx(), input.metric, input.bucketStart, input.bucket);
    },
    'metrics:workouts': (input) => listWorkouts(ctx(), input.from, input.to),
    'metrics:overview': () => {
      // Never waits for a rebuild: the dashboard hears 'metrics:updated' when one ends.
      core.derived.refresh();
      return overview(core.db.$client);
    },
    'metrics:rebuild': () => {
      try {
        return core.derived.rebuildAll();
      } catch (err) {
        // SQLite's own words (disk full, read-only, damaged) tell a person what to fix.
        throw new AppError(
          ERROR_CODES.internal,
          `Rebuilding the merged values failed: ${err instanceof Error ? err.message : String(err)}. Your samples are untouched; fix the cause (free disk space, check the data folder can be written) and run the rebuild again.`,
        );
      }
    },
    'metrics:state': () => {
      // Notices samples another process (the CLI) wrote, so `building` is true for them.
      core.derived.refresh();
      return core.derived.state();
    },
  };
}
