// One dashboard chart: a metric (or a few) over the chosen range, its source legend with
// quality, a table view of the same numbers, and a click on any bar or point opening
// "Why this number?".
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { getMetric } from '../../../shared/catalog';
import type { BucketUnitName, LegendEntry, Series, SeriesBucket } from '../../../shared/contract';
import { call, onEvent } from '../api';
import { useApp } from '../store';
import { echarts, type EChartsOption } from './echarts';
import { deviceColor, sourceColor } from './colors';
import { aggregationLabel, dayValueLabel, metricAt, type Variant } from './dashboardCharts';
import { addDays, cssVar, displayUnit, formatMinutes, formatValue, PALETTE, rememberOrigin, slotText, sourceName, STAGE_COLORS, whoFills } from './format';

export type { Variant };
export { aggregationLabel };

export interface ExplainTarget {
  metric: string;
  bucketStart: string;
  bucket: BucketUnitName;
}

export interface ChartRange {
  from: string;
  to: string;
  bucket: BucketUnitName;
}

/** Re-renders when the theme switches (App sets document.documentElement.dataset.theme). */
export function useTheme(): string {
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme ?? 'light');
  useEffect(() => {
    const obs = new MutationObserver(() => setTheme(document.documentElement.dataset.theme ?? 'light'));
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => obs.disconnect();
  }, []);
  return theme;
}

/**
 * True once the element has come near the viewport. Charts are drawn only then: drawing a
 * dozen SVG charts at once is what makes a first paint slow, and most start below the fold.
 */
export function useInView<T extends Element>(ref: { current: T | null }): boolean {
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (seen || !el) return;
    if (typeof IntersectionObserver === 'undefined') return setSeen(true);
    const obs = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setSeen(true), { rootMargin: '200px' });
    obs.observe(el);
    return () => obs.disconnect();
  });
  return seen;
}

/** True while the element is in (or within 100 px of) the viewport. */
export function useVisible<T extends Element>(ref: { current: T | null }): boolean {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (typeof IntersectionObserver === 'undefined') return setVisible(true);
    const obs = new IntersectionObserver((entries) => setVisible(entries.some((e) => e.isIntersecting)), { rootMargin: '100px' });
    obs.observe(el);
    return () => obs.disconnect();
  }, [ref]);
  return visible;
}

/**
 * Loads series for some metrics; reloads when the derived tables change. `shown` names the
 * range the data is for (`from/to/bucket`), so a chart can tell it still shows the last range.
 * A chart not in view (`first` false) loads after those in view.
 */
