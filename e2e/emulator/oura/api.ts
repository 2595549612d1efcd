// The emulator's Oura module: the standard token and revoke calls (refresh tokens single-use,
// as at Oura) and the /v2/usercollection/ collections with Oura's {data, next_token} envelope.
// What it holds VitalSync to, as Oura does: a next_token page asked for with dates beside the
// token is a 422; heart rate takes start_datetime/end_datetime at most 30 days apart, both
// bounds inclusive; a collection outside the granted scopes is a 403 "Missing Scopes", and so is
// every collection once the account's membership has expired (a 403 that says so). Errors are
// RFC 7807 bodies ({status, title, detail}). The OAuth state is the emulator's (server.ts).
import type http from 'node:http';
import type { EmulatorHost, ProviderModule, Send } from '../server';
import type { OuraData } from './data';

/** Which scope each collection needs. */
export const OURA_SCOPES: Record<string, string> = {
  daily_activity: 'daily',
  sleep: 'daily',
  daily_sleep: 'daily',
  daily_readiness: 'daily',
  daily_spo2: 'spo2',
  workout: 'workout',
  heartrate: 'heartrate',
  personal_info: 'personal',
};

const DATE_PARAMS = ['start_date', 'end_date', 'start_datetime', 'end_datetime'];
const MAX_HEARTRATE_MS = 30 * 86_400_000;

export class OuraModule implements ProviderModule {
  /** The person's Oura membership ran out: every collection answers 403. */
  membershipExpired = false;

  constructor(
    private readonly host: EmulatorHost,
    public data: OuraData,
  ) {}

  control(what: string, p: Record<string, string>): unknown {
    if (what === 'membership') {
      this.membershipExpired = p.expired === '1' || p.expired === 'true';
      return { expired: this.membershipExpired };
    }
    return null;
  }

  handle(sub: string, p: Record<string, string>, req: http.IncomingMessage, send: Send): void {
    const host = this.host;
    const problem = (status: number, title: string, detail: unknown) => send(status, { status, title, detail });
    if (sub === '/oauth/token') {
      if (!host.clientAuth('oura', p, req)) return send(401, { error: 'invalid_client' });
      const g = host.grant('oura', p);
      if ('error' in g) return send(400, { error: g.error });
      return send(200, { access_token: g.access, refresh_token: g.refresh, expires_in: host.accessTokenTtlSec, token_type: 'bearer', scope: g.grant.scope, user_id: g.grant.userId });
    }
    if (sub === '/oauth/revoke') {
      if (!host.authorized('oura', req, p)) return send(401, { error: 'invalid_token' });
      host.revokeAll('oura');
      return send(200, {});
    }
    const m = /^\/v2\/usercollection\/(\w+)$/.exec(sub);
    if (!m || !(m[1] in OURA_SCOPES)) return problem(404, 'Not Found', `no route ${sub}`);
    const collection = m[1];
    const grant = host.authorized('oura', req, p);
    if (!grant) return problem(401, 'Unauthorized', 'Access token not provided or is invalid.');
    const scope = OURA_SCOPES[collection];
    if (grant.scope !== 'all' && !grant.scope.split(/[\s,]+/).includes(scope)) {
      return problem(403, 'Missing Scopes', `Missing required scopes. Your token must have the scopes: ${scope}`);
    }
    if (this.membershipExpired) return problem(403, 'Forbidden', "The user's Oura membership has expired; their data is not available via the API.");

    let query: Record<string, string>;
    let offset = 0;
    if (p.next_token !== undefined) {
      const dates = DATE_PARAMS.filter((k) => p[k] !== undefined);
      if (dates.length) return send(422, { detail: dates.map((k) => ({ loc: ['query', k], msg: 'next_token cannot be combined with dates', type: 'value_error' })) });
      try {
        const t = JSON.parse(Buffer.from(p.next_token, 'base64url').toString()) as { c: string; q: Record<string, string>; o: number };
        if (t.c !== collection) throw new Error('another collection');
        query = t.q;
        offset = t.o;
      } catch {
        return problem(400, 'Bad Request', 'invalid next_token');
      }
    } else query = Object.fromEntries(DATE_PARAMS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));

    let rows: unknown[];
    if (collection === 'personal_info') return send(200, { id: grant.userId, age: 35, weight: 70, height: 1.75, biological_sex: 'female', email: null });
    if (collection === 'heartrate') {
      const end = query.end_datetime ? Date.parse(query.end_datetime) : host.now();
      const start = query.start_datetime ? Date.parse(query.start_datetime) : end - 86_400_000;
      if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return problem(400, 'Bad Request', 'start_datetime and end_datetime must be date-times, start first');
      if (end - start > MAX_HEARTRATE_MS) return problem(400, 'Bad Request', 'start_datetime and end_datetime can be at most 30 days apart');
      // Both bounds inclusive, as at Oura.
      rows = this.data.heartrate.filter((r) => Date.parse(r.timestamp) >= start && Date.parse(r.timestamp) <= end).sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    } else {
      const end = query.end_date ?? new Date(host.now()).toISOString().slice(0, 10);
      const start = query.start_date ?? new Date(Date.parse(`${end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const list = this.data[collection as Exclude<keyof OuraData, 'heartrate'>];
      rows = list.filter((r) => typeof r.day === 'string' && r.day >= start && r.day <= end);
    }
    const items = rows.slice(offset, offset + host.pageSize);
    const more = offset + host.pageSize < rows.length;
    const next_token = more ? Buffer.from(JSON.stringify({ c: collection, q: query, o: offset + host.pageSize })).toString('base64url') : null;
    return send(200, { data: items, next_token });
  }
}
