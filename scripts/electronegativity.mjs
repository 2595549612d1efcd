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
 * What is scanned: the TypeScript sources (main, preload, renderer) with every check, and the
 * built index.html for its CSP only (the page alone has no main-process code, so the global
 * navigation and permission checks would be about nothing there).
 */
export const INPUTS = [
  { input: 'src', only: null },
  { input: 'out/renderer/index.html', only: 'CSPGlobalCheck' },
];

/** RFC 4180 CSV (a sample may hold quotes and line breaks); the first row is the header. */
function parseCsv(text) {
  const records = [];
  let row = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cur);
      cur = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cur);
      cur = '';
      if (row.some((cell) => cell.trim())) records.push(row);
      row = [];
    } else cur += c;
  }
  row.push(cur);
  if (row.some((cell) => cell.trim())) records.push(row);
  return records.slice(1).map(([check, severity, confidence, file, location, sample, description]) => ({ check, severity, confidence, file, location, sample, description }));
}

/**
 * One electronegativity run's findings. Its CSV writer writes the header and the rows with two
 * unordered asynchronous writes (util/file.js: writeCsvHeader, then writeIssues appending), so
 * now and then the header lands over the first rows and the file is garbled. A garbled file
 * (a row whose check is not a check id, or a field missing) is read again from a new run.
 */
function scanOnce(cli, abs, electron, only, excluded) {
  for (let attempt = 1; ; attempt++) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-en-')), 'findings.csv');
    const args = [cli, '-i', abs, '-r', '-v', 'false', '-e', electron, '-o', out, ...(only ? ['-l', only] : excluded.length ? ['-x', excluded.join(',')] : [])];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, LANG: 'en-US' } });
    if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`electronegativity failed on ${abs}:\n${r.stdout}\n${r.stderr}`);
    const text = fs.readFileSync(out, 'utf8');
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
    const found = parseCsv(text);
    const whole = text.startsWith('issue, severity') && found.every((f) => /^[A-Z0-9_]+$/.test(f.check) && f.description !== undefined);
    if (whole) return found;
    if (attempt === 5) throw new Error(`electronegativity wrote a garbled report five times for ${abs}:\n${text.slice(0, 2000)}`);
  }
}

/** Every finding, with `file` relative to the project root ("N/A" for global checks). */
export function scan(excluded = []) {
  const cli = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
  const electron = require('electron/package.json').version;
  const findings = [];
  for (const { input, only } of INPUTS) {
    const abs = path.join(root, input);
    if (!fs.existsSync(abs)) throw new Error(`electronegativity: ${input} is missing. Run "npm run build" first.`);
    const base = fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
    for (const f of scanOnce(cli, abs, electron, only, excluded)) {
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
