// `vitalsync metrics` lists the catalog's metrics; `query` points to it for a name it does not know.
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../shared/catalog';
import { makeTempDir } from '../core/test/tempCore';
import { runCliInProcess } from './test/runInProcess';

describe('vitalsync metrics', () => {
  it('--json is every catalog metric with id, label, unit, category and daily aggregation', async () => {
    const res = await runCliInProcess(['metrics', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(METRICS.map((m) => ({ id: m.id, label: m.label, unit: m.unit, category: m.category, daily: m.daily })));
  });

  it('prints one row per metric and explains each daily aggregation it shows; --category narrows it', async () => {
    const res = await runCliInProcess(['metrics']);
    expect(res.code).toBe(0);
    for (const m of METRICS) expect(res.stdout).toMatch(new RegExp(`^${m.id} +${m.label.replace(/[()]/g, '\\$&')} +${m.unit} +${m.category} +${m.daily}$`, 'm'));
    expect(res.stdout).toMatch(/^ +last +the last reading$/m);
    const heart = await runCliInProcess(['metrics', '--category', 'heart', '--json']);
    expect((JSON.parse(heart.stdout) as { category: string }[]).every((m) => m.category === 'heart')).toBe(true);
    const bad = await runCliInProcess(['metrics', '--category', 'moods']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"moods" is not a category');
  });

  it('query names close metric ids for an unknown one and points to `vitalsync metrics`', async () => {
    const res = await runCliInProcess(['--data-dir', makeTempDir(), 'query', 'hrv', '--from', '2026-01-01', '--to', '2026-01-31']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('"hrv" is not a metric (did you mean hrv_sdnn, hrv_rmssd?). `vitalsync metrics` lists every metric id.');
    const none = await runCliInProcess(['--data-dir', makeTempDir(), 'query']);
    expect(none.stderr).toContain('`vitalsync metrics` lists them all');
  });
});
