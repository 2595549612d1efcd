import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BucketUnitName } from '../../../shared/contract';
import { call, onEvent } from '../api';
import { setKnownDevices } from '../charts/colors';
import { latestChartedDay, parseAdded, shownCharts, SHOWN_KEY, type ChartDef, type Overview } from '../charts/dashboardCharts';
import { ExplainPanel } from '../charts/ExplainPanel';
import { addDays } from '../charts/format';
import { MetricChart, type ChartRange, type ExplainTarget } from '../charts/MetricChart';
import { WorkoutsCard } from '../charts/WorkoutsCard';
import { FirstRun } from '../FirstRun';
import { moveInRadioGroup } from '../radioKeys';
import { navigate, useRoute } from '../router';
import { ZoneNotice } from '../ZoneNotice';

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

/**
 * The range lives in the URL (#/dashboard?span=week&end=2026-03-10), so Back and reload keep
 * it. Without `end` the range follows the newest charted data (which may arrive later).
 */
function useRange(): { span: Span; end: string | null; go(span: Span, end: string | null): void } {
  const { page, params } = useRoute();
  const span = SPANS.some((s) => s.id === params.span) ? (params.span as Span) : 'month';
  const end = params.end && /^\d{4}-\d{2}-\d{2}$/.test(params.end) ? params.end : null;
  const go = useCallback(
    (s: Span, e: string | null) => {
      if (page === 'dashboard') navigate('dashboard', { span: s, ...(e ? { end: e } : {}) });
    },
    [page],
  );
  return { span, end, go };
}

function readAdded(): string[] {
  try {
    return parseAdded(localStorage.getItem(SHOWN_KEY));
  } catch {
    return [];
  }
}

