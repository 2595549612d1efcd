// Electronegativity (Electron security anti-patterns) over the sources and the built page: every
// finding must be justified in electronegativity.config.json, and every justification still needed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG, judge, scan, scanInput, withoutSample } from './electronegativity.mjs';

interface Justification {
  check: string;
  file: string;
  sample?: string;
  reason: string;
}
const config = JSON.parse(fs.readFileSync(CONFIG, 'utf8')) as { excludedChecks: { check: string; reason: string }[]; justified: Justification[] };

describe('electronegativity', () => {
  it('finds nothing that the config does not justify, and the config justifies nothing it does not find', () => {
    const findings = scan(config.excludedChecks.map((c) => c.check));
    const { unjustified, stale } = judge(findings, config.justified);
    expect(unjustified.map((f) => `${f.check} ${f.file}:${f.location} ${f.description}`)).toEqual([]);
    expect(stale.map((j) => `${j.check} ${j.file} ${j.sample ?? 'N/A'}`)).toEqual([]);
  }, 120_000);

  it('fails on a file it cannot parse (a file not parsed is a file not checked), and reports what it finds in one it can', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-en-test-'));
    try {
      fs.writeFileSync(path.join(dir, 'open.ts'), "import { shell } from 'electron';\nvoid shell.openExternal(process.argv[2]);\n");
      const found = scanInput(dir, '33.0.0', 'OpenExternalJSCheck', []);
      expect(found.map((f) => `${f.check} ${f.file} ${f.sample}`)).toEqual(['OPEN_EXTERNAL_JS_CHECK open.ts void shell.openExternal(process.argv[2]);']);
      fs.writeFileSync(path.join(dir, 'broken.ts'), 'function ( {\n');
      expect(() => scanInput(dir, '33.0.0', 'OpenExternalJSCheck', [])).toThrow(/could not parse, so did not check:\n.*broken\.ts/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('gives every justification and exclusion a reason', () => {
    for (const j of [...config.justified, ...config.excludedChecks]) expect(j.reason.length, j.check).toBeGreaterThan(40);
  });

  it('names, in every justification, the code line it is about (global checks without a line excepted)', () => {
    expect(withoutSample(config.justified)).toEqual([]);
    expect(withoutSample([{ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'src/main/electron/guard.ts', reason: '' }])).toHaveLength(1);
    expect(withoutSample([{ check: 'CSP_GLOBAL_CHECK', file: 'src/main/electron/window.ts', reason: '' }])).toEqual([]);
  });

  const finding = (file: string, sample: string, check = 'OPEN_EXTERNAL_JS_CHECK') => ({ check, severity: 'INFORMATIONAL', confidence: 'CERTAIN', file, location: '1:1', sample, description: '' });

  it('needs a justification per finding: a second openExternal in an already justified file fails', () => {
    const justifiedOne = finding('src/main/electron/guard.ts', 'if (mayOpenExternally(url, env)) void shell.openExternal(url);');
    const added = finding('src/main/electron/guard.ts', 'void shell.openExternal(params.get("next")!);');
    expect(judge([justifiedOne], config.justified).unjustified).toEqual([]);
    expect(judge([justifiedOne, added], config.justified).unjustified).toEqual([added]);
    // The same line twice (a copy of the justified call) needs a second justification too.
    expect(judge([justifiedOne, { ...justifiedOne, location: '40:2' }], config.justified).unjustified).toHaveLength(1);
  });

  it('matches a justification without a sample only to a global finding that has no code line', () => {
    const global = finding('src/main/electron/window.ts', 'N/A', 'CSP_GLOBAL_CHECK');
    const j = [{ check: 'CSP_GLOBAL_CHECK', file: 'src/main/electron/window.ts', reason: '' }];
    expect(judge([global], j)).toEqual({ unjustified: [], stale: [] });
    const unsampled = [{ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'src/main/electron/guard.ts', reason: '' }];
    expect(judge([finding('src/main/electron/guard.ts', 'shell.openExternal(x)')], unsampled).unjustified).toHaveLength(1);
  });

  it('would fail on a finding nobody justified', () => {
    const finding = { check: 'NODE_INTEGRATION_JS_CHECK', severity: 'INFORMATIONAL', confidence: 'CERTAIN', file: 'src/main/electron/window.ts', location: '1:1', sample: 'nodeIntegration: true', description: '' };
    expect(judge([finding], config.justified).unjustified).toEqual([finding]);
  });
});
