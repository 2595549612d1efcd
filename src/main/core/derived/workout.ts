// One workout in full (`metrics:workout`): its statistics and whether it counted (by the same
// resolveWorkouts as the chart and the list), the heart rate recorded during it, and its route.
// Read-only SQL; nothing here writes.
import type { WorkoutDetail } from '../../../shared/contract/metrics';
import { AppError } from '../errors';
import { ERROR_CODES } from '../../../shared/contract';
import { listFor, rankOrigins } from '../merge/priority';
import { resolveWorkouts } from '../merge/workouts';
import { formatDay, resolveHomeZone } from '../time/zones';
import type { Handlers } from '../handlers';
import type { Core } from '../index';
import { loadOrigins, loadWorkouts, loadZoneClock, round, typeIdsByMetric } from './build';
import type { QueryCtx } from './query';

/** Copies of one session are found among workouts starting this close to it (a day either side). */
const COPY_WINDOW_MS = 2 * 86_400_000;

interface Row {
  id: number;
  originId: number;
  start: number;
  end: number;
  zone: number;
  maxHeartRate: number | null;
}

/**
 * The workout `id`: statistics (minutes, km, kcal, bpm), counted or why not, its copies; heart
 * rate (bpm) inside [start, end] from one origin — the workout's own when it recorded any, else
 * the highest-ranked in the Heart priority, else the one with most readings; its route in order.
 * Throws not-found when no workout has that id.
 */
export function workoutDetail(ctx: QueryCtx, id: number): WorkoutDetail {
  const sql = ctx.sql;
  const row = sql.prepare('SELECT id, origin_id AS originId, start_ms AS start, end_ms AS "end", zone_id AS zone, max_heart_rate AS maxHeartRate FROM workouts WHERE id = ?').get(id) as
    | Row
    | undefined;
  if (!row) throw new AppError(ERROR_CODES.notFound, `There is no workout ${id}: it may have been removed by a later import. Open the dashboard again and choose a workout from its list.`);
  const origins = loadOrigins(sql);
  const prefs = ctx.prefs.getAll();
  const clock = loadZoneClock(sql, resolveHomeZone(ctx.homeZone));
  const label = (originId: number) => {
    const o = origins.get(originId);
    return o ? { source: o.source, origin: o.name } : { source: 'unknown', origin: `origin ${originId}` };
  };
  // The same judgement as the list: the workouts around it, resolved together.
  const rows = loadWorkouts(sql, row.start - COPY_WINDOW_MS, row.start + COPY_WINDOW_MS);
  const resolved = resolveWorkouts(rows, rankOrigins(origins.values(), listFor('workouts', prefs)), clock);
  const me = resolved.find((r) => r.w.id === id)!;
  const counterpart = me.dupOf;
  const copies = resolved.filter((r) => r.w.id !== id && (r.dupOf === id || (counterpart !== null && r.dupOf === counterpart)));
  const zoneName = (sql.prepare('SELECT name FROM zones WHERE id = ?').get(row.zone) as { name: string } | undefined)?.name ?? resolveHomeZone(ctx.homeZone) ?? 'UTC';
  const w = me.w;
  const workout: WorkoutDetail['workout'] = {
    id,
    ...label(w.originId),
    activityType: w.activityType,
    start: new Date(w.start).toISOString(),
    end: new Date(w.end).toISOString(),
    day: formatDay(me.day),
    durationMin: round(w.durationS / 60, 2),
    distanceKm: w.distanceKm,
    energyKcal: w.energyKcal,
    avgHeartRate: w.avgHeartRate,
    maxHeartRate: row.maxHeartRate,
    zone: zoneName,
    offsetMin: clock.offset(row.zone, row.start),
    duplicates: copies.filter((c) => c.w.id !== counterpart).map((c) => ({ id: c.w.id, ...label(c.w.originId) })),
    counted: me.status === 'counted',
    excludedBecause: me.status === 'counted' || me.status === 'duplicate' ? null : me.status,
    copyOf: counterpart !== null ? { id: counterpart, ...label(rows.find((r) => r.id === counterpart)?.originId ?? -1) } : null,
  };

  // Heart rate: one origin's readings, so two devices never interleave in one line.
  const hrTypes = typeIdsByMetric(sql).get('heart_rate') ?? [];
  let heartRate: WorkoutDetail['heartRate'] = [];
  let heartRateFrom: WorkoutDetail['heartRateFrom'] = null;
  if (hrTypes.length) {
    const marks = hrTypes.map(() => '?').join(',');
    const counts = sql
      .prepare(`SELECT origin_id AS originId, count(*) AS n FROM samples WHERE type_id IN (${marks}) AND start_ms >= ? AND start_ms <= ? GROUP BY origin_id`)
      .all(...hrTypes, row.start, row.end) as { originId: number; n: number }[];
    if (counts.length) {
      const ranking = rankOrigins(origins.values(), listFor('heart_rate', prefs));
      const rank = (o: number) => ranking.prio.get(o) ?? Infinity;
      const pick = counts.find((c) => c.originId === row.originId) ?? [...counts].sort((a, b) => (rank(a.originId) === rank(b.originId) ? b.n - a.n : rank(a.originId) < rank(b.originId) ? -1 : 1))[0];
      heartRate = (
        sql
          .prepare(`SELECT start_ms AS t, value FROM samples WHERE type_id IN (${marks}) AND origin_id = ? AND start_ms >= ? AND start_ms <= ? ORDER BY start_ms`)
          .all(...hrTypes, pick.originId, row.start, row.end) as { t: number; value: number }[]
      ).map((s) => ({ t: new Date(s.t).toISOString(), bpm: s.value }));
      heartRateFrom = label(pick.originId);
    }
  }

  const points = sql.prepare('SELECT lat, lon, elevation_m AS ele, time_ms AS t FROM route_points WHERE workout_id = ? ORDER BY seq').all(id) as {
    lat: number;
    lon: number;
    ele: number | null;
    t: number;
  }[];
  const route = points.length ? points.map((p) => ({ lat: p.lat, lon: p.lon, ele: p.ele, t: new Date(p.t).toISOString() })) : null;
  return { workout, heartRate, heartRateFrom, route };
}

export function workoutHandlers(core: Pick<Core, 'db' | 'prefs' | 'deps' | 'settings'>): Pick<Handlers, 'metrics:workout'> {
  return {
    'metrics:workout': (input) =>
      workoutDetail({ sql: core.db.$client, prefs: core.prefs, now: core.deps.clock(), homeZone: core.settings.get().homeTimeZone }, input.id),
  };
}
