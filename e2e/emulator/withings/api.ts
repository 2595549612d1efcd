// The emulator's Withings module: Withings' own token, signature and revoke calls and its data
// endpoints, all HTTP 200 with a {status, body} envelope, `more`/`offset` paging and
// `lastupdate`. The OAuth state (codes, tokens, grants) is the emulator's, shared by every
// provider module (server.ts EmulatorHost).
import crypto from 'node:crypto';
import type http from 'node:http';
import type { EmulatorHost, ProviderModule, Send } from '../server';
import { segmentsOf, type MeasureGroup, type WithingsData } from './data';

const rand = (n = 20) => crypto.randomBytes(n).toString('hex');

export class WithingsModule implements ProviderModule {
  private readonly nonces = new Set<string>();

  constructor(
    private readonly host: EmulatorHost,
    public data: WithingsData,
  ) {}

  /**
   * The person edits a measure group in the Withings app: same `grpid`, new measures, a later
   * `modified`, so the next sync's `lastupdate` finds it again.
   */
  editMeasureGroup(grpid: number, measures: MeasureGroup['measures']): MeasureGroup {
    const g = this.data.measuregrps.find((x) => x.grpid === grpid);
    if (!g) throw new Error(`no measure group ${grpid}`);
    g.measures = measures;
    g.modified = Math.max(g.modified + 1, Math.floor(this.host.now() / 1000));
    return g;
  }

  /** `/_emulator/withings/<what>` controls (for tests that drive the emulator over HTTP). */
  control(what: string, p: Record<string, string>): unknown {
    if (what === 'edit') {
      const g = this.editMeasureGroup(Number(p.grpid), [{ value: Number(p.value), type: Number(p.type), unit: Number(p.unit ?? 0) }]);
      return { grpid: g.grpid, modified: g.modified };
    }
    return null;
  }

  handle(sub: string, p: Record<string, string>, req: http.IncomingMessage, send: Send): void {
    const host = this.host;
    const ok = (body: unknown) => send(200, { status: 0, body });
    const err = (status: number, error: string) => send(200, { status, error });
    if (sub === '/v2/oauth2') {
      if (p.action === 'requesttoken') {
        if (!host.clientAuth('withings', p, req)) return err(503, 'Invalid Params: invalid client_id or client_secret');
        const g = host.grant('withings', p);
        if ('error' in g) return err(503, `Invalid Params: invalid ${p.grant_type === 'refresh_token' ? 'refresh_token' : 'code'}`);
        return ok({ userid: g.grant.userId, access_token: g.access, refresh_token: g.refresh, expires_in: host.accessTokenTtlSec, scope: g.grant.scope, csrf_token: rand(8), token_type: 'Bearer' });
      }
      if (p.action === 'revoke') {
        const c = host.clients.withings;
        const expected = crypto.createHmac('sha256', c.clientSecret).update(['revoke', c.clientId, p.nonce ?? ''].join(',')).digest('hex');
        if (p.client_id !== c.clientId || p.signature !== expected || !this.nonces.delete(p.nonce ?? '')) return err(503, 'Invalid Params: invalid signature');
        host.revokeAll('withings');
        return ok({});
      }
      return err(2554, 'Unknown action');
    }
    if (sub === '/v2/signature' && p.action === 'getnonce') {
      const c = host.clients.withings;
      const expected = crypto.createHmac('sha256', c.clientSecret).update(['getnonce', c.clientId, p.timestamp ?? ''].join(',')).digest('hex');
      if (p.client_id !== c.clientId || p.signature !== expected) return err(503, 'Invalid Params: invalid signature');
      const nonce = rand(16);
      this.nonces.add(nonce);
      return ok({ nonce });
    }
    const grant = host.authorized('withings', req, p);
    if (!grant) return err(401, 'XRequestID: Not provided invalid_token: The access token provided is invalid');
    const since = Number(p.lastupdate ?? 0);
    const offset = Number(p.offset ?? 0);
    const page = <T extends { modified: number }>(all: T[]) => {
      const fresh = all.filter((x) => x.modified >= since).sort((a, b) => a.modified - b.modified);
      const items = fresh.slice(offset, offset + host.pageSize);
      const more = offset + host.pageSize < fresh.length;
      return { items, more, offset: more ? offset + host.pageSize : 0 };
    };
    const d = this.data;
    if (sub === '/measure' && p.action === 'getmeas') {
      let groups = d.measuregrps;
      if (p.category) groups = groups.filter((g) => String(g.category) === p.category);
      // Like Withings, only the asked-for meastypes come back; a group left with none is left out.
      if (p.meastypes) {
        const asked = new Set(p.meastypes.split(',').map(Number));
        groups = groups.map((g) => ({ ...g, measures: g.measures.filter((m) => asked.has(m.type)) })).filter((g) => g.measures.length > 0);
      }
      const pg = page(groups);
      return ok({ updatetime: Math.floor(host.now() / 1000), timezone: d.timezone, measuregrps: pg.items, more: pg.more ? 1 : 0, offset: pg.offset });
    }
    if (sub === '/v2/measure' && p.action === 'getactivity') {
      const pg = page(d.activities);
      return ok({ activities: pg.items, more: pg.more, offset: pg.offset });
    }
    if (sub === '/v2/measure' && p.action === 'getworkouts') {
      const pg = page(d.workouts);
      return ok({ series: pg.items, more: pg.more, offset: pg.offset });
    }
    if (sub === '/v2/sleep' && p.action === 'getsummary') {
      const pg = page(d.sleep);
      return ok({ series: pg.items, more: pg.more, offset: pg.offset });
    }
    if (sub === '/v2/sleep' && p.action === 'get') {
      const start = Number(p.startdate);
      const end = Number(p.enddate);
      if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start || end - start > 86_400) return err(503, 'Invalid Params: startdate/enddate');
      return ok({ series: segmentsOf(d, { startdate: start, enddate: end }), model: 32 });
    }
    return err(2554, 'Unknown action');
  }
}
