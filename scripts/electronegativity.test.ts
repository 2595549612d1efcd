// Electronegativity (Electron security anti-patterns) over the sources and the built page: every
// finding must be justified in electronegativity.config.json, and every justification still needed.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG, judge, scan } from './electronegativity.mjs';

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
    expect(stale.map((j) => `${j.check} ${j.file}`)).toEqual([]);
  }, 120_000);

  it('gives every justification and exclusion a reason', () => {
    for (const j of [...config.justified, ...config.excludedChecks]) expect(j.reason.length, j.check).toBeGreaterThan(40);
  });

  it('would fail on a finding nobody justified', () => {
    const finding = { check: 'NODE_INTEGRATION_JS_CHECK', severity: 'INFORMATIONAL', confidence: 'CERTAIN', file: 'src/main/electron/window.ts', location: '1:1', sample: 'nodeIntegration: true', description: '' };
    expect(judge([finding], config.justified).unjustified).toEqual([finding]);
  });
});
