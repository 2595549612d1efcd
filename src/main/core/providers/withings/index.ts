// Withings: measures, daily activity, workouts and sleep, each an incremental stream keyed by
// `lastupdate` and paged with `more`/`offset`. Every API answer is HTTP 200 with {status, body};
// a non-zero status is the real outcome (401 token refused, 601 slow down, 503 bad parameters).
import type { Endpoint, EndpointContext, PageResult, ProviderAdapter } from '../../sync/adapter';
import type { Verdict } from '../../sync/http';
import { zoneOffsetMin } from '../zone';
import { mapActivity, mapMeasureGroups, mapSleepStages, mapSleepSummary, mapWorkouts, MEASTYPES } from './map';

/** Where one stream stands: `lastupdate` for the next run, `pending` while a run is paging. */
export interface WithingsCursor {
  lastupdate: number | null;
  pending: { since: number; until: number; offset: number } | null;
}

const AUTH_FAILED = new Set([100, 101, 102, 200, 401]);
const TRANSIENT = new Set([2554, 2555, 500, 501, 502, 504, 522]);

/** Reads the {status, body} envelope. */
export function withingsVerdict(json: unknown): Verdict {
  const env = json as { status?: unknown; body?: unknown; error?: unknown } | null;
  if (!env || typeof env.status !== 'number') return { kind: 'fail', message: 'Withings answered without a status. VitalSync will try again at the next sync.' };
  if (env.status === 0) return { kind: 'ok', body: env.body ?? {} };
  if (env.status === 601) return { kind: 'retry' };
  if (AUTH_FAILED.has(env.status)) return { kind: 'unauthorized' };
  if (TRANSIENT.has(env.status)) return { kind: 'retry' };
  return { kind: 'fail', message: `Withings refused VitalSync's request (status ${env.status}${env.status === 503 ? ': invalid parameters' : ''}).` };
}

const homeOffsetFn = (ctx: EndpointContext) => (ms: number) => zoneOffsetMin(ctx.homeZone, ms) ?? 0;

/** A lastupdate/offset stream: the shared paging logic of every Withings endpoint. */
function stream(
  id: string,
  label: string,
  path: string,
  action: string,
  extra: Record<string, string>,
  map: (body: Record<string, unknown>, ctx: EndpointContext) => Promise<Omit<PageResult<WithingsCursor>, 'cursor' | 'more'>>,
): Endpoint<WithingsCursor> {
  return {
    id,
    label,
    async page(cursor, ctx) {
      const since = cursor?.pending?.since ?? cursor?.lastupdate ?? 0;
      const until = cursor?.pending?.until ?? ctx.runStartedSec;
      const offset = cursor?.pending?.offset ?? 0;
      const form: Record<string, string> = { action, lastupdate: String(since), ...extra };
      if (offset > 0) form.offset = String(offset);
      const body = (await ctx.http.request({ url: `${ctx.config.apiBase}${path}`, form, classify: withingsVerdict })) as Record<string, unknown>;
      const mapped = await map(body, ctx);
      const more = body.more === true || body.more === 1 || body.more === '1';
      const nextOffset = Number(body.offset);
      if (more && (!Number.isFinite(nextOffset) || nextOffset <= offset)) {
        throw new Error(`Withings said more ${label} follow but gave no further offset`);
      }
      return {
        ...mapped,
        more,
        cursor: more ? { lastupdate: cursor?.lastupdate ?? null, pending: { since, until, offset: nextOffset } } : { lastupdate: until, pending: null },
      };
    },
  };
}

export const withingsAdapter: ProviderAdapter = {
  provider: 'withings',
  endpoints: [
    stream('measures', 'measurements', '/measure', 'getmeas', { meastypes: MEASTYPES, category: '1' }, async (body, ctx) => ({
      samples: mapMeasureGroups(body as Parameters<typeof mapMeasureGroups>[0], homeOffsetFn(ctx)),
      workouts: [],
    })),
    stream(
      'activity',
      'daily activity',
      '/v2/measure',
      'getactivity',
      { data_fields: 'steps,distance,elevation,soft,moderate,intense,calories,totalcalories' },
      async (body, ctx) => ({ samples: mapActivity((body.activities ?? []) as Parameters<typeof mapActivity>[0], ctx.homeZone), workouts: [] }),
    ),
    stream(
      'workouts',
      'workouts',
      '/v2/measure',
      'getworkouts',
      { data_fields: 'calories,intensity,manual_distance,manual_calories,hr_average,hr_min,hr_max,pause_duration,steps,distance,elevation' },
      async (body, ctx) => ({ samples: [], workouts: mapWorkouts((body.series ?? []) as Parameters<typeof mapWorkouts>[0], homeOffsetFn(ctx)) }),
    ),
    stream(
      'sleep',
      'nights of sleep',
      '/v2/sleep',
      'getsummary',
      { data_fields: 'sleep_score,hr_average,rr_average,total_sleep_time,deepsleepduration,lightsleepduration,remsleepduration,wakeupduration' },
      async (body, ctx) => {
        const nights = (body.series ?? []) as { startdate?: number; enddate?: number; timezone?: string }[];
        const samples = mapSleepSummary(nights as Parameters<typeof mapSleepSummary>[0], homeOffsetFn(ctx));
        // Stages come from v2/sleep get, one night (under 24 h) at a time.
        for (const n of nights) {
          if (typeof n.startdate !== 'number' || typeof n.enddate !== 'number' || n.enddate <= n.startdate || n.enddate - n.startdate > 86_400) continue;
          const detail = (await ctx.http.request({
            url: `${ctx.config.apiBase}/v2/sleep`,
            form: { action: 'get', startdate: String(n.startdate), enddate: String(n.enddate) },
            classify: withingsVerdict,
          })) as { series?: Parameters<typeof mapSleepStages>[0] };
          samples.push(...mapSleepStages(detail.series ?? [], n.timezone, homeOffsetFn(ctx)));
        }
        return { samples, workouts: [] };
      },
    ),
  ] as Endpoint[],
};
