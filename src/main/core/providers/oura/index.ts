// Oura API v2: every collection under /v2/usercollection/ answers {data, next_token}. Daily
// collections are read by date (start_date, end_date), heart rate by instant (start_datetime,
// end_datetime, at most 30 days a request, both bounds inclusive). A next_token page is asked
// for with the token alone: Oura answers 422 to dates sent with it. Oura has no "changed since",
// so each run re-reads the last days (Oura fills in and revises them), and the writer's natural
// keys and record refs keep that from counting twice. A 403 is a missing scope or an expired
// membership; its body says which.
import type { SampleRecord, WorkoutRecord } from '../../samples';
import type { Endpoint, EndpointContext, PageResult, ProviderAdapter } from '../../sync/adapter';
import type { Verdict } from '../../sync/http';
import { DAY, formatDay, parseDay } from '../../time/zones';
import {
  mapDailyActivity,
  mapDailyScores,
  mapDailySpo2,
  mapHeartRate,
  mapSleepPeriods,
  mapWorkouts,
  parseOuraTime,
  type DailyActivity,
  type DailyScore,
  type DailySpo2,
  type HeartRateRow,
  type OuraList,
  type OuraWorkout,
  type SleepPeriod,
} from './map';

/** How far back the first sync reads. */
export const HISTORY_DAYS = 730;
/** Days a run reads again before where the last one ended (late uploads, revised days). */
export const LOOKBACK_DAYS = 7;
/** Oura's longest heart rate request. */
export const HEARTRATE_WINDOW_MS = 30 * DAY;

/** A dated collection: where the last run ended, and the run in progress. */
export interface OuraDateCursor {
  /** The UTC day the last completed run started on. */
  through: string | null;
  pending: { start: string; end: string; nextToken: string } | null;
}

/** Heart rate: the instant the last run read up to, and the 30-day window in progress. */
export interface OuraHeartRateCursor {
  doneThroughMs: number | null;
  window: { start: number; end: number; until: number; nextToken: string | null; after: number | null } | null;
}

/** Oura's 403 (and 422) in words, from its RFC 7807 body. */
export function ouraRefusal(label: string, scope: string) {
  return (status: number, json: unknown): Verdict | null => {
    const body = (json ?? {}) as { title?: unknown; detail?: unknown };
    const text = [body.title, body.detail].map((v) => (typeof v === 'string' ? v : typeof v === 'object' && v ? JSON.stringify(v) : '')).join(' ');
    if (status === 403) {
      if (/scope/i.test(text)) {
        return { kind: 'fail', message: `Oura did not give VitalSync access to ${label} (the "${scope}" permission is missing). Reconnect Oura and allow ${label}; your data is kept.` };
      }
      if (/membership|subscription/i.test(text)) {
        return {
          kind: 'fail',
          message: `Oura refused ${label} because the Oura membership on this account has expired: Oura shares data through its API only with an active membership. Your data already in VitalSync is kept.`,
        };
      }
      // A refusal that names neither: say both causes rather than guess one.
      return {
        kind: 'fail',
        message: `Oura refused ${label} (HTTP 403). Either the "${scope}" permission is missing (reconnect Oura and allow ${label}) or the Oura membership has expired (check it in the Oura app). Your data already in VitalSync is kept.`,
      };
    }
    if (status === 422) return { kind: 'fail', message: `Oura refused VitalSync's request for ${label} as invalid (HTTP 422).` };
    return null;
  };
}

const url = (ctx: EndpointContext, collection: string, params: Record<string, string>) => `${ctx.config.apiBase}/v2/usercollection/${collection}?${new URLSearchParams(params).toString()}`;

function nextToken(body: OuraList<unknown>, label: string, previous: string | null): string | null {
  const t = body.next_token;
  if (t === undefined || t === null || t === '') return null;
  if (typeof t !== 'string' || t === previous) throw new Error(`Oura said more ${label} follow but gave no new next_token`);
  return t;
}

