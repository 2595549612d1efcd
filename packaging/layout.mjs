// What of the app stays outside app.asar. Native modules must (the OS loads them from real files),
// and so does the import worker: it runs in worker_threads, and it is unpacked with everything it
// loads (its chunks and the packages they import, with their dependencies), so it never depends
// on asar support inside a worker; the migrations it opens the database with are unpacked too.
// The list is read from the build itself, so a new import in the worker cannot be forgotten here.
import fs from 'node:fs';
import path from 'node:path';

export const WORKER_ENTRY = 'out/main/importWorker.js';
/** Packages with compiled parts (rebuilt for Electron at package time by electron-builder). */
export const NATIVE_MODULES = ['better-sqlite3', 'keytar'];

const IMPORT_RE = /^\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Relative files (from `entry`) and bare package names that an ES module and its relative imports load. */
export function moduleGraph(rootDir, entry) {
  const files = new Set();
  const packages = new Set();
  const visit = (rel) => {
    if (files.has(rel)) return;
    files.add(rel);
    const text = fs.readFileSync(path.join(rootDir, rel), 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) visit(path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)));
      else if (!spec.startsWith('node:') && !isBuiltin(spec)) packages.add(packageName(spec));
    }
  };
  visit(entry);
  return { files: [...files].sort(), packages: [...packages].sort() };
}

const BUILTINS = new Set(['fs', 'path', 'os', 'url', 'util', 'stream', 'zlib', 'crypto', 'events', 'worker_threads', 'child_process', 'http', 'https', 'net', 'module', 'assert', 'buffer', 'string_decoder', 'timers']);
function isBuiltin(spec) {
  return BUILTINS.has(spec.split('/')[0]);
}

export function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** `names` and every package they depend on at run time, as installed under rootDir/node_modules. */
export function dependencyClosure(rootDir, names) {
  const seen = new Set();
  const stack = [...names];
  while (stack.length) {
    const name = stack.pop();
    if (seen.has(name)) continue;
    const manifest = path.join(rootDir, 'node_modules', name, 'package.json');
    if (!fs.existsSync(manifest)) throw new Error(`Packaging: ${name} is imported by the import worker but not installed (node_modules/${name}). Run "npm ci".`);
    seen.add(name);
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      if (fs.existsSync(path.join(rootDir, 'node_modules', dep, 'package.json'))) stack.push(dep);
    }
  }
  return [...seen].sort();
}

/** electron-builder's asarUnpack globs: native modules, and the import worker with all it loads. Needs a build (out/). */
export function asarUnpackPatterns(rootDir) {
  if (!fs.existsSync(path.join(rootDir, WORKER_ENTRY))) throw new Error(`Packaging needs a build: ${WORKER_ENTRY} is missing. Run "npm run build" first.`);
  const graph = moduleGraph(rootDir, WORKER_ENTRY);
  const packages = dependencyClosure(rootDir, [...new Set([...graph.packages, ...NATIVE_MODULES])]);
  return ['**/*.node', 'resources/migrations/**', ...graph.files, ...packages.map((p) => `node_modules/${p}/**`)];
}
