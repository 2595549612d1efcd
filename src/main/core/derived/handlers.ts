// The metrics domain's front: series, "Why this number?", workouts, overview, rebuild.
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
    'metrics:rebuild': () => core.derived.rebuildAll(),
    'metrics:state': () => core.derived.state(),
  };
}