/** A collection read by date: the shared paging of every daily collection. */
function dated<T>(
  id: string,
  label: string,
  scope: string,
  map: (rows: T[], ctx: EndpointContext) => { samples: SampleRecord[]; workouts: WorkoutRecord[] },
): Endpoint<OuraDateCursor> {
  return {
    id,
    label,
    async page(cursor, ctx): Promise<PageResult<OuraDateCursor>> {
      const today = Math.floor((ctx.runStartedSec * 1000) / DAY);
      const pending = cursor?.pending ?? null;
      const start = pending?.start ?? formatDay((cursor?.through ? (parseDay(cursor.through) ?? today) : today - HISTORY_DAYS + LOOKBACK_DAYS) - LOOKBACK_DAYS);
      const end = pending?.end ?? formatDay(today + 1);
      // A next page is asked for with its token only: dates beside it are a 422.
      const params: Record<string, string> = pending ? { next_token: pending.nextToken } : { start_date: start, end_date: end };
      const body = (await ctx.http.request({ url: url(ctx, id, params), classifyError: ouraRefusal(label, scope) })) as OuraList<T>;
      const token = nextToken(body, label, pending?.nextToken ?? null);
      return {
        ...map(Array.isArray(body.data) ? body.data : [], ctx),
        more: token !== null,
        cursor: token ? { through: cursor?.through ?? null, pending: { start, end, nextToken: token } } : { through: formatDay(today), pending: null },
      };
    },
  };
}

/** Heart rate, in windows of at most 30 days; a sample on the bound two windows share is kept once. */
const heartRate: Endpoint<OuraHeartRateCursor> = {
  id: 'heartrate',
  label: 'heart rate',
  async page(cursor, ctx) {
    const until = cursor?.window?.until ?? ctx.runStartedSec * 1000;
    const window = cursor?.window ?? (() => {
      const start = cursor?.doneThroughMs != null ? cursor.doneThroughMs - LOOKBACK_DAYS * DAY : until - HISTORY_DAYS * DAY;
      return { start, end: Math.min(until, start + HEARTRATE_WINDOW_MS), until, nextToken: null, after: null };
    })();
    const params: Record<string, string> = window.nextToken
      ? { next_token: window.nextToken }
      : { start_datetime: new Date(window.start).toISOString(), end_datetime: new Date(window.end).toISOString() };
    const body = (await ctx.http.request({ url: url(ctx, 'heartrate', params), classifyError: ouraRefusal('heart rate', 'heartrate') })) as OuraList<HeartRateRow>;
    const rows = (Array.isArray(body.data) ? body.data : []).filter((r) => {
      const t = parseOuraTime(r.timestamp)?.ms;
      return t !== undefined && t >= window.start && t <= window.end && (window.after === null || t > window.after);
    });
    const token = nextToken(body, 'heart rate', window.nextToken);
    if (token) return { samples: mapHeartRate(rows), workouts: [], more: true, cursor: { doneThroughMs: cursor?.doneThroughMs ?? null, window: { ...window, nextToken: token } } };
    if (window.end < until) {
      // The next window starts on this one's end, which both include: what was on it is already read.
      const next = { start: window.end, end: Math.min(until, window.end + HEARTRATE_WINDOW_MS), until, nextToken: null, after: window.end };
      return { samples: mapHeartRate(rows), workouts: [], more: true, cursor: { doneThroughMs: cursor?.doneThroughMs ?? null, window: next } };
    }
    return { samples: mapHeartRate(rows), workouts: [], more: false, cursor: { doneThroughMs: until, window: null } };
  },
};

const none: WorkoutRecord[] = [];

export const ouraAdapter: ProviderAdapter = {
  provider: 'oura',
  endpoints: [
    dated<DailyActivity>('daily_activity', 'daily activity', 'daily', (rows, ctx) => ({ samples: mapDailyActivity(rows, ctx.homeZone), workouts: none })),
    dated<SleepPeriod>('sleep', 'sleep', 'daily', (rows) => ({ samples: mapSleepPeriods(rows), workouts: none })),
    dated<DailyScore>('daily_sleep', 'sleep scores', 'daily', (rows, ctx) => ({ samples: mapDailyScores('daily_sleep', rows, ctx.homeZone), workouts: none })),
    dated<DailyScore>('daily_readiness', 'readiness', 'daily', (rows, ctx) => ({ samples: mapDailyScores('daily_readiness', rows, ctx.homeZone), workouts: none })),
    dated<DailySpo2>('daily_spo2', 'blood oxygen', 'spo2', (rows, ctx) => ({ samples: mapDailySpo2(rows, ctx.homeZone), workouts: none })),
    dated<OuraWorkout>('workout', 'workouts', 'workout', (rows) => ({ samples: [], workouts: mapWorkouts(rows) })),
    heartRate,
  ] as Endpoint[],
};