export function DashboardPage() {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Samples wait to be merged (just imported, perhaps by the CLI): empty is not "no data". */
  const [building, setBuilding] = useState(false);
  const { span, end: chosenEnd, go } = useRange();
  const [explain, setExplain] = useState<ExplainTarget | null>(null);
  const [hrv, setHrv] = useState<'hrv_sdnn' | 'hrv_rmssd'>('hrv_sdnn');
  const refocusMeasure = useRef(false);
  const [added, setAdded] = useState<string[]>(readAdded);
  const [menu, setMenu] = useState(false);

  const load = useCallback(() => {
    // The devices there are, first: each gets its colour knowing the others (charts/colors.ts).
    Promise.all([call('metrics:overview', {}), call('sources:list', {}).catch(() => [])])
      .then(async ([o, sources]) => {
        // Asked only when there is nothing to chart: 'metrics:updated' reloads once merged.
        const waiting = o.length === 0 && (await call('metrics:state', {}).then((s) => s.building, () => false));
        setKnownDevices(sources.flatMap((s) => s.origins.map((x) => x.key)));
        setBuilding(waiting);
        setOverview(o);
        setError(null);
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

  const saveAdded = useCallback((next: string[]) => {
    setAdded(next);
    try {
      localStorage.setItem(SHOWN_KEY, JSON.stringify(next));
    } catch {
      // Private windows may refuse storage: the choice then lasts this session.
    }
  }, []);
  const { shown, hidden } = useMemo(() => shownCharts(overview ?? [], added), [overview, added]);
  const latest = useMemo(() => (overview ? (latestChartedDay(overview) ?? todayIso()) : null), [overview]);
  const end = chosenEnd ?? latest;

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

  const empty = overview !== null && overview.length === 0 && !building;
  const chart = (c: ChartDef, r: ChartRange, d: ChartRange) => {
    // A chart the person added back (it has no data) can be taken off again.
    const onHide = added.includes(c.id) && !(overview ?? []).some((o) => c.metrics.includes(o.metric) && o.days > 0) ? () => saveAdded(added.filter((x) => x !== c.id)) : undefined;
    const cr = c.daily ? d : r;
    // Where this chart's metrics have data at all, for an empty range's message.
    const days = (overview ?? []).filter((o) => (c.id === 'hrv' ? [hrv] : c.metrics).includes(o.metric) && o.firstDay && o.lastDay);
    const last = days.length ? days.map((o) => o.lastDay!).sort().at(-1)! : null;
    const held = last ? { first: days.map((o) => o.firstDay!).sort()[0], last, show: () => go(span, last) } : null;
    if (c.id === 'workouts') return <WorkoutsCard key={c.id} range={d} onExplain={openExplain} />;
    if (c.id === 'hrv') {
      const measure = (
        <div className="segmented small" role="radiogroup" aria-label="HRV measure (never mixed)" onKeyDown={moveInRadioGroup}>
          {(['hrv_sdnn', 'hrv_rmssd'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={hrv === m}
              tabIndex={hrv === m ? 0 : -1}
              className={hrv === m ? 'active' : ''}
              // The card is a new one for the other measure: the chosen button keeps the focus.
              ref={(b) => {
                if (b && hrv === m && refocusMeasure.current) {
                  refocusMeasure.current = false;
                  b.focus();
                }
              }}
              onClick={() => {
                // Only a change replaces the card (a flag left set would take the focus later).
                refocusMeasure.current = m !== hrv;
                setHrv(m);
              }}
            >
              {m === 'hrv_sdnn' ? 'SDNN (Apple)' : 'RMSSD (Oura, WHOOP, Fitbit)'}
            </button>
          ))}
        </div>
      );
      return (
        <MetricChart
          key={hrv}
          id="hrv"
          title={hrv === 'hrv_sdnn' ? 'HRV (SDNN)' : 'HRV (RMSSD)'}
          metrics={[hrv]}
          variant="line"
          band
          range={cr}
          held={held}
          onHide={onHide}
          controls={measure}
          onExplain={openExplain}
        />
      );
    }
    return <MetricChart key={c.id} id={c.id} title={c.title} metrics={c.metrics} variant={c.variant} trend={c.trend} band={c.band} range={cr} held={held} onHide={onHide} onExplain={openExplain} />;
  };
  return (
    <section aria-labelledby="dashboard-title" className={explain ? 'dashboard with-panel' : 'dashboard'}>
      <div className="dashboard-head">
        <h1 id="dashboard-title">Dashboard</h1>
        {range && end && (
          <div className="range-controls" role="group" aria-label="Time range">
            <div className="segmented" role="radiogroup" aria-label="Span" onKeyDown={moveInRadioGroup}>
              {SPANS.map((s) => (
                <button
                  key={s.id}
                  type="button"
                  role="radio"
                  aria-checked={span === s.id}
                  tabIndex={span === s.id ? 0 : -1}
                  className={span === s.id ? 'active' : ''}
                  onClick={() => go(s.id, chosenEnd)}
                >
                  {s.label}
                </button>
              ))}
            </div>
            <button type="button" aria-label={`Previous ${span}`} onClick={() => go(span, addDays(end, -spanDays))}>
              ‹
            </button>
            <span className="range-label" aria-live="polite">
              {range.from === range.to ? range.from : `${range.from} – ${range.to}`}
            </span>
            <button type="button" aria-label={`Next ${span}`} onClick={() => go(span, addDays(end, spanDays))}>
              ›
            </button>
            <button type="button" onClick={() => go(span, null)}>
              Latest data
            </button>
          </div>
        )}
      </div>
      {!empty && <ZoneNotice />}
      {error && <p className="reason">{error}</p>}
      {overview === null && !error && <p className="muted">Loading…</p>}
      {building && overview?.length === 0 && (
        <p className="muted" role="status">
          Merging your imported data… the charts appear as soon as it is done.
        </p>
      )}
      {empty && <FirstRun />}
      {range && dayRange && overview && (
        <div className="dashboard-grid">
          {shown.map((c, i) => (
            <FragmentWithHeading key={c.id} heading={i === 0 || shown[i - 1].section !== c.section ? c.section : null}>
              {chart(c, range, dayRange)}
            </FragmentWithHeading>
          ))}
          {hidden.length > 0 && (
            <div className="more-charts">
              <button type="button" aria-expanded={menu} aria-controls="more-charts-list" onClick={() => setMenu(!menu)}>
                Show more charts ({hidden.length})
              </button>
              {menu && (
                <ul id="more-charts-list" aria-label="Charts without data">
                  {hidden.map((c) => (
                    <li key={c.id}>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => {
                          saveAdded([...added, c.id]);
                          setMenu(false);
                        }}
                      >
                        Add {c.id === 'hrv' ? 'HRV' : c.title}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
      )}
      {explain && <ExplainPanel target={explain} onClose={closeExplain} />}
    </section>
  );
}

function FragmentWithHeading({ heading, children }: { heading: string | null; children: React.ReactNode }) {
  return (
    <>
      {heading && <h2 className="section-title">{heading}</h2>}
      {children}
    </>
  );
}
