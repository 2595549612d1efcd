// Runs @doyensec/electronegativity (Electron security anti-patterns) over the sources and the
// built page, and fails on any finding that electronegativity.config.json does not justify, and on
// any justification that no longer matches a finding (so the file stays true). Each finding needs
// its own justification, naming a part of its code line (`sample`).
//
//   node scripts/electronegativity.mjs      (npm test runs it through scripts/electronegativity.test.ts)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
export const CONFIG = path.join(root, 'electronegativity.config.json');
/**
 * What is scanned: the TypeScript sources (main, preload, renderer) with every check (its file
 * list takes .js, .jsx, .ts, .tsx and .html: the two .mjs test hooks under src/main/cli/test are
 * not read), and the built index.html for its CSP only (the page alone has no main-process code, so the global
 * navigation and permission checks would be about nothing there).
 */
export const INPUTS = [
  { input: 'src', only: null },
  { input: 'out/renderer/index.html', only: 'CSPGlobalCheck' },
];

/**
 * The findings for one input (a folder or a file), through the package's own programmatic entry (its `main`,
 * dist/runner.js), in a child process: the runner registers a global `__` for its translations and
 * tries to fetch them over the network, neither of which belongs in the test process. The CLI's
 * CSV report is not used: it is written by two unordered asynchronous writes (util/file.js:
 * writeCsvHeader, then writeIssues appending), and under load the header lands over the first rows
 * (CI saw it five runs in a row). The child writes the findings with one synchronous write.
 * Throws when the run fails or when a file could not be parsed (and so was not checked).
 * @param {string} abs the folder or file to scan, absolute
 * @param {string} electron the Electron version the checks assume
 * @param {string | null} only a check's class name to run alone (e.g. "CSPGlobalCheck"), or null for all
 * @param {string[]} excluded checks' class names not to run (when `only` is null)
 * @returns {{ check: string, severity: string, confidence: string, file: string, location: string, sample: string, description: string }[]}
 *   `file` relative to `abs` (to its folder when `abs` is a file), "N/A" for a global check without one
 */
export function scanInput(abs, electron, only, excluded) {
  const runner = require.resolve('@doyensec/electronegativity');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-en-'));
  const out = path.join(dir, 'findings.json');
  const options = {
    input: abs,
    isRelative: true,
    customScan: only ? [only.toLowerCase()] : [],
    excludeFromScan: only ? [] : excluded.map((c) => c.toLowerCase()),
    electronVersionOverride: electron,
    parserPlugins: [],
  };
  const child = `
    const fs = require('node:fs');
    require(${JSON.stringify(runner)})(${JSON.stringify(options)}).then((r) => {
      const findings = r.issues.map((i) => ({ check: i.id, severity: i.severity.name, confidence: i.confidence.name, file: i.file, location: i.location.line + ':' + i.location.column, sample: i.sample ?? 'N/A', description: i.description }));
      const errors = r.errors.map((e) => ({ file: e.file, message: e.message, tolerable: !!e.tolerable }));
      fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({ findings, errors }));
    }).catch((e) => { console.error(e && e.stack || e); process.exit(1); });`;
  try {
    // A bound on the run: spawnSync blocks the test's event loop, so the test's own timeout could never fire.
    const r = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8', env: { ...process.env, LANG: 'en-US' }, timeout: 90_000 });
    if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`electronegativity failed on ${abs}${r.signal ? ` (stopped by ${r.signal} after 90 s)` : ''}:\n${r.stdout}\n${r.stderr}`);
    const { findings, errors } = JSON.parse(fs.readFileSync(out, 'utf8'));
    // A file it could not parse is a file it did not check: that is a failure, not a pass.
    const fatal = errors.filter((e) => !e.tolerable);
    if (fatal.length) throw new Error(`electronegativity could not parse, so did not check:\n${fatal.map((e) => `${e.file}: ${e.message}`).join('\n')}`);
    return findings;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every finding, with `file` relative to the project root ("N/A" for global checks). */
export function scan(excluded = []) {
  const electron = require('electron/package.json').version;
  const findings = [];
  for (const { input, only } of INPUTS) {
    const abs = path.join(root, input);
    if (!fs.existsSync(abs)) throw new Error(`electronegativity: ${input} is missing. Run "npm run build" first.`);
    const base = fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
    for (const f of scanInput(abs, electron, only, excluded)) {
      findings.push({ ...f, file: f.file === 'N/A' ? 'N/A' : path.relative(root, path.join(base, f.file)).replaceAll('\\', '/') });
    }
  }
  return findings;
}

/**
 * Whether a justification speaks for a finding: the same check and file, and its `sample` is part
 * of the finding's code line. A global check (…_GLOBAL_CHECK) whose finding has no code line
 * (sample "N/A") is justified without a sample; every other justification must have one.
 */
export function justifies(j, f) {
  if (j.check !== f.check || j.file !== f.file) return false;
  if (j.sample) return f.sample.includes(j.sample);
  return j.check.endsWith('_GLOBAL_CHECK') && f.sample === 'N/A';
}

/** Justifications that can never be checked against a code line: no sample, outside a global check. */
export function withoutSample(justified) {
  return justified.filter((j) => !j.sample && !j.check.endsWith('_GLOBAL_CHECK'));
}

/**
 * Findings with no justification, and justifications with no finding. Each finding needs its own
 * justification (one justification answers for one finding), so a second openExternal in a file
 * already justified once is unjustified until someone writes down why it is safe too.
 * @template {{ check: string, file: string, sample: string }} F
 * @template {{ check: string, file: string, sample?: string }} J
 * @param {F[]} findings
 * @param {J[]} justified
 * @returns {{ unjustified: F[], stale: J[] }}
 */
export function judge(findings, justified) {
  // A maximum matching between findings and justifications (augmenting paths; the lists are short).
  const ownerOf = new Array(findings.length).fill(-1);
  const claim = (ji, seen) => {
    for (let fi = 0; fi < findings.length; fi++) {
      if (seen.has(fi) || !justifies(justified[ji], findings[fi])) continue;
      seen.add(fi);
      if (ownerOf[fi] === -1 || claim(ownerOf[fi], seen)) {
        ownerOf[fi] = ji;
        return true;
      }
    }
    return false;
  };
  for (let ji = 0; ji < justified.length; ji++) claim(ji, new Set());
  const used = new Set(ownerOf.filter((ji) => ji !== -1));
  return {
    unjustified: findings.filter((_, fi) => ownerOf[fi] === -1),
    stale: justified.filter((_, ji) => !used.has(ji)),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { justified, excludedChecks } = JSON.parse(fs.readFileSync(CONFIG, 'utf8'));
  const findings = scan(excludedChecks.map((c) => c.check));
  const { unjustified, stale } = judge(findings, justified);
  const unsampled = withoutSample(justified);
  for (const j of unsampled) console.error(`NO SAMPLE in the justification ${j.check} ${j.file}: add "sample", a part of the finding's code line`);
  for (const f of unjustified) console.error(`UNJUSTIFIED ${f.check} (${f.severity}) ${f.file}:${f.location} ${f.description}\n    ${f.sample}`);
  for (const j of stale) console.error(`STALE justification ${j.check} ${j.file} "${j.sample ?? 'N/A'}": it matches no finding any more (or another justification took it); remove it`);
  console.log(`electronegativity: ${findings.length} findings, ${findings.length - unjustified.length} justified in electronegativity.config.json, ${unjustified.length} not`);
  process.exit(unjustified.length || stale.length || unsampled.length ? 1 : 0);
}
