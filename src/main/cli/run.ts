import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createCore, type AppPaths, type Core } from '../core';
import { defaultDataDir } from '../core/paths';
import { keytarStore } from '../core/secrets';
import { processIo, UsageError, type CliIo } from './output';
import { COMMANDS } from './commands';

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
  /** Opens the core lazily: `help` needs no database. The caller closes it. */
  openCore(): Core;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(env: CommandEnv): Promise<number>;
}

export const VERSION = '0.1.0';

function helpText(): string {
  const lines = ['Usage: vitalsync [--data-dir DIR] <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.usage.padEnd(58)} ${c.summary}`);
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
  const resolvedDataDir = dataDir ? (await import('node:path')).resolve(dataDir) : defaultDataDir();
  let core: Core | null = null;
  try {
    return await command.run({
      args,
      io,
      ctx,
      dataDir: resolvedDataDir,
      openCore: () => (core ??= createCore({ dataDir: resolvedDataDir, paths: ctx.paths, version: VERSION, secrets: keytarStore() })),
    });
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`vitalsync ${name}: ${err.message}\nUsage: vitalsync ${command.usage}`);
      return 2;
    }
    throw err;
  } finally {
    (core as Core | null)?.close();
  }
}