export function useSeries(metrics: string[], range: ChartRange, enabled = true, first = true): { data: Series[] | null; error: string | null; shown: string | null } {
  const [state, setState] = useState<{ data: Series[] | null; error: string | null; shown: string | null }>({ data: null, error: null, shown: null });
  const [version, setVersion] = useState(0);
  const key = metrics.join(',');
  useEffect(() => onEvent('metrics:updated', (p) => p.metrics.some((m) => key.split(',').includes(m)) && setVersion((v) => v + 1)), [key]);
  useEffect(() => {
    let live = true;
    if (!enabled) return;
    const shown = `${range.from}/${range.to}/${range.bucket}`;
    const load = () =>
      Promise.all(key.split(',').map((metric) => call('metrics:series', { metric, from: range.from, to: range.to, bucket: range.bucket })))
        .then((data) => live && setState({ data, error: null, shown }))
        .catch((err: Error) => live && setState({ data: null, error: err.message, shown }));
    // Charts in view ask first: those further down the page ask on the next task. The server
    // answers in the order asked, so it works on the charts below while the page draws those in
    // view (waiting for the in-view answers before asking left the server idle meanwhile).
    const timer = first ? null : setTimeout(() => void load(), 0);
    if (first) void load();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
    // `first` only orders the loads: a chart scrolled into view does not load again.
  }, [key, range.from, range.to, range.bucket, version, enabled]);
  return state;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

/** Trailing moving average over `n` points, for trend lines. */
function movingAverage(values: (number | null)[], n: number): (number | null)[] {
  return values.map((_, i) => {
    const win = values.slice(Math.max(0, i - n + 1), i + 1).filter((v): v is number => v !== null);
    return win.length ? Math.round(mean(win) * 100) / 100 : null;
  });
}

/** Charts this many slots wide or more join sparse values into one line (a year of days). */
const DENSE = 60;

/** A slot's label on the axis and the zoom slider: an hour reads 08:00, a day keeps its date. */
function slotLabel(slot: string): string {
  return slot.length > 10 ? slot.slice(11) : slot;
}

/** The newest slot with data: averages stop there instead of running on past the last night. */
function lastIndex(values: (number | null)[]): number {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return i;
  return -1;
}

interface Props {
  id: string;
  title: string;
  metrics: string[];
  variant: Variant;
  range: ChartRange;
  trend?: boolean;
  /** Personal baseline band: the range's mean ± one standard deviation. */
  band?: boolean;
  /** Shown for a chart the person added back: takes it off again. */
  onHide?(): void;
  /** Controls of the chart's own, shown in its header (the HRV measure). */
  controls?: ReactNode;
  /** The first and last day its metrics have data on (any range), and how to move the range to the last; null when they have none. */
  held?: { first: string; last: string; show(): void } | null;
  onExplain(target: ExplainTarget): void;
}

const PAIR_COLORS = ['#D55E00', '#0072B2'];

export function MetricChart({ id, title, metrics, variant, range, trend, band, onHide, controls, held = null, onExplain }: Props) {
  const units = useApp((s) => s.settings?.units ?? 'metric');
  const theme = useTheme();
  const cardEl = useRef<HTMLElement>(null);
  const visible = useVisible(cardEl);
  const { data, error, shown } = useSeries(metrics, range, true, visible);
  // The Day view of an hourly chart also states the day's own value (its total or average).
  const oneDay = range.from === range.to;
  const day = useSeries(metrics, { from: range.from, to: range.to, bucket: 'day' }, oneDay && range.bucket === 'hour');
  const dayData = oneDay ? (range.bucket === 'hour' ? day.data : data) : null;
  const [table, setTable] = useState(false);
  const chartEl = useRef<HTMLDivElement>(null);
  const inView = useInView(cardEl);
  const primary = metrics[0];
  // Kept while the metric and units stay: a new object each render would redraw the chart on every render.
  const du = useMemo(() => displayUnit(primary, units), [primary, units]);
  const def = getMetric(primary)!;

  const hasData = (data ?? []).some((s) => s.buckets.length > 0);
  // The range the data on screen is for: until a switch's answer comes, the chart keeps drawing
  // the last range's data on the last range's slots (not once more on the new range's, then again).
  const [dataFrom, dataTo, dataBucket] = (shown ?? `${range.from}/${range.to}/${range.bucket}`).split('/') as [string, string, ChartRange['bucket']];
  // Every day (or hour) of the range gets a slot, so days without data show as gaps.
  const buckets = useMemo(() => {
    const starts = new Set<string>();
    for (const s of data ?? []) for (const b of s.buckets) starts.add(b.start);
    if (dataBucket === 'day' || dataBucket === 'hour') {
      for (let d = dataFrom; d <= dataTo; d = addDays(d, 1)) {
        if (dataBucket === 'day') starts.add(d);
        else for (let h = 0; h < 24; h++) starts.add(`${d}T${String(h).padStart(2, '0')}:00`);
      }
    }
    return [...starts].sort();
  }, [data, dataFrom, dataTo, dataBucket]);

  const legend = useMemo(() => {
    const byOrigin = new Map<number, LegendEntry>();
    for (const s of data ?? []) for (const l of s.legend) if (!byOrigin.has(l.originId) || l.share > byOrigin.get(l.originId)!.share) byOrigin.set(l.originId, l);
    for (const l of byOrigin.values()) rememberOrigin(l.originId, l.key);
    return [...byOrigin.values()];
  }, [data]);

  const aggregation = aggregationLabel(primary, dataBucket);
  const option = useMemo<EChartsOption | null>(() => {
    if (!data || !hasData) return null;
    const text = cssVar('--text', '#1d1f23');
    const muted = cssVar('--muted', '#5f6670');
    const border = cssVar('--border', '#d9dce1');
    const accent = cssVar('--accent', '#0b6bcb');
    const first = data[0];
    const at = (s: Series) => new Map(s.buckets.map((b) => [b.start, b]));
    const byStart = at(first);
    const series: Record<string, unknown>[] = [];
    const dense = buckets.length >= DENSE;
    const round = (v: number) => Math.round(du.convert(v) * 100) / 100;
    /**
     * Points coloured by the device that supplied most of each: one colour function for the
     * series, not a style per point (per-point options make echarts build a model per point,
     * most of a year chart's drawing time).
     */
    const pointColors = (values: (SeriesBucket | undefined)[]) => {
      const colors = values.map((b) => {
        const top = b?.sources.reduce((a, x) => (x.share > a.share ? x : a), b.sources[0]);
        return top ? sourceColor(top.source, top.origin) : accent;
      });
      return { color: (p: { dataIndex: number }) => colors[p.dataIndex] ?? accent };
    };
    /**
     * A bar series. A year of bars is drawn as one shape per series (echarts' large mode): a bar
     * per day is too thin to style or hover one by one, and building 365 of them per source was
     * slow. That one shape is lost whole if a day has no value (an empty SVG path), so an empty
     * day is a bar of height 0 there.
     */
    const bar = (values: (number | null)[]) => (dense ? { type: 'bar', large: true, largeThreshold: DENSE, data: values.map((v) => v ?? 0) } : { type: 'bar', data: values });
    // At a year's density, values are joined by a line with small points, so sparse readings read as one line.
    const lineLook = (sparse: boolean) => (dense ? { connectNulls: true, showAllSymbol: true, symbolSize: 4 } : { connectNulls: sparse, symbolSize: 7 });
    let yName = du.unit;
    if (variant === 'bars') {
      // One stacked series per origin: the bar's height is the merged value, its slices the shares.
      for (const o of legend) {
        series.push({
          name: `${o.origin} (${sourceName(o.source)})`,
          stack: 'total',
          itemStyle: { color: deviceColor(o.key) },
          emphasis: { focus: 'series' },
          ...bar(
            buckets.map((start) => {
              const b = byStart.get(start);
              const share = b?.sources.find((s) => s.originId === o.originId)?.share ?? 0;
              return b && share ? Math.round(du.convert(b.value * share) * 100) / 100 : null;
            }),
          ),
        });
      }
    } else if (variant === 'line' || variant === 'readings' || variant === 'range') {
      const values = buckets.map((start) => {
        const b = byStart.get(start);
        return b ? round(b.value) : null;
      });
      if (band) {
        const xs = values.filter((v): v is number => v !== null);
        const m = mean(xs);
        const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
        series.push(
          { name: 'Baseline low', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, data: buckets.map(() => Math.round((m - sd) * 100) / 100), silent: true, tooltip: { show: false } },
          {
            name: 'Your baseline (mean ± 1 SD)',
            type: 'line',
            stack: 'band',
            symbol: 'none',
            lineStyle: { opacity: 0 },
            areaStyle: { color: accent, opacity: 0.12 },
            data: buckets.map(() => Math.round(2 * sd * 100) / 100),
            silent: true,
            tooltip: { show: false },
          },
        );
      }
      if (variant !== 'line') {
        // The day's lowest to highest reading, as a band under the day's value.
        const lows = buckets.map((start) => {
          const b = byStart.get(start);
          return b && b.min !== undefined && b.max !== undefined ? round(b.min) : null;
        });
        series.push(
          { name: 'Lowest reading', type: 'line', stack: 'range', symbol: 'none', lineStyle: { opacity: 0 }, connectNulls: dense, data: lows, silent: true, tooltip: { show: false } },
          {
            name: 'Range of the day’s readings',
            type: 'line',
            stack: 'range',
            symbol: 'none',
            lineStyle: { opacity: 0 },
            connectNulls: dense,
            areaStyle: { color: accent, opacity: 0.2 },
            data: buckets.map((start, i) => {
              const b = byStart.get(start);
              return b && b.max !== undefined && lows[i] !== null ? Math.round((round(b.max) - lows[i]!) * 100) / 100 : null;
            }),
            silent: true,
            tooltip: { show: false },
          },
        );
      }
      series.push({
        name: def.label,
        type: 'line',
        // Body readings are occasional: join them. Daily vitals keep their gaps visible (but a year joins them).
        ...lineLook(Boolean(trend) || variant === 'readings'),
        lineStyle: { color: accent },
        itemStyle: pointColors(buckets.map((start) => byStart.get(start))),
        data: values,
      });
      if (trend) {
        const avg = movingAverage(values, 7);
        const last = lastIndex(values);
        series.push({ name: 'Trend (7-point average)', type: 'line', symbol: 'none', smooth: true, lineStyle: { type: 'dashed', color: muted }, data: avg.map((v, i) => (i > last ? null : v)) });
      }
    } else if (variant === 'pair') {
      data.forEach((s, i) => {
        const m = at(s);
        series.push({
          name: getMetric(s.metric)?.label ?? s.metric,
          type: 'line',
          ...lineLook(true),
          lineStyle: { color: PAIR_COLORS[i % 2] },
          itemStyle: { color: PAIR_COLORS[i % 2] },
          data: buckets.map((start) => {
            const b = m.get(start);
            return b ? round(b.value) : null;
          }),
        });
      });
    } else if (variant === 'sleep') {
      yName = 'h';
      for (const stage of ['deep', 'light', 'rem', 'unspecified', 'awake'] as const) {
        series.push({
          name: stage === 'unspecified' ? 'Asleep (no stage)' : stage === 'rem' ? 'REM' : stage[0].toUpperCase() + stage.slice(1),
          stack: 'stages',
          itemStyle: { color: STAGE_COLORS[stage] },
          ...bar(
            buckets.map((start) => {
              const st = byStart.get(start)?.stages;
              return st && st[stage] ? Math.round((st[stage] / 60) * 100) / 100 : null;
            }),
          ),
        });
      }
      const total = buckets.map((start) => {
        const b = byStart.get(start);
        return b ? Math.round((b.value / 60) * 100) / 100 : null;
      });
      const last = lastIndex(total);
      series.push({
        name: SLEEP_AVERAGE,
        type: 'line',
        symbol: 'none',
        smooth: true,
        lineStyle: { color: text, type: 'dashed' },
        data: movingAverage(total, 7).map((v, i) => (i > last ? null : v)),
      });
    } else {
      data.forEach((s, i) => {
        const m = at(s);
        series.push({
          name: getMetric(s.metric)?.label ?? s.metric,
          stack: 'metrics',
          itemStyle: { color: PALETTE[i % PALETTE.length] },
          ...bar(
            buckets.map((start) => {
              const b = m.get(start);
              return b ? Math.round(b.value * 10) / 10 : null;
            }),
          ),
        });
      });
      yName = getMetric(data[0].metric)?.unit ?? '';
    }
    const zoom = buckets.length > 14;
    return {
      animation: false,
      textStyle: { color: text },
      grid: { left: 56, right: 16, top: 24, bottom: zoom ? 64 : 32 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        backgroundColor: cssVar('--panel', '#fff'),
        borderColor: border,
        textStyle: { color: text },
        formatter: (params: unknown) => tooltipHtml(params, data, variant, du, aggregation),
      },
      xAxis: {
        type: 'category',
        data: buckets,
        axisLine: { lineStyle: { color: border } },
        axisLabel: { color: muted, formatter: slotLabel },
      },
      yAxis: { type: 'value', name: yName, nameTextStyle: { color: muted }, splitLine: { lineStyle: { color: border } }, axisLabel: { color: muted }, scale: variant !== 'bars' && variant !== 'sleep' && variant !== 'stack-metrics' },
      dataZoom: zoom
        ? [
            { type: 'inside', start: 0, end: 100 },
            // The handles' date labels sit outside the slider: it leaves them room on both sides.
            { type: 'slider', height: 18, bottom: 8, left: 80, right: 80, borderColor: border, textStyle: { color: muted }, labelFormatter: (_: number, v: string) => slotLabel(v) },
          ]
        : [],
      series,
    };
    // theme is a dependency so colours follow a theme switch
  }, [data, hasData, buckets, legend, variant, band, trend, du, def.label, theme, aggregation]);

  // What a click on a bar or point needs, as of the last drawing (the chart outlives renders).
  const clickCtx = useRef({ buckets, data, bucket: dataBucket, du });
  clickCtx.current = { buckets, data, bucket: dataBucket, du };
  const chartRef = useRef<ReturnType<typeof echarts.init> | null>(null);
  /** The option the chart shows (null: none yet). */
  const drawn = useRef<EChartsOption | null>(null);
  const drawable = Boolean(option) && inView && !table;
  // One echarts instance while the chart is shown: a range switch only sets its new option (a
  // new instance per switch cost most of a switch's drawing time).
  useEffect(() => {
    const el = chartEl.current;
    if (!el || !drawable) return;
    const chart = echarts.init(el, undefined, { renderer: 'svg' });
    chartRef.current = chart;
    // A click on a point explains that point. Any other click explains the slot under the
    // pointer, the one the tooltip shows: on a bar or anywhere else in the plot (a year's bars
    // are a pixel wide, and large mode finds the bar under the pointer only every 30 ms). Which
    // metric, where a chart has several: the series clicked, else the one under the pointer.
    let clicked: { seriesName?: string; point?: number } | undefined;
    chart.on('click', (p: { seriesName?: string; seriesType?: string; dataIndex?: number }) => {
      clicked = { seriesName: p.seriesName, point: p.seriesType === 'line' ? p.dataIndex : undefined };
    });
    chart.getZr().on('click', (e: { offsetX: number; offsetY: number }) => {
      const point = [e.offsetX, e.offsetY];
      // echarts' own click handler, which names the series clicked, runs after this one.
      setTimeout(() => {
        const seriesName = clicked?.seriesName;
        const pointIndex = clicked?.point;
        clicked = undefined;
        if (chart.isDisposed() || (!seriesName && !chart.containPixel('grid', point))) return;
        const { buckets: starts, data: series, bucket, du: unit } = clickCtx.current;
        const index = pointIndex ?? Math.min(starts.length - 1, Math.max(0, Math.round(Number(chart.convertFromPixel({ xAxisIndex: 0 }, point[0])))));
        const start = starts[index];
        if (!start || !series) return;
        const y = Number(chart.convertFromPixel({ yAxisIndex: 0 }, point[1]));
        const metric = variant === 'stack-metrics' || variant === 'pair' ? metricAt(series, variant, start, seriesName, y, variant === 'pair' ? unit.convert : undefined) : primary;
        // The panel now says it all: the tooltip would stay over the chart, under the pointer.
        chart.dispatchAction({ type: 'hideTip' });
        onExplain({ metric, bucketStart: start, bucket });
      }, 0);
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
      chartRef.current = null;
      drawn.current = null;
      if (cardEl.current) delete cardEl.current.dataset.drawn;
    };
    // onExplain, variant and primary are fixed for a chart's life.
  }, [drawable]);
  // A chart scrolled out of view is drawn again only when it comes back: a range switch then
  // draws just the charts a person sees. The parts that change with the data are replaced and
  // the rest (the tooltip above all) is kept: `notMerge` rebuilt the tooltip on every switch,
  // and its constructor forces a page layout.
  // The card's data-drawn names the range drawn (tests and `npm run bench:ui` read it).
  useEffect(() => {
    const chart = chartRef.current;
    if (!option || !chart || !visible || drawn.current === option) return;
    chart.setOption(option, { replaceMerge: ['series', 'xAxis', 'yAxis', 'dataZoom'] });
    drawn.current = option;
    if (cardEl.current) cardEl.current.dataset.drawn = `${dataFrom}/${dataTo}/${dataBucket}`;
  }, [option, drawable, visible, dataFrom, dataTo, dataBucket]);

  const fill = whoFills(metrics);
  const summary = hasData ? `${title}: ${buckets.length} ${dataBucket === 'hour' ? 'hours' : 'periods'} from ${slotText(buckets[0])} to ${slotText(buckets[buckets.length - 1])}.` : '';
  const dayLine = dayData ? dayTotal(dayData, variant, du) : null;
  const lines = variant === 'readings' || variant === 'range' || variant === 'line' ? lineKeys(def.label, aggregation, variant, Boolean(band), Boolean(trend)) : [];
  return (
    <section ref={cardEl} className="card chart-card" aria-labelledby={`${id}-title`} data-chart={id} data-variant={variant} data-state={error ? 'error' : !data ? 'loading' : hasData ? 'ready' : 'empty'}
      data-range={`${range.from}/${range.to}/${range.bucket}`}
      data-shown={shown ?? undefined}
    >
      <div className="card-head">
        <h3 id={`${id}-title`}>
          {title}
          {aggregation && <span className="chart-aggregation"> · {aggregation}</span>}
        </h3>
        <div className="card-actions">
          {controls}
          {hasData && (
            <button type="button" className="link-button" aria-pressed={table} onClick={() => setTable(!table)}>
              {table ? 'Show chart' : 'Show as table'}
            </button>
          )}
          {onHide && (
            <button type="button" className="link-button" onClick={onHide}>
              Hide chart
            </button>
          )}
        </div>
      </div>
      {dayLine && <p className="day-total">{dayLine}</p>}
      {error && <p className="reason">{error}</p>}
      {data && !hasData && (
        <p className="empty chart-empty">
          No data for {metrics.map((m) => getMetric(m)?.label ?? m).join(', ')} in this range.
          {held ? (
            <>
              {` It has data from ${held.first} to ${held.last}. `}
              <button type="button" className="link-button" onClick={held.show}>
                Go to {held.last}
              </button>
            </>
          ) : (
            fill && ` ${fill} would fill this chart: import an export on the Imports page or connect a source on the Sources page.`
          )}
        </p>
      )}
      {hasData && !table && <div ref={chartEl} className="chart" role="img" aria-label={`${summary} Click a bar or point for where the number comes from, or switch to the table.`} />}
      {hasData && table && <DataTable data={data!} buckets={buckets} variant={variant} du={du} onExplain={onExplain} bucket={dataBucket} />}
      {hasData && variant === 'sleep' && <KeyList items={SLEEP_KEYS} label="Stages" />}
      {hasData && variant === 'stack-metrics' && <KeyList items={metrics.map((m, i) => ({ label: getMetric(m)?.label ?? m, color: PALETTE[i % PALETTE.length] }))} label="Nutrients" />}
      {hasData && variant === 'pair' && <KeyList items={metrics.map((m, i) => ({ label: getMetric(m)?.label ?? m, color: PAIR_COLORS[i % 2] }))} label="Readings" />}
      {hasData && lines.length > 1 && <KeyList items={lines} label="Lines" />}
      {hasData && <Legend entries={legend} variant={variant} />}
    </section>
  );
}

/** "Day total: 8,532 steps", "Day average: 121 / 79 mmHg", "Asleep: 7 h 5 min" (null without data). */
export function dayTotal(data: Series[], variant: Variant, du: ReturnType<typeof displayUnit>): string | null {
  const values = data.map((s) => s.buckets[0]?.value);
  if (values.every((v) => v === undefined)) return null;
  const label = dayValueLabel(data[0].metric);
  if (variant === 'sleep') return `${label}: ${formatMinutes(values[0] ?? 0)}`;
  if (variant === 'pair') return `${label}: ${values.map((v) => (v === undefined ? '—' : String(Math.round(v)))).join(' / ')} ${data[0].unit}`;
  if (variant === 'stack-metrics')
    return `${label}: ${data.map((s, i) => `${getMetric(s.metric)?.label ?? s.metric} ${values[i] === undefined ? '—' : `${Math.round(values[i]!)} ${s.unit}`}`).join(', ')}`;
  const b = data[0].buckets[0];
  const spread = (variant === 'readings' || variant === 'range') && b?.min !== undefined && b.max !== undefined ? ` (readings ${formatValue(b.min, du)} – ${formatValue(b.max, du)})` : '';
  return `${label}: ${formatValue(values[0], du)}${spread}`;
}

function tooltipHtml(params: unknown, data: Series[], variant: Variant, du: ReturnType<typeof displayUnit>, aggregation: string | null): string {
  const list = (Array.isArray(params) ? params : [params]) as { axisValue?: string; name?: string }[];
  const start = list[0]?.axisValue ?? list[0]?.name ?? '';
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const lines: string[] = [`<strong>${esc(slotText(start))}</strong>${aggregation ? ` · ${esc(aggregation)}` : ''}`];
  for (const s of data) {
    const b = s.buckets.find((x) => x.start === start);
    if (!b) continue;
    const label = data.length > 1 ? `${esc(getMetric(s.metric)?.label ?? s.metric)}: ` : '';
    const value = variant === 'sleep' ? formatMinutes(b.value) + ' asleep' : variant === 'stack-metrics' ? `${Math.round(b.value)} ${s.unit}` : formatValue(b.value, du);
    lines.push(`${label}${esc(value)}`);
    if ((variant === 'readings' || variant === 'range') && b.min !== undefined && b.max !== undefined)
      lines.push(`Readings from ${esc(formatValue(b.min, du))} to ${esc(formatValue(b.max, du))}`);
    for (const src of b.sources)
      lines.push(
        `<span style="color:${sourceColor(src.source, src.origin)}">●</span> ${esc(src.origin)} (${esc(sourceName(src.source))}) ${Math.round(src.share * 100)}%${src.quality !== null ? ` · quality ${src.quality}` : ''}`,
      );
    if (b.excluded) lines.push(`${b.excluded} overlapping sample${b.excluded === 1 ? '' : 's'} excluded`);
  }
  lines.push('<em>Click for “Why this number?”</em>');
  return lines.join('<br/>');
}

const SLEEP_KEYS = [
  { label: 'Deep', color: STAGE_COLORS.deep },
  { label: 'Light / core', color: STAGE_COLORS.light },
  { label: 'REM', color: STAGE_COLORS.rem },
  { label: 'Asleep (no stage)', color: STAGE_COLORS.unspecified },
  { label: 'Awake', color: STAGE_COLORS.awake },
  { label: 'Asleep, 7-night average', color: 'var(--text)', line: true, dashed: true },
];
const SLEEP_AVERAGE = 'Asleep, 7-night average';

interface Key {
  label: string;
  color: string;
  /** Drawn as a line (dashed) or a band, not a filled square. */
  line?: boolean;
  dashed?: boolean;
  band?: boolean;
}

/**
 * The key of a line chart: everything it draws besides the sources' points (the day's range,
 * the baseline band, the trend), so no mark is left unexplained. Names as in the option above.
 */
function lineKeys(label: string, aggregation: string | null, variant: Variant, band: boolean, trend: boolean): Key[] {
  const keys: Key[] = [{ label: `${label} (${aggregation ?? 'value'})`, color: 'var(--accent)', line: true }];
  if (variant !== 'line') keys.push({ label: 'Range of the day’s readings (lowest–highest)', color: 'var(--accent)', band: true });
  if (band) keys.push({ label: 'Your baseline (mean ± 1 SD of this range)', color: 'var(--accent)', band: true });
  if (trend) keys.push({ label: 'Trend (7-point average)', color: 'var(--muted)', line: true, dashed: true });
  return keys;
}

function KeyList({ items, label }: { items: Key[]; label: string }) {
  return (
    <ul className="source-legend key-list" aria-label={label}>
      {items.map((k) => (
        <li key={k.label}>
          <span
            className={k.line ? `swatch swatch-line${k.dashed ? ' dashed' : ''}` : k.band ? 'swatch swatch-band' : 'swatch'}
            aria-hidden="true"
            style={k.line ? { borderColor: k.color } : { background: k.color }}
          />
          {k.label}
        </li>
      ))}
    </ul>
  );
}

/** The sources behind a chart, each with its share of the range and its quality. */
export function Legend({ entries }: { entries: LegendEntry[]; variant?: Variant }) {
  if (!entries.length) return null;
  return (
    <ul className="source-legend" aria-label="Sources">
      {entries.map((e) => (
        <li key={e.originId} data-origin={e.key}>
          <span className="swatch" aria-hidden="true" style={{ background: deviceColor(e.key) }} />
          <span>
            {e.origin} <span className="muted">({sourceName(e.source)})</span>
          </span>
          <span className="muted">{Math.round(e.share * 100)}%</span>
          {e.quality !== null && (
            <span
              className={`badge quality ${e.quality >= 80 ? 'ok' : e.quality >= 50 ? 'warn' : 'bad'}`}
              title={e.reasons.length ? e.reasons.map((r) => r.message).join('\n') : 'No problems found.'}
              aria-label={`Quality ${e.quality} of 100${e.reasons.length ? `: ${e.reasons.map((r) => r.message).join(' ')}` : ''}`}
            >
              Quality {e.quality}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

function DataTable({
  data,
  buckets,
  variant,
  du,
  bucket,
  onExplain,
}: {
  data: Series[];
  buckets: string[];
  variant: Variant;
  du: ReturnType<typeof displayUnit>;
  bucket: BucketUnitName;
  onExplain(t: ExplainTarget): void;
}) {
  return (
    <div className="table-wrap">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{bucket === 'hour' ? 'Hour' : bucket === 'day' ? 'Day' : bucket === 'week' ? 'Week of' : 'Month'}</th>
            {data.map((s) => (
              <th scope="col" key={s.metric}>
                {getMetric(s.metric)?.label ?? s.metric}
              </th>
            ))}
            {variant === 'sleep' && <th scope="col">Stages</th>}
            <th scope="col">Sources</th>
            <th scope="col">Excluded</th>
            <th scope="col">
              <span className="sr-only">Explain</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {buckets.map((start) => {
            const first = data.map((s) => s.buckets.find((b) => b.start === start));
            const main = first.find(Boolean);
            if (!main) return null;
            return (
              <tr key={start}>
                <th scope="row">{slotText(start)}</th>
                {first.map((b, i) => (
                  <td key={data[i].metric}>
                    {b ? (variant === 'sleep' ? formatMinutes(b.value) : variant === 'stack-metrics' ? `${Math.round(b.value)} ${data[i].unit}` : formatValue(b.value, du)) : '—'}
                    {b && (variant === 'readings' || variant === 'range') && b.min !== undefined && b.max !== undefined && ` (readings ${formatValue(b.min, du)} – ${formatValue(b.max, du)})`}
                  </td>
                ))}
                {variant === 'sleep' && (
                  <td>
                    {main?.stages
                      ? `deep ${Math.round(main.stages.deep)}, light ${Math.round(main.stages.light)}, REM ${Math.round(main.stages.rem)}, unstaged ${Math.round(main.stages.unspecified)}, awake ${Math.round(main.stages.awake)} min; in bed ${formatMinutes(main.stages.inBed)}${main.sessions && main.sessions.length > 1 ? `; ${main.sessions.filter((x) => x.nap).length} nap(s)` : ''}`
                      : '—'}
                  </td>
                )}
                <td>{main?.sources.map((s) => `${s.origin} (${sourceName(s.source)}) ${Math.round(s.share * 100)}%`).join(', ')}</td>
                <td>{first.reduce((a, b) => a + (b?.excluded ?? 0), 0)}</td>
                <td>
                  <button type="button" className="link-button" onClick={() => onExplain({ metric: data[first.indexOf(main)]?.metric ?? data[0].metric, bucketStart: start, bucket })}>
                    Why this number?
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
