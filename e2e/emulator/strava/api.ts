// The emulator's Strava module: its token endpoint (a client secret, rotation: the old refresh
// token dies at once, `athlete` with the code exchange), deauthorize, the authorize page's
// callback-domain check (localhost and 127.0.0.1 on any port, else the app's registered
// domain), and API v3: `/athlete/activities` (page/per_page, `after` ascending, else newest
// first), `/activities/{id}`, `/activities/{id}/streams`, `/athlete`. Strava's rate limits are
// enforced per app on the emulator's clock: overall 200 per 15 minutes and 2,000 a day, reads
// 100 and 1,000, windows reset at :00/:15/:30/:45 and at midnight UTC, reported on every answer
// in X-RateLimit-* and X-ReadRateLimit-*; a request over a limit gets 429 and is counted.
import type http from 'node:http';
import type { EmulatorHost, ProviderModule, Send } from '../server';
import { defaultStravaData, type EmuActivity, type StravaData } from './data';

const QUARTER = 15 * 60_000;
const DAY = 86_400_000;

export interface StravaLimits {
  overall: [number, number];
  read: [number, number];
}

export const STRAVA_DEFAULT_LIMITS: StravaLimits = { overall: [200, 2_000], read: [100, 1_000] };

export class StravaModule implements ProviderModule {
  limits: StravaLimits = { overall: [...STRAVA_DEFAULT_LIMITS.overall], read: [...STRAVA_DEFAULT_LIMITS.read] };
  /** The registered app's Authorization Callback Domain. */
  callbackDomain = 'oauth';
  /** Requests refused with 429 (the tests expect none). */
  tooMany = 0;
  /** The athlete unticked activity access on the consent page: activity endpoints answer 401 "permission missing". */
  activityAccessDeclined = false;
  private usage = { quarter: -1, day: -1, overall: [0, 0], read: [0, 0] };

  constructor(
    private readonly host: EmulatorHost,
    public data: StravaData = defaultStravaData(),
  ) {}

  /** Usage in the current windows, as the headers report it. */
  currentUsage(): { overall: [number, number]; read: [number, number] } {
    this.roll();
    return { overall: [this.usage.overall[0], this.usage.overall[1]], read: [this.usage.read[0], this.usage.read[1]] };
  }

  /** Another client of the same developer app made `reads` read requests in the current windows. */
  spend(reads: number): void {
    this.roll();
    this.usage.overall[0] += reads;
    this.usage.overall[1] += reads;
    this.usage.read[0] += reads;
    this.usage.read[1] += reads;
  }

  private roll(): void {
    const now = this.host.now();
    const q = Math.floor(now / QUARTER);
    const d = Math.floor(now / DAY);
    if (q !== this.usage.quarter) {
      this.usage.quarter = q;
      this.usage.overall[0] = 0;
      this.usage.read[0] = 0;
    }
    if (d !== this.usage.day) {
      this.usage.day = d;
      this.usage.overall[1] = 0;
      this.usage.read[1] = 0;
    }
  }

  private headers(): Record<string, string> {
    return {
      'x-ratelimit-limit': this.limits.overall.join(','),
      'x-ratelimit-usage': this.usage.overall.join(','),
      'x-readratelimit-limit': this.limits.read.join(','),
      'x-readratelimit-usage': this.usage.read.join(','),
    };
  }

  /** Counts one API request; false (and a 429 sent) when it is over a limit. */
  private admit(method: string, send: Send): boolean {
    this.roll();
    const u = this.usage;
    const l = this.limits;
    const read = method === 'GET';
    const over = u.overall[0] >= l.overall[0] || u.overall[1] >= l.overall[1] || (read && (u.read[0] >= l.read[0] || u.read[1] >= l.read[1]));
    if (over) {
      this.tooMany++;
      send(429, { message: 'Rate Limit Exceeded', errors: [{ resource: 'Application', field: 'rate limit', code: 'exceeded' }] }, this.headers());
      return false;
    }
    u.overall[0]++;
    u.overall[1]++;
    if (read) {
      u.read[0]++;
      u.read[1]++;
    }
    return true;
  }

  /** Strava's authorize page refuses a redirect outside the callback domain; localhost and 127.0.0.1 always pass. */
  checkAuthorize(q: URLSearchParams): string | null {
    let host: string;
    try {
      host = new URL(q.get('redirect_uri') ?? '').hostname;
    } catch {
      return 'redirect_uri invalid';
    }
    if (host === 'localhost' || host === '127.0.0.1' || host === this.callbackDomain || host.endsWith(`.${this.callbackDomain}`)) return null;
    return 'redirect_uri invalid: not within the application callback domain';
  }

