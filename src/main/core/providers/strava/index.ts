// Strava (API v3): one stream, the athlete's activities, planned around Strava's read limits
// (100 requests per 15 minutes and 1,000 a day per developer app, windows resetting at :00,
// :15, :30, :45 and at midnight UTC). Each run:
// 1. lists `/athlete/activities?after=…&page=…&per_page=200` (ascending by start when `after` is
//    given, so pages stay put while new activities arrive at the end);
// 2. fetches `/activities/{id}` for each listed activity (calories, device) and writes it as a
//    workout, a few per page, each page committed with the cursor that holds the activities still
//    waiting (a list page is never requested twice);
// 3. when every activity is in, fetches heart-rate streams (`/activities/{id}/streams`), newest
//    activities first, only while every read window keeps a quarter of its allowance for the next
//    sync's new activities.
// When a window's allowance is used up the engine ends the run cleanly and the next one is due
// when the window resets (sync/http RateBudget), so a first import of years of activities spreads
// over as many windows and days as it needs and never earns a 429.
import type { SampleRecord, WorkoutRecord, ZoneRef } from '../../samples';
import type { Endpoint, EndpointContext, PageResult, ProviderAdapter } from '../../sync/adapter';
import { DAY_MS, FIFTEEN_MINUTES_MS, RateLimitedError, type RateLimitPolicy, type Verdict } from '../../sync/http';
import { mapActivity, mapHeartRateStream, type StravaActivity } from './map';

/** Strava's largest page. */
export const PER_PAGE = 200;
/** Details fetched (and workouts written) per committed page. */
export const DETAILS_PER_PAGE = 10;
/** Streams fetched per committed page. */
export const STREAMS_PER_PAGE = 10;
/** Heart-rate streams are fetched only while every read window has more than this share left. */
export const STREAM_RESERVE = 0.25;
/** Heart-rate streams waiting at most: the most recent activities' (older ones are not fetched). */
export const MAX_STREAM_BACKLOG = 1_000;

/** Strava's published limits per developer app, and the headers that report them. */
export const STRAVA_RATE_LIMITS: RateLimitPolicy = {
  windows: [
    { id: 'overall-15min', limit: 200, spanMs: FIFTEEN_MINUTES_MS, kind: 'fixed', headers: { limit: 'x-ratelimit-limit', usage: 'x-ratelimit-usage', index: 0 } },
    { id: 'overall-day', limit: 2_000, spanMs: DAY_MS, kind: 'fixed', headers: { limit: 'x-ratelimit-limit', usage: 'x-ratelimit-usage', index: 1 } },
    { id: 'read-15min', limit: 100, spanMs: FIFTEEN_MINUTES_MS, kind: 'fixed', methods: ['GET'], headers: { limit: 'x-readratelimit-limit', usage: 'x-readratelimit-usage', index: 0 } },
    { id: 'read-day', limit: 1_000, spanMs: DAY_MS, kind: 'fixed', methods: ['GET'], headers: { limit: 'x-readratelimit-limit', usage: 'x-readratelimit-usage', index: 1 } },
  ],
};

/** An activity written with heart rate, waiting for its stream: [id, startMs, zone name, zone src, origin name, origin kind]. */
type HrJob = [id: number, startMs: number, zone: string | null, zoneSrc: number, origin: string, kind: string];

export interface StravaCursor {
  /** The current pass lists activities that started after `after` (epoch s), from page `page`. */
  after: number;
  page: number;
  /** More list pages may follow in this pass. */
  listing: boolean;
  /** The latest start (epoch s) written, and the ids written at that second (they come back with after = latest − 1). */
  latest: number;
  latestIds: number[];
  /** Listed, not written yet (waiting for their details). */
  queue: StravaActivity[];
  /** Written with heart rate, waiting for their stream (oldest first). */
  hr: HrJob[];
}

const EMPTY: StravaCursor = { after: 0, page: 1, listing: true, latest: 0, latestIds: [], queue: [], hr: [] };

/** The runs that have paged already (each run has its own ProviderHttp): a run's first page starts a new pass. */
const runsSeen = new WeakSet<object>();

/**
 * A 401 that names a missing permission (the person unticked "View data about your activities"
 * on Strava's consent page) is no dead token: refreshing would not help, reconnecting and allowing it would.
 * Strava: {"message":"Authorization Error","errors":[{"resource":"AccessToken","field":"activity:read_permission","code":"missing"}]}.
 */
export function stravaUnauthorized(json: unknown): Verdict | null {
  const errors = (json as { errors?: unknown } | null)?.errors;
  const missing = Array.isArray(errors) && errors.some((e: { field?: unknown; code?: unknown } | null) => typeof e?.field === 'string' && /permission/.test(e.field) && e.code === 'missing');
  return missing
    ? { kind: 'fail', message: 'Strava did not give VitalSync permission to read your activities. Reconnect Strava and allow "View data about your activities"; your data is kept.' }
    : null;
}

/** A record Strava no longer has (deleted, or made private since it was listed) is no error. */
const notFound = (status: number): Verdict | null => (status === 404 ? { kind: 'ok', body: null } : null);

const FIELDS = [
  'id', 'name', 'type', 'sport_type', 'start_date', 'start_date_local', 'timezone', 'moving_time', 'elapsed_time', 'distance', 'total_elevation_gain',
  'kilojoules', 'calories', 'has_heartrate', 'average_heartrate', 'max_heartrate', 'device_name', 'manual', 'trainer', 'commute',
] as const satisfies readonly (keyof StravaActivity)[];

