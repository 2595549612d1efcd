// `vitalsync prefs`: which source wins per category, through the core's prefs channels
// (prefs:get, prefs:set, prefs:reset). `add` and `remove` change one key of a list and keep the
// rest; `set` replaces the whole list and says which keys it dropped; `reset` restores the
// defaults the core defines (core/preferences), never a copy of them here.
import { CATEGORY_IDS, type CategoryId } from '../../shared/catalog';
import type { CategoryPreference, SourceState } from '../../shared/contract';
import { normalizeOriginName, parseSourceKey } from '../../shared/sourceKey';
import type { Core } from '../core';
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

function categoryArg(value: string | undefined): CategoryId {
  if (!value || !(CATEGORY_IDS as readonly string[]).includes(value)) {
    throw new UsageError(`${value ? `"${value}" is not a category; give` : 'give'} a category first: one of ${CATEGORY_IDS.join(', ')}.`);
  }
  return value as CategoryId;
}

/**
 * Whether two source keys name the same entry: the same source, and the same origin however
 * its apostrophes and spaces are written ("Jane's Watch" is "Jane’s Watch").
 */
export function sameSourceKey(a: string, b: string): boolean {
  const x = parseSourceKey(a);
  const y = parseSourceKey(b);
  if (!x || !y) return a === b;
  if (x.source !== y.source) return false;
  if (x.origin === null || y.origin === null) return x.origin === y.origin;
  return normalizeOriginName(x.origin) === normalizeOriginName(y.origin);
}

export type Position = { at: 'first' } | { at: 'last' } | { at: 'before' | 'after'; key: string };

/**
 * The list with `key` at `position`; a key already in the list moves there. Throws a UsageError
 * when --before/--after names a key that is not in the list.
 */
export function placeSourceKey(list: readonly string[], key: string, position: Position): { sources: string[]; moved: boolean } {
  const moved = list.some((k) => sameSourceKey(k, key));
  const rest = list.filter((k) => !sameSourceKey(k, key));
  if (position.at === 'first') return { sources: [key, ...rest], moved };
  if (position.at === 'last') return { sources: [...rest, key], moved };
  const anchor = rest.findIndex((k) => sameSourceKey(k, position.key));
  if (anchor < 0) {
    throw new UsageError(`--${position.at} ${position.key}: that key is not in the list (${rest.join(' > ') || 'empty'}); name one of its keys.`);
  }
  const at = position.at === 'before' ? anchor : anchor + 1;
  return { sources: [...rest.slice(0, at), key, ...rest.slice(at)], moved };
}

function positionArg(values: { first?: boolean; last?: boolean; before?: string; after?: string }): Position {
  const given = [values.first && '--first', values.last && '--last', values.before !== undefined && '--before', values.after !== undefined && '--after'].filter(Boolean);
  if (given.length > 1) throw new UsageError(`give one position, not ${given.join(' and ')}.`);
  if (values.first) return { at: 'first' };
  if (values.before !== undefined) return { at: 'before', key: values.before };
  if (values.after !== undefined) return { at: 'after', key: values.after };
  return { at: 'last' };
}

/** One category's preference now, or the exit code after printing why it could not be read. */
async function currentPreference(io: CliIo, core: Core, category: CategoryId): Promise<CategoryPreference | number> {
  const res = await dispatch(core.handlers, 'prefs:get', {});
  if (!res.ok) return failed(io, res);
  return (res.value as CategoryPreference[]).find((p) => p.category === category)!;
}

/**
 * A key for a device not seen yet is allowed (its data may come later), but a typo would
 * silently select nothing: say which keys name no data, and which do.
 */