  control(what: string, p: Record<string, string>): unknown {
    if (what === 'rate') return { ...this.currentUsage(), limits: this.limits, tooMany: this.tooMany };
    if (what === 'limits') {
      if (p.read) this.limits.read = p.read.split(',').map(Number) as [number, number];
      if (p.overall) this.limits.overall = p.overall.split(',').map(Number) as [number, number];
      return { limits: this.limits };
    }
    return null;
  }

  private summary(a: EmuActivity): Omit<EmuActivity, 'calories'> {
    const { calories: _omit, ...rest } = a;
    void _omit;
    return { ...rest, resource_state: 2 };
  }

  handle(sub: string, p: Record<string, string>, req: http.IncomingMessage, send: Send): void {
    const host = this.host;
    if (sub === '/oauth/token' && req.method === 'POST') {
      if (!host.clientAuth('strava', p, req)) return send(401, { message: 'Bad Request', errors: [{ resource: 'Application', field: 'client_id', code: 'invalid' }] });
      const g = host.grant('strava', p);
      if ('error' in g) return send(400, { message: 'Bad Request', errors: [{ resource: p.grant_type === 'refresh_token' ? 'RefreshToken' : 'AuthorizationCode', field: p.grant_type === 'refresh_token' ? 'refresh_token' : 'code', code: 'invalid' }] });
      const body: Record<string, unknown> = {
        token_type: 'Bearer',
        access_token: g.access,
        expires_at: Math.floor(host.now() / 1000) + host.accessTokenTtlSec,
        expires_in: host.accessTokenTtlSec,
        refresh_token: g.refresh,
      };
      if (p.grant_type === 'authorization_code') body.athlete = { id: Number(g.grant.userId), resource_state: 2, firstname: 'Emu', lastname: 'Athlete' };
      return send(200, body);
    }
    if (sub === '/oauth/deauthorize' && req.method === 'POST') {
      const token = p.access_token ?? req.headers.authorization?.replace(/^Bearer /, '');
      if (!token || !host.authorized('strava', req, { access_token: token })) return send(401, { message: 'Authorization Error' });
      host.revokeAll('strava');
      return send(200, { access_token: token });
    }
    if (!sub.startsWith('/api/v3/')) return send(404, { message: 'Record Not Found' });
    if (!this.admit(req.method ?? 'GET', send)) return;
    const h = this.headers();
    if (!host.authorized('strava', req, p)) return send(401, { message: 'Authorization Error', errors: [{ resource: 'Athlete', field: 'access_token', code: 'invalid' }] }, h);
    const path = sub.slice('/api/v3'.length);
    const acts = this.data.activities;
    if (this.activityAccessDeclined && /activities/.test(path)) {
      return send(401, { message: 'Authorization Error', errors: [{ resource: 'AccessToken', field: 'activity:read_permission', code: 'missing' }] }, h);
    }
    if (path === '/athlete') return send(200, { id: this.data.athleteId, resource_state: 3, firstname: 'Emu', lastname: 'Athlete' }, h);
    if (path === '/athlete/activities') {
      const perPage = Math.min(200, Math.max(1, Number(p.per_page ?? 30) || 30));
      const page = Math.max(1, Number(p.page ?? 1) || 1);
      const start = (a: EmuActivity) => Date.parse(a.start_date) / 1000;
      let list = [...acts];
      if (p.before) list = list.filter((a) => start(a) < Number(p.before));
      if (p.after) list = list.filter((a) => start(a) > Number(p.after));
      // Like Strava: ascending by start when `after` is given, newest first otherwise.
      list.sort((a, b) => (p.after ? start(a) - start(b) : start(b) - start(a)));
      return send(200, list.slice((page - 1) * perPage, page * perPage).map((a) => this.summary(a)), h);
    }
    const one = /^\/activities\/(\d+)(\/streams)?$/.exec(path);
    if (one) {
      const a = acts.find((x) => x.id === Number(one[1]));
      if (!a) return send(404, { message: 'Record Not Found', errors: [{ resource: 'Activity', field: 'id', code: 'not found' }] }, h);
      if (!one[2]) return send(200, a, h);
      const s = this.data.streams[a.id];
      const keys = (p.keys ?? '').split(',');
      const out: Record<string, unknown> = {};
      if (s) {
        const size = s.time.length;
        if (keys.includes('time')) out.time = { data: s.time, series_type: 'time', original_size: size, resolution: 'high' };
        if (keys.includes('heartrate')) out.heartrate = { data: s.heartrate, series_type: 'time', original_size: size, resolution: 'high' };
      }
      return send(200, p.key_by_type === 'true' ? out : Object.entries(out).map(([type, v]) => ({ type, ...(v as object) })), h);
    }
    return send(404, { message: 'Record Not Found' }, h);
  }
}
