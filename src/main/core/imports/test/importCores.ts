// Test helper: the setup the import tests share: the Apple Health fixtures, tempCores with a
// home zone that are cancelled and deleted after each test, an import run to its end, and a
// dispatch call that throws when the handler fails.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { ImportChoices, ImportJob } from '../../../../shared/contract';
import { dispatch } from '../../dispatch';
import { tempCore } from '../../test/tempCore';
import { importManager, type ImportOptions } from '../index';

/** The folder of the Apple Health fixtures. */
export const FIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../apple-health/fixtures');

/** A fixture's path: `fx('export-v3.xml')`. */
export const fx = (name: string) => path.join(FIX, name);

export type TestCore = ReturnType<typeof tempCore>;

export interface ImportCores {
  /** The cores deleted after the test: push one made otherwise; splice out one deleted early. */
  cores: TestCore[];
  /** A new tempCore with this home zone (null: none set; default: the file's), deleted after the test. */
  newCore(homeTimeZone?: string | null): TestCore;
  /** Imports a file and waits for the job to end, however it ends. */
  importFile(core: TestCore, file: string, opts?: ImportOptions, choices?: ImportChoices): Promise<ImportJob>;
}

/**
 * Registers an afterEach that cancels the imports of every core the test made and deletes
 * them, then runs `after` (for what else a file resets). `homeTimeZone` is newCore's default
 * (UTC unless given; null: none set). Call it once, at the top of a file.
 */
export function importCores(opts: { homeTimeZone?: string | null; after?: () => void } = {}): ImportCores {
  const defaultZone = opts.homeTimeZone === undefined ? 'UTC' : opts.homeTimeZone;
  const cores: TestCore[] = [];
  afterEach(async () => {
    for (const c of cores.splice(0)) {
      await importManager(c).cancelAll();
      c.cleanup();
    }
    opts.after?.();
  });
  return {
    cores,
    newCore(homeTimeZone = defaultZone) {
      const core = tempCore();
      core.settings.set({ homeTimeZone });
      cores.push(core);
      return core;
    },
    async importFile(core, file, importOpts = {}, choices = {}) {
      const m = importManager(core);
      return m.wait((await m.start(file, importOpts, choices)).id);
    },
  };
}

/** Calls a core handler as the renderer would; throws with the channel's name if it fails. */
export async function call<T>(core: TestCore, channel: string, input: unknown): Promise<T> {
  const res = await dispatch(core.handlers, channel, input);
  if (!res.ok) throw new Error(`${channel}: ${res.error.message}`);
  return res.value as T;
}
