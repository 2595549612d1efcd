// Withings: measures, daily activity, workouts and sleep, each an incremental stream keyed by
// `lastupdate` and paged with `more`/`offset`. Every API answer is HTTP 200 with {status, body};
// a non-zero status is the real outcome (401 token refused, 601 slow down, 503 bad parameters).
import type { SampleRecord } from '../../samples';
import type { Endpoint, EndpointContext, PageResult, ProviderAdapter } from '../../sync/adapter';
import type { Verdict } from '../../sync/http';
import { isMeasureRawType, isSleepRawType, mapActivity, mapMeasureGroups, mapSleepNight, mapWorkouts, MEASTYPES, type SleepNight, type SleepSegment } from './map';

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

/** A lastupdate/offset stream: the shared paging logic of every Withings endpoint. */
function stream(
  id: string,
  label: string,
  path: string,
  action: string,
  extra: Record<string, string>,
  map: (body: Record<string, unknown>, ctx: EndpointContext) => Promise<Omit<PageResult<WithingsCursor>, 'cursor' | 'more'>>,
  ownsType?: (rawType: string) => boolean,
): Endpoint<WithingsCursor> {
  return {
    id,
    label,
    ownsType,
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
        // The last page of a read from the start: everything Withings holds for this stream was seen.
        complete: !more && since === 0,
        cursor: more ? { lastupdate: cursor?.lastupdate ?? null, pending: { since, until, offset: nextOffset } } : { lastupdate: until, pending: null },
      };
    },
  };
}

export const withingsAdapter: ProviderAdapter = {
  provider: 'withings',
  endpoints: [
    stream(
      'measures',
      'measurements',
      '/measure',
      'getmeas',
      { meastypes: MEASTYPES, category: '1' },
      async (body) => ({ samples: mapMeasureGroups(body as Parameters<typeof mapMeasureGroups>[0]), workouts: [] }),
      isMeasureRawType,
    ),
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
      async (body) => ({ samples: [], workouts: mapWorkouts((body.series ?? []) as Parameters<typeof mapWorkouts>[0]) }),
    ),
    stream(
      'sleep',
      'nights of sleep',
      '/v2/sleep',
      'getsummary',
      { data_fields: 'sleep_score,hr_average,rr_average,total_sleep_time,deepsleepduration,lightsleepduration,remsleepduration,wakeupduration' },
      async (body, ctx) => {
        const nights = (body.series ?? []) as SleepNight[];
        const samples: SampleRecord[] = [];
        // Stages come from v2/sleep get, one night (under 24 h) at a time.
        for (const n of nights) {
          let segments: SleepSegment[] = [];
          if (typeof n.startdate === 'number' && typeof n.enddate === 'number' && n.enddate > n.startdate && n.enddate - n.startdate <= 86_400) {
            const detail = (await ctx.http.request({
              url: `${ctx.config.apiBase}/v2/sleep`,
              form: { action: 'get', startdate: String(n.startdate), enddate: String(n.enddate) },
              classify: withingsVerdict,
            })) as { series?: SleepSegment[] };
            segments = Array.isArray(detail.series) ? detail.series : [];
          }
          samples.push(...mapSleepNight(n, segments, ctx.homeZone));
        }
        return { samples, workouts: [] };
      },
      isSleepRawType,
    ),
  ] as Endpoint[],
};
