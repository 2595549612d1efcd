import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AppPaths, Core } from '../core';
import { defaultDataDir } from '../core/paths';
import { COMMANDS } from './commands';
import { exitQuietlyOnClosedPipe, processIo, UsageError, type CliIo } from './output';

export interface CliContext {
  paths: AppPaths;
  /** Folder of the running entry (out/main in a build); browser mode serves ../renderer from it. */
  entryDir: string;
}

export interface CommandEnv {
  args: string[];
  io: CliIo;
  ctx: CliContext;
  dataDir: string;
  /**
   * Opens the core, loading it on first use: `help`, `metrics` and usage mistakes never load
   * the core or open the database. The caller closes it.
   */
  openCore(): Promise<Core>;
}

/** What a command's module exports: the work. Its name, usage and summary are in the table (commands.ts). */
export interface CommandModule {
  run(env: CommandEnv): Promise<number>;
}

/** One line of the command table: enough for `help` without loading the command's module. */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  load(): Promise<CommandModule>;
}

export const VERSION = '0.1.0';

const USAGE_WIDTH = 58;

/** A usage too long for one line, one form per line ("prefs get … | prefs set …"). */
function usageForms(usage: string): string[] {
  return usage.length <= USAGE_WIDTH ? [usage] : usage.split(' | ');
}

export function helpText(): string {
  const lines = ['Usage: vitalsync [--data-dir DIR] <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) {
    const [first, ...more] = usageForms(c.usage);
    if (first.length <= USAGE_WIDTH) lines.push(`  ${first.padEnd(USAGE_WIDTH)} ${c.summary}`, ...more.map((f) => `  ${f}`));
    else lines.push(`  ${first}`, ...more.map((f) => `  ${f}`), `  ${''.padEnd(USAGE_WIDTH)} ${c.summary}`);
  }
  lines.push('', 'The data folder defaults to the desktop app’s own (or $VITALSYNC_DATA_DIR).');
  return lines.join('\n');
}

/** Parses `argv` strictly with the given options; unknown flags are usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export async function runCli(argv: string[], ctx: CliContext, io: CliIo = processIo): Promise<number> {
  if (io === processIo) exitQuietlyOnClosedPipe();
  // Global options come before the command name.
  let dataDir: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data-dir') dataDir = argv[++i];
    else if (a.startsWith('--data-dir=')) dataDir = a.slice('--data-dir='.length);
    else if (a === '--version' || a === '-v') {
      io.out(VERSION);
      return 0;
    } else if (a === '--help' || a === '-h') {
      io.out(helpText());
      return 0;
    } else break;
  }
  const name = argv[i];
  const args = argv.slice(i + 1);
  if (!name || name === 'help') {
    io.out(helpText());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`vitalsync: unknown command "${name}".\n\n${helpText()}`);
    return 2;
  }
  const resolvedDataDir = dataDir ? path.resolve(dataDir) : defaultDataDir();
  let core: Promise<Core> | null = null;
  // The core (and everything it imports) is loaded only by commands that open it.
  const openCore = () =>
    (core ??= Promise.all([import('../core'), import('../core/secrets')]).then(([{ createCore }, { keytarStore }]) =>
      createCore({ dataDir: resolvedDataDir, paths: ctx.paths, version: VERSION, secrets: keytarStore() }),
    ));
  try {
    const { run } = await command.load();
    return await run({ args, io, ctx, dataDir: resolvedDataDir, openCore });
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`vitalsync ${name}: ${err.message}\nUsage: ${usageForms(command.usage).map((f) => `vitalsync ${f}`).join('\n       ')}`);
      return 2;
    }
    throw err;
  } finally {
    if (core) await (core as Promise<Core>).then((c) => c.close(), () => undefined);
  }
}
