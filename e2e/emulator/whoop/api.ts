// The emulator's WHOOP module (API v2 under /developer/v2): its token endpoint (client secret on
// the exchange and on the refresh; a refresh token only when the grant has scope `offline`), the
// revoke call, and the collections, newest first, `limit` at most 25 (more is a 400), paged by
// the request parameter `nextToken` with the answer's `next_token` (the other spelling in a
// request is ignored, as an unknown parameter). Per app: 100 requests a minute and 10,000 a day,
// announced in X-RateLimit-* headers on every API answer and refused with 429 past the limit.
// The OAuth state (codes, tokens, grants) is the emulator's (server.ts EmulatorHost).
import type http from 'node:http';
import type { EmulatorHost, ProviderModule, Send } from '../server';
import { defaultWhoopData, type WhoopData } from './data';

export interface WhoopLimits {
  perMinute: number;
  perDay: number;
}

const API = '/developer/v2';

const token = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
const untoken = (t: string): number | null => {
  const m = /^o:(\d+)$/.exec(Buffer.from(t, 'base64url').toString());
  return m ? Number(m[1]) : null;
};

export class WhoopModule implements ProviderModule {
  limits: WhoopLimits = { perMinute: 100, perDay: 10_000 };
  /** API request times per client id (ms, the emulator's clock). */
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly host: EmulatorHost,
    public data: WhoopData = defaultWhoopData(),
  ) {}

  control(what: string, p: Record<string, string>): unknown {
    if (what === 'limits') {
      if (p.perMinute) this.limits.perMinute = Number(p.perMinute);
      if (p.perDay) this.limits.perDay = Number(p.perDay);
      return this.limits;
    }
    return null;
  }

  /** Counts this call against the app's windows; the headers to send, and whether it is refused. */
  private rate(clientId: string): { headers: Record<string, string>; refused: boolean } {
    const now = this.host.now();
    const all = (this.calls.get(clientId) ?? []).filter((t) => t > now - 86_400_000);
    const minute = all.filter((t) => t > now - 60_000);
    const refused = minute.length >= this.limits.perMinute || all.length >= this.limits.perDay;
    if (!refused) {
      all.push(now);
      minute.push(now);
    }
    this.calls.set(clientId, all);
    const leftMinute = Math.max(0, this.limits.perMinute - minute.length);
    const leftDay = Math.max(0, this.limits.perDay - all.length);
    const dayBound = leftDay === 0 || (leftDay < leftMinute && !refused);
    const resetMs = dayBound ? (all[0] ?? now) + 86_400_000 - now : (minute[0] ?? now) + 60_000 - now;
    const reset = String(Math.max(1, Math.ceil(resetMs / 1000)));
    const headers: Record<string, string> = {
      'x-ratelimit-limit': `${this.limits.perMinute}, ${this.limits.perMinute};window=60, ${this.limits.perDay};window=86400`,
      'x-ratelimit-remaining': String(Math.min(leftMinute, leftDay)),
      'x-ratelimit-reset': reset,
    };
    if (refused) headers['retry-after'] = reset;
    return { headers, refused };
  }

  handle(sub: string, p: Record<string, string>, req: http.IncomingMessage, send: Send): void {
    const host = this.host;
    if (sub === '/oauth/oauth2/token') {
      if (!host.clientAuth('whoop', p, req)) return send(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
      const g = host.grant('whoop', p);
      if ('error' in g) return send(400, { error: g.error });
      const offline = g.grant.scope.split(/[\s+]+/).includes('offline');
      const body: Record<string, unknown> = { access_token: g.access, expires_in: host.accessTokenTtlSec, scope: g.grant.scope, token_type: 'bearer', user_id: g.grant.userId };
      // WHOOP hands out a refresh token only to a grant with scope `offline`.
      if (offline) body.refresh_token = g.refresh;
      return send(200, body);
    }
    if (!sub.startsWith(`${API}/`)) return send(404, { error: 'not_found', path: sub });
    const grant = host.authorized('whoop', req, p);
    if (!grant) return send(401, { error: 'invalid_token', message: 'Authorization was not valid' });
    const rate = this.rate(grant.clientId);
    if (rate.refused) return send(429, { error: 'too_many_requests', message: 'Rate limit exceeded' }, rate.headers);
    const ok = (body: unknown) => send(200, body, rate.headers);
    const path = sub.slice(API.length);

    if (path === '/user/access' && req.method === 'DELETE') {
      host.revokeAll('whoop');
      return send(204, null, rate.headers);
    }
    const d = this.data;
    if (path === '/user/profile/basic') return ok({ user_id: d.userId, email: 'member@example.com', first_name: 'Sam', last_name: 'Member' });
    if (path === '/user/measurement/body') return ok(d.body);
    const one = /^\/cycle\/(\d+)$/.exec(path);
    if (one) {
      const c = d.cycles.find((x) => x.id === Number(one[1]));
      return c ? ok(c) : send(404, { error: 'not_found' }, rate.headers);
    }
    // The sleep that opened a cycle (never a nap); 404 when the band was not worn that night.
    const ofCycle = /^\/cycle\/(\d+)\/sleep$/.exec(path);
    if (ofCycle) {
      const s = d.sleeps.find((x) => x.cycle_id === Number(ofCycle[1]) && !x.nap);
      return s ? ok(s) : send(404, { error: 'not_found' }, rate.headers);
    }
    const cycleStart = new Map(d.cycles.map((c) => [c.id, c.start]));
    // Each collection as (record, its start); a recovery has no time of its own: its cycle's
    // start (when its cycle is gone, when it was scored).
    const lists: Record<string, () => { rec: unknown; start: string }[]> = {
      '/cycle': () => d.cycles.map((rec) => ({ rec, start: rec.start })),
      '/recovery': () => d.recoveries.map((rec) => ({ rec, start: cycleStart.get(rec.cycle_id) ?? rec.created_at })),
      '/activity/sleep': () => d.sleeps.map((rec) => ({ rec, start: rec.start })),
      '/activity/workout': () => d.workouts.map((rec) => ({ rec, start: rec.start })),
    };
    const list = lists[path];
    if (!list || req.method !== 'GET') return send(404, { error: 'not_found', path: sub }, rate.headers);
    const limit = p.limit === undefined ? 10 : Number(p.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 25) return send(400, { error: 'bad_request', message: 'limit must be between 1 and 25' }, rate.headers);
    const from = p.start ? Date.parse(p.start) : -Infinity;
    const to = p.end ? Date.parse(p.end) : Infinity;
    if (Number.isNaN(from) || Number.isNaN(to)) return send(400, { error: 'bad_request', message: 'start and end must be date-times' }, rate.headers);
    let offset = 0;
    if (p.nextToken !== undefined) {
      const o = untoken(p.nextToken);
      if (o === null) return send(400, { error: 'bad_request', message: 'invalid nextToken' }, rate.headers);
      offset = o;
    }
    const matching = list()
      .map((x) => ({ rec: x.rec, t: Date.parse(x.start) }))
      .filter((x) => x.t >= from && x.t < to)
      .sort((a, b) => b.t - a.t)
      .map((x) => x.rec);
    const records = matching.slice(offset, offset + limit);
    const more = offset + limit < matching.length;
    return ok({ records, next_token: more ? token(offset + limit) : null });
  }
}
