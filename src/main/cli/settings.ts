// `vitalsync settings`: the app's Settings, read and changed through the same gate as the app
// (settings:get, settings:set). The keys come from the contract, so a new setting appears here
// without touching this file.
import { z } from 'zod';
import { channels, SettingsSchema, type Settings } from '../../shared/contract';
import { dispatch } from '../core/dispatch';
import { failed, UsageError, type CliIo } from './output';
import { parseCommandArgs, type CommandModule } from './run';

const KEYS = Object.keys(SettingsSchema.shape) as (keyof Settings)[];
const SETTABLE = channels['settings:set'].input.shape;
type SettableKey = keyof typeof SETTABLE;
const SETTABLE_KEYS = Object.keys(SETTABLE) as SettableKey[];
/** Words that clear a setting that may be empty (null). */
const CLEAR_WORDS = ['none', 'unset'];
const HINTS: Partial<Record<SettableKey, string>> = { homeTimeZone: 'an IANA zone such as America/Los_Angeles, or none' };

const isKey = (key: string): key is keyof Settings => (KEYS as string[]).includes(key);
const isSettable = (key: string): key is SettableKey => (SETTABLE_KEYS as string[]).includes(key);

/** The schema of one settable key with optional and nullable taken off, and whether it may be null. */
function valueSchema(key: SettableKey): { schema: z.ZodType; nullable: boolean } {
  const inner = SETTABLE[key].unwrap() as z.ZodType;
  return inner instanceof z.ZodNullable ? { schema: inner.unwrap() as z.ZodType, nullable: true } : { schema: inner, nullable: false };
}

function describeValues(key: SettableKey): string {
  if (HINTS[key]) return HINTS[key];
  const { schema, nullable } = valueSchema(key);
  const base = schema instanceof z.ZodEnum ? (schema.options as string[]).join('|') : schema instanceof z.ZodBoolean ? 'on|off' : 'text';
  return nullable ? `${base}, or none` : base;
}

const settableList = () => SETTABLE_KEYS.map((k) => `${k} (${describeValues(k)})`).join(', ');

/** The value a setting takes from the command line; the gate (settings:set) judges it. */
function parseValue(key: SettableKey, text: string): unknown {
  const { schema, nullable } = valueSchema(key);
  if (nullable && CLEAR_WORDS.includes(text.toLowerCase())) return null;
  if (schema instanceof z.ZodBoolean) {
    if (['on', 'true', 'yes'].includes(text.toLowerCase())) return true;
    if (['off', 'false', 'no'].includes(text.toLowerCase())) return false;
  }
  return text;
}

const formatValue = (value: unknown): string => (value === null ? 'none' : String(value));

function printSettings(io: CliIo, settings: Settings, keys: readonly (keyof Settings)[]): void {
  const width = Math.max(...keys.map((k) => k.length));
  for (const k of keys) io.out(`${k.padEnd(width)}  ${formatValue(settings[k])}`);
}

export const settingsCommand: CommandModule = {
  async run({ args, io, openCore }) {
    const [sub, ...rest] = args;
    if (sub === 'get') {
      const { values, positionals } = parseCommandArgs(rest, { json: { type: 'boolean' } });
      if (positionals.length > 1) throw new UsageError('give at most one KEY.');
      const [key] = positionals;
      if (key !== undefined && !isKey(key)) throw new UsageError(`unknown setting "${key}": the settings are ${KEYS.join(', ')}.`);
      const res = await dispatch((await openCore()).handlers, 'settings:get', {});
      if (!res.ok) return failed(io, res);
      const settings = res.value as Settings;
      if (key === undefined) {
        if (values.json) io.out(JSON.stringify(settings, null, 2));
        else printSettings(io, settings, KEYS);
      } else io.out(values.json ? JSON.stringify(settings[key]) : formatValue(settings[key]));
      return 0;
    }
    if (sub === 'set') {
      const { values, positionals } = parseCommandArgs(rest, { json: { type: 'boolean' } });
      const [key, value, ...extra] = positionals;
      if (key === undefined) throw new UsageError(`give a KEY and a VALUE: ${settableList()}.`);
      if (!isSettable(key)) {
        const why = isKey(key) ? `"${key}" is set by VitalSync itself` : `unknown setting "${key}"`;
        const hint = key === 'homeTimeZoneAssumed' ? ' (setting homeTimeZone, even to the same zone, confirms it)' : '';
        throw new UsageError(`${why}${hint}. The settings you can set are ${settableList()}.`);
      }
      if (value === undefined) throw new UsageError(`give a VALUE for ${key}: ${describeValues(key)}.`);
      if (extra.length) throw new UsageError(`give one VALUE for ${key} (quote it if it has spaces).`);
      const res = await dispatch((await openCore()).handlers, 'settings:set', { [key]: parseValue(key, value) });
      if (!res.ok) return failed(io, res);
      const settings = res.value as Settings;
      if (values.json) io.out(JSON.stringify(settings, null, 2));
      else printSettings(io, settings, [key]);
      return 0;
    }
    throw new UsageError(sub ? `unknown subcommand "${sub}".` : 'say "get" or "set".');
  },
};
