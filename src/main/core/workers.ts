// The one worker entry (src/main/workers/importWorker.ts): the import's parser and writer
// threads, and the vault's Argon2id thread, each loading only its own part. One entry keeps
// packaging simple: it and everything it loads stay outside app.asar (packaging/layout.mjs).
import fs from 'node:fs';
import path from 'node:path';
import type { AppPaths } from './index';

let devWorker: Promise<string> | null = null;

/** The worker entry's file: the built one, or (source tree: tests, tsx) a bundle of the TypeScript one. */
export async function workerEntry(paths: Pick<AppPaths, 'workersDir'>): Promise<string> {
  const js = path.join(paths.workersDir, 'importWorker.js');
  if (fs.existsSync(js)) return js;
  return (devWorker ??= bundleDevWorker(path.join(paths.workersDir, 'importWorker.ts')));
}

/**
 * Source tree (tests, tsx): the worker entry is TypeScript. Loading it through tsx in each
 * worker costs seconds per thread, so bundle it once per process with esbuild (already there
 * for tsx and vite) next to node_modules, where its packages resolve.
 */
async function bundleDevWorker(entry: string): Promise<string> {
  const root = path.resolve(path.dirname(entry), '../../..');
  const out = path.join(root, 'node_modules', '.cache', 'vitalsync', `importWorker-${process.pid}.mjs`);
  // A variable specifier keeps bundlers from pulling esbuild into a build (this path is dev-only).
  const specifier = 'esbuild';
  const esbuild = (await import(/* @vite-ignore */ specifier)) as typeof import('esbuild');
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: out, target: 'node20', logLevel: 'silent' });
  process.once('exit', () => fs.rmSync(out, { force: true }));
  return out;
}
