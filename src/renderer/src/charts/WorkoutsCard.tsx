// Workouts: a calendar heatmap of minutes per day and the list, each session counted once.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { WorkoutItem } from '../../../shared/contract';
import { call, onEvent } from '../api';
import { useRoute } from '../router';
import { useApp } from '../store';
import { echarts } from './echarts';
import { calendarWeeks } from './dashboardCharts';
import { cssVar, displayUnit, formatValue, sourceName, whoFills } from './format';
import { activityName, closeWorkout, EXCLUDED_TEXT, openWorkout, WorkoutDetail } from './WorkoutDetail';
import { Legend, useInView, useSeries, useTheme, type ChartRange, type ExplainTarget } from './MetricChart';

export { activityName };

const CALENDAR_TOP = 24;
const CALENDAR_LEFT = 40;

export function WorkoutsCard({ range, onExplain }: { range: ChartRange; onExplain(t: ExplainTarget): void }) {
  const units = useApp((s) => s.settings?.units ?? 'metric');
  const theme = useTheme();
  const dayRange = useMemo<ChartRange>(() => ({ ...range, bucket: 'day' }), [range]);
  const { data } = useSeries(['workouts'], dayRange);
  const [list, setList] = useState<WorkoutItem[] | null>(null);
  const [version, setVersion] = useState(0);
  const [table, setTable] = useState(false);
  const el = useRef<HTMLDivElement>(null);
  const cardEl = useRef<HTMLElement>(null);
  const inView = useInView(cardEl);
  const { page, params } = useRoute();
  const openId = page === 'dashboard' && params.workout && /^\d+$/.test(params.workout) ? Number(params.workout) : null;
  useEffect(() => onEvent('metrics:updated', (p) => p.metrics.includes('workouts') && setVersion((v) => v + 1)), []);
  useEffect(() => {
    let live = true;
    call('metrics:workouts', { from: range.from, to: range.to })
      .then((w) => live && setList(w))
      .catch(() => live && setList([]));
    return () => {
      live = false;
    };
  }, [range.from, range.to, version]);
  const buckets = data?.[0]?.buckets ?? [];
  const km = displayUnit('distance', units);

  useEffect(() => {
    if (!el.current || !buckets.length || !inView) return;
    const text = cssVar('--text', '#1d1f23');
    const muted = cssVar('--muted', '#5f6670');
    const border = cssVar('--border', '#d9dce1');
    const box = el.current;
    const chart = echarts.init(box, undefined, { renderer: 'svg' });
    const max = Math.max(...buckets.map((b) => b.value), 30);
    // Square day cells as large as the card's width allows for the range's weeks (a month's
    // cells were stretched wide and flat, a year's ran thin), the box as tall as seven of them.
    const weeks = calendarWeeks(range.from, range.to);
    const cellFor = () => Math.max(6, Math.min(24, Math.floor((box.clientWidth - CALENDAR_LEFT - 8) / weeks)));
    let cell = cellFor();
    box.style.height = `${cell * 7 + CALENDAR_TOP + 8}px`;
    // Small days get fewer, smaller labels: every day's letter, then Mon/Wed/Fri, then none.
    const labels = (size: number) => ({
      dayLabel: {
        color: muted,
        firstDay: 1,
        show: size >= 8,
        fontSize: size >= 12 ? 12 : 10,
        // Sunday first, as echarts wants; always set, since a resize merges into the last option.
        nameMap: size >= 12 ? ['S', 'M', 'T', 'W', 'T', 'F', 'S'] : ['', 'M', '', 'W', '', 'F', ''],
      },
      monthLabel: { color: muted, fontSize: size >= 8 ? 12 : 9 },
    });
    chart.setOption({
      animation: false,
      textStyle: { color: text },
      tooltip: { formatter: (p: { value: [string, number] }) => `${p.value[0]}: ${Math.round(p.value[1])} min of workouts` },
      visualMap: { min: 0, max, show: false, inRange: { color: ['#cfe3f3', '#56B4E9', '#0072B2'] } },
      calendar: {
        range: [range.from, range.to],
        cellSize: [cell, cell],
        top: CALENDAR_TOP,
        left: CALENDAR_LEFT,
        itemStyle: { color: cssVar('--bg', '#f7f7f8'), borderColor: border },
        splitLine: { lineStyle: { color: border } },
        ...labels(cell),
        yearLabel: { show: false },
      },
      series: [{ type: 'heatmap', coordinateSystem: 'calendar', data: buckets.map((b) => [b.start, Math.round(b.value)]) }],
    });
    chart.on('click', (p) => {
      const v = p.value as [string, number] | undefined;
      if (!Array.isArray(v)) return;
      // The panel now says it all: the tooltip would stay over the calendar, under the pointer.
      chart.dispatchAction({ type: 'hideTip' });
      onExplain({ metric: 'workouts', bucketStart: String(v[0]), bucket: 'day' });
    });
    const ro = new ResizeObserver(() => {
      const next = cellFor();
      if (next !== cell) {
        cell = next;
        box.style.height = `${cell * 7 + CALENDAR_TOP + 8}px`;
        chart.setOption({ calendar: { cellSize: [cell, cell], ...labels(cell) } });
      }
      chart.resize();
    });
    ro.observe(box);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [buckets, range.from, range.to, theme, table, onExplain, inView]);

  const hasData = buckets.length > 0 || (list?.length ?? 0) > 0;
  return (
    <section ref={cardEl} className="card chart-card" aria-labelledby="workouts-title" data-chart="workouts" data-state={!data || !list ? 'loading' : hasData ? 'ready' : 'empty'}>
      <div className="card-head">
        <h3 id="workouts-title">Workouts</h3>
        {hasData && (
          <button type="button" className="link-button" aria-pressed={table} onClick={() => setTable(!table)}>
            {table ? 'Show calendar' : 'Show as table'}
          </button>
        )}
      </div>
      {data && list && !hasData && (
        <p className="empty chart-empty">No workouts in this range. {whoFills(['workouts'])} would fill this chart: import an export on the Imports page or connect a source on the Sources page.</p>
      )}
      {buckets.length > 0 && !table && (
        <div ref={el} className="chart calendar" role="img" aria-label={`Workout minutes per day from ${range.from} to ${range.to}. Click a day for where the number comes from.`} />
      )}
      {buckets.length > 0 && table && (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Minutes</th>
                <th scope="col">Sources</th>
                <th scope="col">Same workout from another source</th>
              </tr>
            </thead>
            <tbody>
              {buckets.map((b) => (
                <tr key={b.start}>
                  <th scope="row">{b.start}</th>
                  <td>{Math.round(b.value)}</td>
                  <td>{b.sources.map((s) => `${s.origin} (${sourceName(s.source)}) ${Math.round(s.share * 100)}%`).join(', ')}</td>
                  <td>{b.excluded}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {buckets.length > 0 && <Legend entries={data?.[0]?.legend ?? []} variant="bars" />}
      {list && list.length > 0 && (
        <ul className="workout-list" aria-label="Workouts, newest first">
          {[...list]
            .reverse()
            .slice(0, 50)
            .map((w) => (
              <li key={w.id} className={w.counted ? undefined : 'muted'}>
                <button type="button" className="link-button" onClick={() => openWorkout(w.id)} aria-label={`Open the ${activityName(w.activityType)} of ${w.day}`}>
                  {w.day}
                </button>{' '}
                <strong>{activityName(w.activityType)}</strong> · {Math.round(w.durationMin)} min
                {w.distanceKm !== null && ` · ${formatValue(w.distanceKm, km)}`}
                {w.energyKcal !== null && ` · ${Math.round(w.energyKcal)} kcal`}
                <span className="muted">
                  {' '}
                  — {w.origin} ({sourceName(w.source)})
                  {w.duplicates.length > 0 && `; also recorded by ${w.duplicates.map((d) => `${d.origin} (${sourceName(d.source)})`).join(', ')}, counted once`}
                  {w.excludedBecause && ` — not counted: ${EXCLUDED_TEXT[w.excludedBecause]}`}
                </span>
              </li>
            ))}
        </ul>
      )}
      {openId !== null && <WorkoutDetail id={openId} onClose={closeWorkout} />}
    </section>
  );
}
