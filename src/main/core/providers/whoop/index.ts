// WHOOP (API v2): sleeps, cycles, recoveries and workouts, each a collection read newest first,
// `limit` at most 25, paged by the `nextToken` request parameter with the `next_token` the
// answer gives (one spelling each way); then the profile's body measurements. Rate limits (100
// a minute, 10,000 a day per app) are declared below for the generic rate budget (sync/http),
// which paces from WHOOP's X-RateLimit-* headers and honours 429 + Retry-After.
import type { SampleRecord } from '../../samples';
import type { Endpoint, EndpointContext, PageResult, ProviderAdapter } from '../../sync/adapter';
import { DAY_MS, MINUTE_MS, type ProviderHttp, type RateLimitPolicy } from '../../sync/http';
import { isScored, mapBody, mapCycle, mapRecovery, mapSleep, mapWorkout, morningOf, type Morning, type WhoopBody, type WhoopCycle, type WhoopRecovery, type WhoopSleep, type WhoopWorkout } from './map';

/**
 * WHOOP's published limits per app. Its headers: `X-RateLimit-Limit: 100, 100;window=60,
 * 10000;window=86400` (the first number is the limit of the window nearest exhaustion, then
 * each window) with one `X-RateLimit-Remaining` and one `X-RateLimit-Reset` (seconds) for that
 * nearest window. So the minute window believes Remaining and Reset (when the day is the nearer
 * one they still say truly when the next request may go) and keeps its own limit; the day window
 * reads its limit from the third item and otherwise counts for itself. Fixed windows, so what
 * the headers say is kept until the reset they name.
 */
