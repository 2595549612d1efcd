import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BucketUnitName } from '../../../shared/contract';
import { call, onEvent } from '../api';
import { ExplainPanel } from '../charts/ExplainPanel';
import { addDays } from '../charts/format';
import { MetricChart, type ChartRange, type ExplainTarget } from '../charts/MetricChart';
import { WorkoutsCard } from '../charts/WorkoutsCard';
import { FirstRun } from '../FirstRun';

type Span = 'day' | 'week' | 'month' | 'year';
const SPANS: { id: Span; label: string; days: number }[] = [
  { id: 'day', label: 'Day', days: 1 },
  { id: 'week', label: 'Week', days: 7 },
  { id: 'month', label: 'Month', days: 30 },
  { id: 'year', label: 'Year', days: 365 },
];

function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

type Overview = { metric: string; days: number; firstDay: string | null; lastDay: string | null }[];

export function DashboardPage() {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [span, setSpan] = useState<Span>('month');
  const [end, setEnd] = useState<string | null>(null);
  // Until the person moves the range, it follows the newest data (which may arrive later).
  const [followLatest, setFollowLatest] = useState(true);
  const [explain, setExplain] = useState<ExplainTarget | null>(null);
  const [hrv, setHrv] = useState<'hrv_sdnn' | 'hrv_rmssd'>('hrv_sdnn');

  const followLatestRef = useRef(followLatest);
  followLatestRef.current = followLatest;
  const load = useCallback(() => {
    call('metrics:overview', {})
      .then((o) => {
        setOverview(o);
        setError(null);
        const last = o.map((x) => x.lastDay).filter((d): d is string => !!d).sort().pop();
        setEnd((cur) => (cur && !followLatestRef.current ? cur : (last ?? cur ?? todayIso())));
        const sdnn = o.find((x) => x.metric === 'hrv_sdnn')?.days ?? 0;
        const rmssd = o.find((x) => x.metric === 'hrv_rmssd')?.days ?? 0;
        if (rmssd > sdnn) setHrv('hrv_rmssd');
      })
      .catch((err: Error) => setError(err.message));
  }, []);
  useEffect(() => {
    load();
    const offs = [onEvent('metrics:updated', load), onEvent('data:changed', load)];
    return () => offs.forEach((off) => off());
  }, [load]);

  const spanDays = SPANS.find((s) => s.id === span)!.days;
  const range = useMemo<ChartRange | null>(() => {
    if (!end) return null;
    const bucket: BucketUnitName = span === 'day' ? 'hour' : 'day';
    return { from: addDays(end, -(spanDays - 1)), to: end, bucket };
  }, [end, span, spanDays]);
  // Sleep, body and workouts are per night or per reading: a one-day view still shows days.
  const dayRange = useMemo<ChartRange | null>(() => (range ? { ...range, bucket: 'day' } : null), [range]);
  const openExplain = useCallback((t: ExplainTarget) => setExplain(t), []);
  const closeExplain = useCallback(() => setExplain(null), []);

  const empty = overview !== null && overview.length === 0;
  return (
    <section aria-labelledby="dashboard-title" className={explain ? 'dashboard with-panel' : 'dashboard'}>
      <div className="dashboard-head">
        <h1 id="dashboard-title">Dashboard</h1>
        {range && (
          <div className="range-controls" role="group" aria-label="Time range">
            <div className="segmented" role="radiogroup" aria-label="Span">
              {SPANS.map((s) => (
                <button key={s.id} type="button" role="radio" aria-checked={span === s.id} className={span === s.id ? 'active' : ''} onClick={() => setSpan(s.id)}>
                  {s.label}
                </button>
              ))}
            </div>
            <button
              type="button"
              aria-label={`Previous ${span}`}
              onClick={() => {
                setFollowLatest(false);
                setEnd(addDays(end!, -spanDays));
              }}
            >
              ‹
            </button>
            <span className="range-label" aria-live="polite">
              {range.from === range.to ? range.from : `${range.from} – ${range.to}`}
            </span>
            <button
              type="button"
              aria-label={`Next ${span}`}
              onClick={() => {
                setFollowLatest(false);
                setEnd(addDays(end!, spanDays));
              }}
            >
              ›
            </button>
            <button
              type="button"
              onClick={() => {
                setFollowLatest(true);
                setEnd(overview?.map((x) => x.lastDay).filter((d): d is string => !!d).sort().pop() ?? todayIso());
              }}
            >
              Latest data
            </button>
          </div>
        )}
      </div>
      {error && <p className="reason">{error}</p>}
      {overview === null && !error && <p className="muted">Loading…</p>}
      {empty && <FirstRun />}
      {range && dayRange && (
        <div className="dashboard-grid">
          <h2 className="section-title">Activity</h2>
          <MetricChart id="steps" title="Steps" metrics={['steps']} variant="bars" range={range} onExplain={openExplain} />
          <MetricChart id="active-energy" title="Active energy" metrics={['active_energy']} variant="bars" range={range} onExplain={openExplain} />
          <MetricChart id="exercise" title="Exercise minutes" metrics={['exercise_minutes']} variant="bars" range={range} onExplain={openExplain} />
          <h2 className="section-title">Sleep</h2>
          <MetricChart id="sleep" title="Sleep stages per night" metrics={['sleep']} variant="sleep" range={dayRange} onExplain={openExplain} />
          <h2 className="section-title">Heart</h2>
          <MetricChart id="resting-hr" title="Resting heart rate" metrics={['resting_heart_rate']} variant="line" band range={dayRange} onExplain={openExplain} />
          <div className="hrv-block">
            <div className="segmented small" role="radiogroup" aria-label="HRV measure (never mixed)">
              {(['hrv_sdnn', 'hrv_rmssd'] as const).map((m) => (
                <button key={m} type="button" role="radio" aria-checked={hrv === m} className={hrv === m ? 'active' : ''} onClick={() => setHrv(m)}>
                  {m === 'hrv_sdnn' ? 'SDNN (Apple)' : 'RMSSD (Oura, WHOOP, Fitbit)'}
                </button>
              ))}
            </div>
            <MetricChart key={hrv} id="hrv" title={hrv === 'hrv_sdnn' ? 'HRV (SDNN)' : 'HRV (RMSSD)'} metrics={[hrv]} variant="line" band range={dayRange} onExplain={openExplain} />
          </div>
          <h2 className="section-title">Body</h2>
          <MetricChart id="weight" title="Weight" metrics={['weight']} variant="line" trend range={dayRange} onExplain={openExplain} />
          <MetricChart id="body-fat" title="Body fat" metrics={['body_fat']} variant="line" trend range={dayRange} onExplain={openExplain} />
          <h2 className="section-title">Nutrition</h2>
          <MetricChart id="energy-eaten" title="Energy eaten" metrics={['dietary_energy']} variant="bars" range={dayRange} onExplain={openExplain} />
          <MetricChart id="macros" title="Macronutrients" metrics={['protein', 'carbohydrates', 'fat']} variant="stack-metrics" range={dayRange} onExplain={openExplain} />
          <h2 className="section-title">Workouts</h2>
          <WorkoutsCard range={dayRange} onExplain={openExplain} />
        </div>
      )}
      {explain && <ExplainPanel target={explain} onClose={closeExplain} />}
    </section>
  );
}