/** Only the fields the mapping reads, and only those present (so details never blank out a summary's field). */
function slim(a: StravaActivity): StravaActivity {
  const out: Record<string, unknown> = {};
  for (const k of FIELDS) if (a[k] !== undefined && a[k] !== null) out[k] = a[k];
  return out as StravaActivity;
}

const startSec = (a: StravaActivity) => {
  const ms = typeof a.start_date === 'string' ? Date.parse(a.start_date) : NaN;
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
};

async function detailsPage(c: StravaCursor, ctx: EndpointContext): Promise<PageResult<StravaCursor>> {
  const workouts: WorkoutRecord[] = [];
  const queue = [...c.queue];
  let { latest, latestIds } = c;
  const hr = [...c.hr];
  for (let i = 0; i < DETAILS_PER_PAGE && queue.length; i++) {
    const summary = queue[0];
    let detailed: StravaActivity | null = null;
    if (typeof summary.id === 'number') {
      try {
        detailed = (await ctx.http.request({ url: `${ctx.config.apiBase}/activities/${summary.id}`, classifyError: notFound, classifyUnauthorized: stravaUnauthorized })) as StravaActivity | null;
      } catch (err) {
        // What this page already has is kept: the engine commits it, then stops at the next request.
        if (err instanceof RateLimitedError && workouts.length) break;
        throw err;
      }
    }
    queue.shift();
    const a = detailed ? { ...summary, ...slim(detailed) } : summary;
    const w = mapActivity(a);
    const s = startSec(a);
    if (s !== null && typeof a.id === 'number') {
      if (s > latest) [latest, latestIds] = [s, [a.id]];
      else if (s === latest && !latestIds.includes(a.id)) latestIds = [...latestIds, a.id];
    }
    if (!w) continue;
    workouts.push(w);
    if (a.has_heartrate === true && typeof a.id === 'number') hr.push([a.id, w.startMs, w.zone.name, w.zone.src, w.origin.name, w.origin.deviceKind]);
  }
  return { samples: [], workouts, more: true, cursor: { ...c, queue, latest, latestIds, hr: hr.slice(-MAX_STREAM_BACKLOG) } };
}

async function listPage(c: StravaCursor, ctx: EndpointContext): Promise<PageResult<StravaCursor>> {
  const url = `${ctx.config.apiBase}/athlete/activities?after=${c.after}&page=${c.page}&per_page=${PER_PAGE}`;
  const body = await ctx.http.request({ url, classifyUnauthorized: stravaUnauthorized });
  if (!Array.isArray(body)) throw new Error('Strava listed activities as something other than a list');
  const listed = body as StravaActivity[];
  // Activities already written at the latest second come back with after = latest − 1.
  const fresh = listed.filter((a) => !(typeof a.id === 'number' && startSec(a) === c.latest && c.latestIds.includes(a.id)));
  return { samples: [], workouts: [], more: true, cursor: { ...c, queue: fresh.map(slim), page: c.page + 1, listing: listed.length >= PER_PAGE } };
}

async function streamsPage(c: StravaCursor, ctx: EndpointContext): Promise<PageResult<StravaCursor>> {
  const samples: SampleRecord[] = [];
  const hr = [...c.hr];
  const affordable = () => {
    const s = ctx.http.spare('GET');
    return s.left > 0 && s.share > STREAM_RESERVE;
  };
  for (let i = 0; i < STREAMS_PER_PAGE && hr.length && affordable(); i++) {
    // Newest first: the backlog keeps the most recent activities.
    const [id, startMs, zone, zoneSrc, origin, kind] = hr[hr.length - 1];
    let body: unknown;
    try {
      body = await ctx.http.request({ url: `${ctx.config.apiBase}/activities/${id}/streams?keys=time,heartrate&key_by_type=true`, classifyError: notFound, classifyUnauthorized: stravaUnauthorized });
    } catch (err) {
      if (err instanceof RateLimitedError) break;
      throw err;
    }
    hr.pop();
    samples.push(...mapHeartRateStream(body, { id, startMs, zone: { name: zone, src: zoneSrc } as ZoneRef, origin: { name: origin, deviceKind: kind } }));
  }
  return { samples, workouts: [], more: hr.length > 0 && affordable(), cursor: { ...c, hr } };
}

export const activitiesEndpoint: Endpoint<StravaCursor> = {
  id: 'activities',
  label: 'activities',
  async page(cursor, ctx) {
    let c: StravaCursor = { ...EMPTY, ...cursor };
    if (!runsSeen.has(ctx.http)) {
      runsSeen.add(ctx.http);
      // A new run: with nothing waiting, a new pass from the latest activity written (robust to
      // activities deleted meanwhile, which would shift a pass's pages).
      if (!c.queue.length) c = { ...c, after: Math.max(0, c.latest - 1), page: 1, listing: true };
    }
    if (c.queue.length) return detailsPage(c, ctx);
    if (c.listing) return listPage(c, ctx);
    return streamsPage(c, ctx);
  },
};

export const stravaAdapter: ProviderAdapter = {
  provider: 'strava',
  endpoints: [activitiesEndpoint] as Endpoint[],
  rateLimits: STRAVA_RATE_LIMITS,
};