async function noteKeysWithoutData(io: CliIo, core: Core, keys: string[]): Promise<void> {
  const known = await dispatch(core.handlers, 'sources:list', {});
  if (!known.ok) return;
  const states = known.value as SourceState[];
  for (const key of keys) {
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

function noteIfEmpty(io: CliIo, pref: CategoryPreference): void {
  if (!pref.sources.length) {
    io.err(`note: ${pref.category} now lists no source, so none of its data is merged. Add one with \`vitalsync prefs add ${pref.category} <sourceKey>\`, or \`vitalsync prefs reset ${pref.category}\` for the defaults.`);
  }
}

async function save(io: CliIo, core: Core, input: { category: CategoryId; sources?: string[]; fillGaps?: boolean }, json: boolean | undefined) {
  const res = await dispatch(core.handlers, 'prefs:set', input);
  if (!res.ok) return { code: failed(io, res) };
  const saved = res.value as CategoryPreference;
  if (json) io.out(JSON.stringify(saved, null, 2));
  else printPrefs(io, [saved]);
  return { code: 0, saved };
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
      const [first, ...sources] = positionals;
      const category = categoryArg(first);
      const fill = values['fill-gaps'];
      if (fill !== undefined && fill !== 'on' && fill !== 'off') throw new UsageError('--fill-gaps takes "on" or "off".');
      if (!sources.length && fill === undefined) throw new UsageError('give at least one source key, or --fill-gaps on|off.');
      const core = await openCore();
      const before = await currentPreference(io, core, category);
      if (typeof before === 'number') return before;
      const { code, saved } = await save(io, core, { category, ...(sources.length ? { sources } : {}), ...(fill !== undefined ? { fillGaps: fill === 'on' } : {}) }, values.json);
      if (!saved) return code;
      // `set` replaces the whole list: a person who meant to put one source first would lose
      // the others without a word.
      const dropped = before.sources.filter((k) => !saved.sources.some((s) => sameSourceKey(s, k)));
      if (dropped.length) {
        io.err(
          `note: set replaces the whole list, so ${category} no longer lists ${dropped.join(', ')}. ` +
            `To place one source and keep the others, use \`vitalsync prefs add ${category} <sourceKey> --first\` (or --after <sourceKey>).`,
        );
      }
      await noteKeysWithoutData(io, core, sources);
      return 0;
    }
    if (sub === 'add') {
      const { values, positionals } = parseCommandArgs(rest, {
        first: { type: 'boolean' },
        last: { type: 'boolean' },
        before: { type: 'string' },
        after: { type: 'string' },
        json: { type: 'boolean' },
      });
      const [first, key, ...extra] = positionals;
      const category = categoryArg(first);
      if (!key) throw new UsageError('give the source key to add, such as garmin or apple_health:"Jane’s Apple Watch".');
      if (extra.length) throw new UsageError('add one source key at a time (quote a key that has spaces).');
      const position = positionArg(values);
      const core = await openCore();
      const current = await currentPreference(io, core, category);
      if (typeof current === 'number') return current;
      const { sources, moved } = placeSourceKey(current.sources, key, position);
      const { code, saved } = await save(io, core, { category, sources }, values.json);
      if (!saved) return code;
      if (moved) io.err(`note: ${key} was already in the ${category} list; it moved.`);
      await noteKeysWithoutData(io, core, [key]);
      return 0;
    }
    if (sub === 'remove') {
      const { values, positionals } = parseCommandArgs(rest, { json: { type: 'boolean' } });
      const [first, ...keys] = positionals;
      const category = categoryArg(first);
      if (!keys.length) throw new UsageError('give the source key(s) to remove.');
      const core = await openCore();
      const current = await currentPreference(io, core, category);
      if (typeof current === 'number') return current;
      const missing = keys.filter((k) => !current.sources.some((s) => sameSourceKey(s, k)));
      if (missing.length) {
        io.err(`vitalsync prefs remove: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the ${category} list (${current.sources.join(' > ') || 'empty'}); nothing was changed.`);
        return 1;
      }
      const sources = current.sources.filter((s) => !keys.some((k) => sameSourceKey(s, k)));
      const { code, saved } = await save(io, core, { category, sources }, values.json);
      if (saved) noteIfEmpty(io, saved);
      return code;
    }
    if (sub === 'reset') {
      const { values, positionals } = parseCommandArgs(rest, { all: { type: 'boolean' }, json: { type: 'boolean' } });
      if (positionals.length > 1) throw new UsageError('give one category, or --all.');
      if (!positionals.length && !values.all) throw new UsageError(`name the category to reset (${CATEGORY_IDS.join(', ')}), or --all for every category.`);
      if (positionals.length && values.all) throw new UsageError('give a category or --all, not both.');
      const category = positionals.length ? categoryArg(positionals[0]) : undefined;
      const core = await openCore();
      const res = await dispatch(core.handlers, 'prefs:reset', category ? { category } : {});
      if (!res.ok) return failed(io, res);
      const shown = (res.value as CategoryPreference[]).filter((p) => !category || p.category === category);
      if (values.json) io.out(JSON.stringify(category ? shown[0] : shown, null, 2));
      else printPrefs(io, shown);
      return 0;
    }
    throw new UsageError(sub ? `unknown subcommand "${sub}"; say get, set, add, remove or reset.` : 'say get, set, add, remove or reset.');
  },
};
