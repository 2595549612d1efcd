// One workout opened from the dashboard (#/dashboard?…&workout=ID): its statistics in its own
// time zone, whether it counted and why not with its copies, the heart rate during it, and its
// route drawn from its own points (RouteMap: no tiles, nothing fetched).
import { useEffect, useState } from 'react';
import type { WorkoutDetail as Detail } from '../../../shared/contract';
import { originLabel, sourceLabel } from '../../../shared/explainWords';
import { call } from '../api';
import { currentRoute, navigate } from '../router';
import { useApp } from '../store';
import { displayUnit, formatMinutes, formatValue } from './format';
import { RouteMap } from './RouteMap';
import { usePanelClose } from './usePanelClose';

/** "HKWorkoutActivityTypeRunning" -> "Running"; provider names pass through. */
export function activityName(type: string): string {
  const t = type.replace(/^HKWorkoutActivityType/, '');
  return t.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
}

let pushedHash: string | null = null;

/** Opens a workout: its id joins the current page's route (a new history entry), so Back closes it. */
export function openWorkout(id: number): void {
  const { page, params } = currentRoute();
  navigate(page, { ...params, workout: String(id) });
  pushedHash = window.location.hash;
}

/** Closes the open workout: Back when openWorkout opened it, else (a deep link) drops the id from the route. */
export function closeWorkout(): void {
  const { page, params } = currentRoute();
  const others = Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'workout'));
  if (pushedHash === window.location.hash) window.history.back();
  else navigate(page, others, { replace: true });
  pushedHash = null;
}

/** Why a workout does not count in the chart (the same rules as the chart). */
export const EXCLUDED_TEXT = {
  impossible: 'longer than 24 hours or negative, so not a real session',
  'not-listed': 'this source is not in your Workouts priority list',
  'fill-gaps-off': 'another source supplies this day (fill gaps is off)',
} as const;

/** A UTC instant shown at `offsetMin` minutes from UTC: "2024-01-15 10:00". */
export function localTime(iso: string, offsetMin: number): string {
  return new Date(Date.parse(iso) + offsetMin * 60_000).toISOString().replace('T', ' ').slice(0, 16);
}

/** "UTC+01:00" from minutes. */
export function offsetText(min: number): string {
  const a = Math.abs(min);
  return `UTC${min < 0 ? '−' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

const who = (o: { source: string; origin: string }) => {
  const name = originLabel(o);
  const src = sourceLabel(o.source);
  return name === src ? name : `${name} (${src})`;
};

/** Heart rate (bpm) over the workout's minutes, as an SVG line with its lowest and highest reading marked. */
function HeartRateChart({ points, start, end }: { points: Detail['heartRate']; start: string; end: string }) {
  const w = 360;
  const h = 140;
  const pad = { l: 36, r: 8, t: 10, b: 22 };
  const t0 = Date.parse(start);
  const span = Math.max(1, Date.parse(end) - t0);
  const bpm = points.map((p) => p.bpm);
  const lo = Math.floor(Math.min(...bpm) / 10) * 10;
  const hi = Math.max(lo + 10, Math.ceil(Math.max(...bpm) / 10) * 10);
  const x = (t: string) => pad.l + ((Date.parse(t) - t0) / span) * (w - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - lo) / (hi - lo)) * (h - pad.t - pad.b);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)} ${y(p.bpm).toFixed(1)}`).join(' ');
  const minutes = Math.round(span / 60_000);
  return (
    <svg className="hr-chart" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`Heart rate during the workout: ${points.length} readings from ${Math.min(...bpm)} to ${Math.max(...bpm)} bpm`} data-points={points.length}>
      <line className="axis" x1={pad.l} x2={w - pad.r} y1={h - pad.b} y2={h - pad.b} />
      <text x={pad.l - 4} y={y(hi) + 4} textAnchor="end">
        {hi}
      </text>
      <text x={pad.l - 4} y={y(lo) + 4} textAnchor="end">
        {lo}
      </text>
      <text x={pad.l} y={h - 6}>
        0 min
      </text>
      <text x={w - pad.r} y={h - 6} textAnchor="end">
        {minutes} min
      </text>
      <text x={4} y={h - 6} className="unit">
        bpm
      </text>
      {points.length > 1 ? <path className="hr-line" d={d} fill="none" /> : <circle className="hr-dot" cx={x(points[0].t)} cy={y(points[0].bpm)} r={3} />}
    </svg>
  );
}