export const WHOOP_RATE_LIMITS: RateLimitPolicy = {
  windows: [
    { id: 'minute', limit: 100, spanMs: MINUTE_MS, kind: 'fixed', headers: { remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset' } },
    { id: 'day', limit: 10_000, spanMs: DAY_MS, kind: 'fixed', headers: { limit: 'x-ratelimit-limit', index: 2 } },
  ],
};

/** WHOOP's largest page. */
export const PAGE_LIMIT = 25;

/**
 * Each run reads again the records that started in the last days before the previous run: WHOOP
 * re-scores a recent sleep or recovery, and the in-progress cycle gains strain until it closes.
 * What comes back unchanged is a duplicate (same record, same version), never a new row.
 */
export const LOOKBACK_MS = 3 * 86_400_000;

/** Where one collection stands: `since` for the next run, `pending` while a run is paging. */
export interface WhoopCursor {
  since: string | null;
  pending: { start: string | null; end: string; nextToken: string } | null;
}

interface Collection<T> {
  records?: T[];
  next_token?: string | null;
}

/**
 * Each cycle's morning (map.ts Morning), from the sleeps this run read, so the cycles and
 * recoveries after them are read at it. Every collection is filtered by start and a cycle starts
 * when its sleep does, so a run's sleeps cover its cycles and recoveries; a resumed run, or a
 * recovery WHOOP re-scored later, asks WHOOP for the cycle's sleep, one request each. Keyed by
 * the run's HTTP client, so it lives exactly as long as the run.
 */
const morningsOfRun = new WeakMap<ProviderHttp, Map<number, Morning | null>>();
const runMornings = (http: ProviderHttp) => {
  let m = morningsOfRun.get(http);
  if (!m) morningsOfRun.set(http, (m = new Map()));
  return m;
};

async function cycleMorning(ctx: EndpointContext, cycleId: number): Promise<Morning | null> {
  const known = runMornings(ctx.http);
  if (known.has(cycleId)) return known.get(cycleId)!;
  // 404: no sleep opened this cycle (the band was not worn that night).
  const sleep = (await ctx.http.request({
    url: `${ctx.config.apiBase}/v2/cycle/${cycleId}/sleep`,
    classifyError: (status) => (status === 404 ? { kind: 'ok', body: null } : null),
  })) as WhoopSleep | null;
  const morning = sleep ? (morningOf(sleep)?.morning ?? null) : null;
  known.set(cycleId, morning);
  return morning;
}

function collection<T>(
  id: string,
  label: string,
  path: string,
  map: (records: T[], ctx: EndpointContext) => Promise<Pick<PageResult<WhoopCursor>, 'samples' | 'workouts'>>,
): Endpoint<WhoopCursor> {
  return {
    id,
    label,
    async page(cursor, ctx) {
      const pending = cursor?.pending ?? null;
      const since = cursor?.since ?? null;
      const start = pending ? pending.start : since === null ? null : new Date(Date.parse(since) - LOOKBACK_MS).toISOString();
      const end = pending?.end ?? new Date(ctx.runStartedSec * 1000).toISOString();
      const q = new URLSearchParams({ limit: String(PAGE_LIMIT) });
      if (start) q.set('start', start);
      q.set('end', end);
      if (pending) q.set('nextToken', pending.nextToken);
      const body = (await ctx.http.request({ url: `${ctx.config.apiBase}/v2/${path}?${q}` })) as Collection<T>;
      const records = Array.isArray(body?.records) ? body.records : [];
      const mapped = await map(records, ctx);
      const next = typeof body?.next_token === 'string' && body.next_token ? body.next_token : null;
      if (next && next === pending?.nextToken) throw new Error(`WHOOP gave the same next_token twice for ${label}`);
      return {
        ...mapped,
        more: next !== null,
        cursor: next ? { since, pending: { start, end, nextToken: next } } : { since: end, pending: null },
      };
    },
  };
}

/** The body endpoint's memory: the last measurements seen, so an unchanged profile adds nothing. */
interface BodyCursor {
  last: WhoopBody | null;
}

const bodyEndpoint: Endpoint<BodyCursor> = {
  id: 'body',
  label: 'body measurements',
  async page(cursor, ctx) {
    const body = (await ctx.http.request({ url: `${ctx.config.apiBase}/v2/user/measurement/body` })) as WhoopBody;
    const now: WhoopBody = { height_meter: body?.height_meter ?? null, weight_kilogram: body?.weight_kilogram ?? null, max_heart_rate: body?.max_heart_rate ?? null };
    const last = cursor?.last ?? null;
    const same = last !== null && last.height_meter === now.height_meter && last.weight_kilogram === now.weight_kilogram && last.max_heart_rate === now.max_heart_rate;
    return { samples: same ? [] : mapBody(now, ctx.runStartedSec * 1000), workouts: [], more: false, cursor: { last: now } };
  },
};

export const whoopAdapter: ProviderAdapter = {
  provider: 'whoop',
  endpoints: [
    collection<WhoopSleep>('sleep', 'sleeps', 'activity/sleep', async (records, ctx) => {
      const known = runMornings(ctx.http);
      for (const r of records) {
        const m = morningOf(r);
        if (m) known.set(m.cycleId, m.morning);
      }
      return { samples: records.flatMap(mapSleep), workouts: [] };
    }),
    collection<WhoopCycle>('cycles', 'cycles', 'cycle', async (records, ctx) => {
      const samples: SampleRecord[] = [];
      for (const c of records) {
        if (typeof c.id !== 'number' || !isScored(c)) continue;
        samples.push(...mapCycle(c, await cycleMorning(ctx, c.id)));
      }
      return { samples, workouts: [] };
    }),
    collection<WhoopRecovery>('recovery', 'recoveries', 'recovery', async (records, ctx) => {
      const samples: SampleRecord[] = [];
      for (const r of records) {
        if (typeof r.cycle_id !== 'number' || !isScored(r)) continue;
        samples.push(...mapRecovery(r, await cycleMorning(ctx, r.cycle_id)));
      }
      return { samples, workouts: [] };
    }),
    collection<WhoopWorkout>('workouts', 'workouts', 'activity/workout', async (records) => ({
      samples: [],
      workouts: records.flatMap((w) => {
        const m = mapWorkout(w);
        return m ? [m] : [];
      }),
    })),
    bodyEndpoint,
  ] as Endpoint[],
  rateLimits: WHOOP_RATE_LIMITS,
};
