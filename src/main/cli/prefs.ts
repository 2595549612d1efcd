// `vitalsync prefs`: which source wins per category, through the core's prefs channels.
import { CATEGORY_IDS, type CategoryId } from '../../shared/catalog';
import type { CategoryPreference, SourceState } from '../../shared/contract';
import { normalizeOriginName, parseSourceKey } from '../../shared/sourceKey';
import { dispatch } from '../core/dispatch';
import { failed, UsageError, type CliIo } from './output';
import { parseCommandArgs, type CommandModule } from './run';

function printPrefs(io: CliIo, prefs: CategoryPreference[]): void {
  for (const p of prefs) {
    io.out(`${p.category.padEnd(10)} ${p.sources.join(' > ') || '(none)'}   fill gaps: ${p.fillGaps ? 'on' : 'off'}`);
    for (const [metric, o] of Object.entries(p.overrides)) {
      io.out(`  ${metric.padEnd(8)} ${o.sources.join(' > ')}   fill gaps: ${o.fillGaps ? 'on' : 'off'}`);
    }
  }
}

export const prefsCommand: CommandModule = {
  async run({ args, io, openCore }) {
    const [sub, ...rest] = args;
    if (sub === 'get') {
      const { values, positionals } = parseCommandArgs(rest, { json: { type: 'boolean' } });
      const core = await openCore();
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
      const core = await openCore();
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