export function WorkoutDetail({ id, onClose }: { id: number; onClose(): void }) {
  const units = useApp((s) => s.settings?.units ?? 'metric');
  const [data, setData] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeRef = usePanelClose(onClose, id);
  useEffect(() => {
    let live = true;
    setData(null);
    setError(null);
    call('metrics:workout', { id })
      .then((d) => live && setData(d))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [id]);

  const w = data?.workout;
  const km = displayUnit('distance', units);
  return (
    <aside className="explain-panel workout-detail" role="dialog" aria-modal="false" aria-labelledby="workout-title" data-workout={id}>
      <div className="card-head">
        <h2 id="workout-title">{w ? `${activityName(w.activityType)}, ${localTime(w.start, w.offsetMin).slice(0, 10)}` : 'Workout'}</h2>
        <button ref={closeRef} type="button" className="link-button" onClick={onClose} aria-label="Close the workout">
          ✕
        </button>
      </div>
      {error && <p className="reason">{error}</p>}
      {!data && !error && <p className="muted">Loading…</p>}
      {data && w && (
        <>
          <dl className="workout-stats">
            <dt>Type</dt>
            <dd>{activityName(w.activityType)}</dd>
            <dt>Start</dt>
            <dd>
              {localTime(w.start, w.offsetMin)} <span className="muted">({w.zone}, {offsetText(w.offsetMin)})</span>
            </dd>
            <dt>End</dt>
            <dd>{localTime(w.end, w.offsetMin)}</dd>
            <dt>Duration</dt>
            <dd>{formatMinutes(w.durationMin)}</dd>
            <dt>Distance</dt>
            <dd>{formatValue(w.distanceKm, km)}</dd>
            <dt>Energy</dt>
            <dd>{w.energyKcal === null ? '—' : `${Math.round(w.energyKcal)} kcal`}</dd>
            <dt>Heart rate</dt>
            <dd>
              {w.avgHeartRate === null ? '—' : `average ${Math.round(w.avgHeartRate)} bpm`}
              {w.maxHeartRate !== null && `, highest ${Math.round(w.maxHeartRate)} bpm`}
            </dd>
            <dt>Recorded by</dt>
            <dd>{who(w)}</dd>
            <dt>Counted</dt>
            <dd data-counted={w.counted}>
              {w.counted
                ? 'Yes: its minutes count in the Workouts chart.'
                : w.copyOf
                  ? `No: it is the same workout as the one from ${who(w.copyOf)}, which is counted instead (your Workouts order).`
                  : `No: ${w.excludedBecause ? EXCLUDED_TEXT[w.excludedBecause] : 'left out'}.`}
              {w.duplicates.length > 0 && ` Also recorded by ${w.duplicates.map(who).join(', ')}; counted once.`}
            </dd>
          </dl>
          <h3>Heart rate</h3>
          {data.heartRate.length ? (
            <>
              <HeartRateChart points={data.heartRate} start={w.start} end={w.end} />
              <p className="muted">{`${data.heartRate.length} readings from ${data.heartRateFrom ? who(data.heartRateFrom) : 'one device'}.`}</p>
            </>
          ) : (
            <p className="muted">No heart-rate readings were imported for the time of this workout.</p>
          )}
          <h3>Route</h3>
          {data.route ? (
            <>
              <RouteMap points={data.route} />
              <p className="muted">Drawn from the {data.route.length} GPS points in the export, without a map: nothing is fetched from the internet.</p>
            </>
          ) : (
            <p className="muted">No route was recorded or imported for this workout.</p>
          )}
        </>
      )}
    </aside>
  );
}
