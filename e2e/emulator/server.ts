// The provider emulator: one HTTP server on 127.0.0.1 that speaks the real OAuth endpoints of
// Withings, Oura, WHOOP and Strava (an authorize page that approves or denies, code exchange,
// refresh with rotation and expiry, revoke). Each provider's own API lives in a module folder
// beside this file (withings/: its token calls and data endpoints with their {status, body}
// envelope, `more`/`offset` paging and `lastupdate`); this file holds what they share: the
// OAuth state, request logging and faults on demand (429 with Retry-After, 5xx, slow or
// hanging answers, expired or revoked tokens, Withings statuses such as 401, 601 or 503 inside
// HTTP 200). Test infrastructure: used by vitest, Playwright and standalone
// (`tsx e2e/emulator/main.ts`).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OuraModule } from './oura/api';
import { defaultOuraData, type OuraData } from './oura/data';
import { WhoopModule } from './whoop/api';
import { defaultWhoopData, type WhoopData } from './whoop/data';
import { StravaModule } from './strava/api';
import { defaultStravaData, type StravaData } from './strava/data';
import { WithingsModule } from './withings/api';
import { defaultWithingsData, type WithingsData } from './withings/data';

export type Provider = 'withings' | 'oura' | 'whoop' | 'strava';
export const PROVIDERS: Provider[] = ['withings', 'oura', 'whoop', 'strava'];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BOUNCE_DIR = path.join(ROOT, 'resources', 'oauth-bounce');

export interface Fault {
  provider?: Provider;
  /** Path under the provider, e.g. "/measure" or "/v2/oauth2". Omit to match any. */
  path?: string;
  /** Withings `action` (getmeas, requesttoken…). */
  action?: string;
  /** Other request parameters that must match (e.g. { offset: '4' }). */
  params?: Record<string, string>;
  kind: 'http' | 'withings-status' | 'delay' | 'hang' | 'drop';
  status?: number;
  retryAfter?: string;
  ms?: number;
  /** How many matching requests it affects (default 1). */
  times?: number;
}

export interface LoggedRequest {
  provider: Provider | null;
  path: string;
  method: string;
  params: Record<string, string>;
  at: number;
  /** What the emulator answered (HTTP status, and Withings status when enveloped). */
  httpStatus: number;
  apiStatus: number | null;
}

export interface Grant {
  provider: Provider;
  clientId: string;
  userId: string;
  scope: string;
}

interface CodeRecord extends Grant {
  redirectUri: string;
  challenge: string | null;
  expiresAt: number;
  used: boolean;
}

export interface AccessRecord extends Grant {
  expiresAt: number;
  revoked: boolean;
  /** Withings: the refresh token that produced it stays valid until this token is first used. */
  parentRefresh: string | null;
}

interface RefreshRecord extends Grant {
  revoked: boolean;
  /** Oura, WHOOP: single use. Withings: dies once the access token issued with its successor is used. */
  used: boolean;
}

export interface EmulatorOptions {
  port?: number;
  /** Items per page on every paged endpoint. */
  pageSize?: number;
  accessTokenTtlSec?: number;
  /** Registered developer apps: provider → client id/secret. */
  clients?: Partial<Record<Provider, { clientId: string; clientSecret: string }>>;
  withings?: WithingsData;
  /** The Strava athlete's activities (default: strava/data.ts). */
  strava?: StravaData;
  /** The WHOOP account's data (default: whoop/data.ts). */
  whoop?: WhoopData;
  /** The Oura account's data (default: three days ending the emulator's yesterday). */
  oura?: OuraData;
  now?: () => number;
}

export type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

/** What a provider module gets from the emulator: the shared OAuth state and settings. */
export type EmulatorHost = Pick<ProviderEmulator, 'clients' | 'pageSize' | 'accessTokenTtlSec' | 'now' | 'clientAuth' | 'grant' | 'authorized' | 'revokeAll'>;

/** A provider's own API (data endpoints, and its token calls where they are not standard OAuth). */
export interface ProviderModule {
  handle(sub: string, params: Record<string, string>, req: http.IncomingMessage, send: Send): void;
  /** `/_emulator/<provider>/<what>` controls; null when it knows no such control. */
  control?(what: string, params: Record<string, string>): unknown;
  /** The provider's own refusal of an authorize request (Strava's callback domain), or null. */
  checkAuthorize?(query: URLSearchParams): string | null;
}

export const DEFAULT_CLIENTS: Record<Provider, { clientId: string; clientSecret: string }> = {
  withings: { clientId: 'emu-withings-client', clientSecret: 'emu-withings-secret-6f1d' },
  oura: { clientId: 'emu-oura-client', clientSecret: 'emu-oura-secret-77aa' },
  whoop: { clientId: 'emu-whoop-client', clientSecret: 'emu-whoop-secret-1b2c' },
  strava: { clientId: '4242', clientSecret: 'emu-strava-secret-9e9e' },
};

const rand = (n = 20) => crypto.randomBytes(n).toString('hex');
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class ProviderEmulator {
  readonly requests: LoggedRequest[] = [];
  private faults: Fault[] = [];
  private codes = new Map<string, CodeRecord>();
  private access = new Map<string, AccessRecord>();
  private refresh = new Map<string, RefreshRecord>();
  private server: http.Server | null = null;
  private hanging = new Set<http.ServerResponse>();
  readonly clients: Record<Provider, { clientId: string; clientSecret: string }>;
  /** Withings' API and its account's data. */
  readonly withingsApi: WithingsModule;
  /** Strava's API v3, its rate limits (per app, on the emulator's clock) and its athlete's activities. */
  readonly stravaApi: StravaModule;
  /** WHOOP's API (v2), its rate limits and its account's data. */
  readonly whoopApi: WhoopModule;
  /** Oura's API and its account's data. */
  readonly ouraApi: OuraModule;
  private readonly modules: Partial<Record<Provider, ProviderModule>>;
  pageSize: number;
  accessTokenTtlSec: number;
  port = 0;
  /** Fixed user ids, so a reconnect finds the same account. */
  readonly userIds: Record<Provider, string> = { withings: '31415926', oura: 'oura-user-1', whoop: '10129', strava: '271828' };

  constructor(private readonly opts: EmulatorOptions = {}) {
    this.clients = { ...DEFAULT_CLIENTS, ...opts.clients };
    this.withingsApi = new WithingsModule(this, opts.withings ?? defaultWithingsData());
    this.ouraApi = new OuraModule(this, opts.oura ?? defaultOuraData(new Date(this.now() - 86_400_000).toISOString().slice(0, 10)));
    this.whoopApi = new WhoopModule(this, opts.whoop ?? defaultWhoopData());
    this.modules = { withings: this.withingsApi, oura: this.ouraApi, whoop: this.whoopApi };
    this.stravaApi = new StravaModule(this, opts.strava ?? defaultStravaData());
    this.modules.strava = this.stravaApi;
    this.pageSize = opts.pageSize ?? 200;
    this.accessTokenTtlSec = opts.accessTokenTtlSec ?? 10_800;
  }

  /** The emulator's clock (ms). */
  now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  /** The Withings account's data (tests change it between syncs). */
  get withings(): WithingsData {
    return this.withingsApi.data;
  }

  /** The Oura account's data (tests change it between syncs). */
  get oura(): OuraData {
    return this.ouraApi.data;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`emulator error: ${String(err)}`);
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeAllConnections();
    this.server = null;
  }

  /** The VITALSYNC_* variables that point the app at this emulator. */
  env(opts: { withClients?: boolean } = {}): Record<string, string> {
    const e: Record<string, string> = {};
    for (const p of PROVIDERS) {
      const P = `VITALSYNC_${p.toUpperCase()}_`;
      const ep = this.endpoints(p);
      e[`${P}AUTH_URL`] = ep.authUrl;
      e[`${P}TOKEN_URL`] = ep.tokenUrl;
      e[`${P}API_BASE`] = ep.apiBase;
      if (opts.withClients) {
        e[`${P}CLIENT_ID`] = this.clients[p].clientId;
        e[`${P}CLIENT_SECRET`] = this.clients[p].clientSecret;
      }
    }
    e.VITALSYNC_WITHINGS_BOUNCE_URL = `${this.url}/withings/bounce/`;
    return e;
  }

  endpoints(p: Provider): { authUrl: string; tokenUrl: string; apiBase: string } {
    const b = `${this.url}/${p}`;
    switch (p) {
      case 'withings':
        return { authUrl: `${b}/oauth2_user/authorize2`, tokenUrl: `${b}/v2/oauth2`, apiBase: b };
      case 'oura':
        return { authUrl: `${b}/oauth/authorize`, tokenUrl: `${b}/oauth/token`, apiBase: b };
      case 'whoop':
        return { authUrl: `${b}/oauth/oauth2/auth`, tokenUrl: `${b}/oauth/oauth2/token`, apiBase: `${b}/developer` };
      case 'strava':
        return { authUrl: `${b}/oauth/authorize`, tokenUrl: `${b}/oauth/token`, apiBase: `${b}/api/v3` };
    }
  }

  // ---- controls -------------------------------------------------------------------------

  fault(f: Fault): void {
    this.faults.push({ times: 1, ...f });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The person revoked VitalSync's access on the provider's site. */
  revokeAll(provider: Provider): void {
    for (const a of this.access.values()) if (a.provider === provider) a.revoked = true;
    for (const r of this.refresh.values()) if (r.provider === provider) r.revoked = true;
  }

  /** Every access token of a provider expires now (refresh tokens stay valid). */
  expireAccessTokens(provider: Provider): void {
    for (const a of this.access.values()) if (a.provider === provider) a.expiresAt = this.now() - 1;
  }

  /** Issues tokens without the browser dance (for tests that start already connected). */
  issueTokens(provider: Provider, expiresInSec = this.accessTokenTtlSec): { accessToken: string; refreshToken: string; userId: string } {
    const grant: Grant = { provider, clientId: this.clients[provider].clientId, userId: this.userIds[provider], scope: 'all' };
    const refreshToken = rand();
    this.refresh.set(refreshToken, { ...grant, revoked: false, used: false });
    const accessToken = rand();
    this.access.set(accessToken, { ...grant, expiresAt: this.now() + expiresInSec * 1000, revoked: false, parentRefresh: null });
    return { accessToken, refreshToken, userId: grant.userId };
  }

  count(filter: Partial<Pick<LoggedRequest, 'provider' | 'path'>> & { action?: string; grantType?: string }): number {
    return this.requests.filter(
      (r) =>
        (filter.provider === undefined || r.provider === filter.provider) &&
        (filter.path === undefined || r.path === filter.path) &&
        (filter.action === undefined || r.params.action === filter.action) &&
        (filter.grantType === undefined || r.params.grant_type === filter.grantType),
    ).length;
  }

  /** Every token and secret this emulator ever issued or holds (for leak scans). */
  secrets(): string[] {
    return [...this.access.keys(), ...this.refresh.keys(), ...this.codes.keys(), ...Object.values(this.clients).map((c) => c.clientSecret)];
  }

  // ---- plumbing -------------------------------------------------------------------------

  private async readParams(req: http.IncomingMessage, url: URL): Promise<Record<string, string>> {
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (req.method === 'POST' || req.method === 'DELETE') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const type = req.headers['content-type'] ?? '';
      if (text && type.includes('json')) Object.assign(params, JSON.parse(text) as Record<string, string>);
      else if (text) Object.assign(params, Object.fromEntries(new URLSearchParams(text)));
    }
    return params;
  }

  private takeFault(provider: Provider | null, sub: string, params: Record<string, string>): Fault | null {
    const i = this.faults.findIndex(
      (f) =>
        (!f.provider || f.provider === provider) &&
        (!f.path || f.path === sub) &&
        (!f.action || f.action === params.action) &&
        Object.entries(f.params ?? {}).every(([k, v]) => params[k] === v),
    );
    if (i < 0) return null;
    const f = this.faults[i];
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const m = /^\/(withings|oura|whoop|strava)(\/.*)?$/.exec(url.pathname);
    const provider = (m?.[1] as Provider | undefined) ?? null;
    const sub = m?.[2] ?? url.pathname;
    const params = await this.readParams(req, url);
    const log: LoggedRequest = { provider, path: sub, method: req.method ?? 'GET', params, at: this.now(), httpStatus: 200, apiStatus: null };
    this.requests.push(log);
    const send: Send = (status, body, headers = {}) => {
      log.httpStatus = status;
      if (body && typeof body === 'object' && 'status' in body && typeof (body as { status: unknown }).status === 'number') log.apiStatus = (body as { status: number }).status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };

    if (url.pathname.startsWith('/_emulator/')) return this.control(url.pathname, params, send);
    if (!provider) return send(404, { error: 'not_found' });

    const fault = this.takeFault(provider, sub, params);
    if (fault) {
      if (fault.kind === 'hang') {
        this.hanging.add(res);
        return;
      }
      if (fault.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms ?? 1000));
      if (fault.kind === 'http') return send(fault.status ?? 500, { error: 'emulated_fault' }, fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {});
      if (fault.kind === 'withings-status') return send(200, { status: fault.status ?? 601, error: `emulated status ${fault.status ?? 601}` });
    }

    if (req.method === 'GET' && /^\/(oauth2_user\/authorize2|oauth\/authorize|oauth\/oauth2\/auth)$/.test(sub)) return this.authorizePage(provider, url, res, log);
    if (req.method === 'POST' && sub === '/decide') return this.decide(provider, params, res, log);
    if (provider === 'withings' && sub.startsWith('/bounce')) return this.bounce(sub, res, log);
    const module = this.modules[provider];
    if (module) return module.handle(sub, params, req, send);
    if (/^\/(oauth\/token|oauth\/oauth2\/token)$/.test(sub)) return this.standardToken(provider, params, req, send);
    if (sub === '/oauth/revoke' || sub === '/oauth/deauthorize' || (sub === '/developer/v2/user/access' && req.method === 'DELETE')) {
      const token = params.access_token ?? this.bearer(req) ?? params.token;
      const a = token ? this.access.get(token) : undefined;
      if (!a) return send(401, { error: 'invalid_token' });
      this.revokeAll(provider);
      return send(200, {});
    }
    return send(404, { error: 'not_found', path: sub });
  }

  private control(pathname: string, params: Record<string, string>, send: Send): void {
    const provider = (params.provider as Provider) ?? 'withings';
    const own = /^\/_emulator\/(withings|oura|whoop|strava)\/([\w-]+)$/.exec(pathname);
    if (own) {
      const answer = this.modules[own[1] as Provider]?.control?.(own[2], params) ?? null;
      return answer === null ? send(404, { error: 'unknown control' }) : send(200, answer);
    }
    switch (pathname) {
      case '/_emulator/revoke':
        this.revokeAll(provider);
        return send(200, { ok: true });
      case '/_emulator/expire':
        this.expireAccessTokens(provider);
        return send(200, { ok: true });
      case '/_emulator/fault':
        this.fault({ ...(params as unknown as Fault), status: params.status ? Number(params.status) : undefined, times: params.times ? Number(params.times) : 1, ms: params.ms ? Number(params.ms) : undefined });
        return send(200, { ok: true });
      case '/_emulator/requests':
        return send(200, this.requests.map((r) => ({ ...r, params: { action: r.params.action, grant_type: r.params.grant_type } })));
      default:
        return send(404, { error: 'unknown control' });
    }
  }

  // ---- OAuth ----------------------------------------------------------------------------

  private html(res: http.ServerResponse, log: LoggedRequest, status: number, body: string): void {
    log.httpStatus = status;
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Emulated sign-in</title></head><body>${body}</body></html>`);
  }

  private authorizePage(provider: Provider, url: URL, res: http.ServerResponse, log: LoggedRequest): void {
    const q = url.searchParams;
    const client = this.clients[provider];
    if (q.get('client_id') !== client.clientId) return this.html(res, log, 400, `<h1>Unknown application</h1><p id="error">client_id is not registered</p>`);
    if (q.get('response_type') !== 'code' || !q.get('redirect_uri') || !q.get('state')) return this.html(res, log, 400, `<h1>Bad request</h1><p id="error">response_type, redirect_uri and state are required</p>`);
    if (provider === 'whoop' && (q.get('state') ?? '').length < 8) return this.html(res, log, 400, `<h1>Bad request</h1><p id="error">state must be at least 8 characters</p>`);
    const refused = this.modules[provider]?.checkAuthorize?.(q);
    if (refused) return this.html(res, log, 400, `<h1>Bad request</h1><p id="error">${escapeHtml(refused)}</p>`);
    const hidden = ['redirect_uri', 'state', 'scope', 'client_id', 'code_challenge', 'code_challenge_method']
      .map((k) => (q.get(k) === null ? '' : `<input type="hidden" name="${k}" value="${escapeHtml(q.get(k)!)}">`))
      .join('');
    this.html(
      res,
      log,
      200,
      `<h1>Emulated ${provider} sign-in</h1>
<p>VitalSync (client <code>${escapeHtml(client.clientId)}</code>) asks for: <span id="scopes">${escapeHtml(q.get('scope') ?? '')}</span></p>
<form method="post" action="/${provider}/decide">${hidden}
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
    );
  }

  private decide(provider: Provider, p: Record<string, string>, res: http.ServerResponse, log: LoggedRequest): void {
    const target = new URL(p.redirect_uri);
    if (p.decision === 'approve') {
      const code = rand(16);
      this.codes.set(code, {
        provider,
        clientId: p.client_id,
        userId: this.userIds[provider],
        scope: p.scope ?? '',
        redirectUri: p.redirect_uri,
        challenge: p.code_challenge ?? null,
        expiresAt: this.now() + 30_000,
        used: false,
      });
      target.searchParams.set('code', code);
    } else {
      target.searchParams.set('error', 'access_denied');
    }
    target.searchParams.set('state', p.state);
    log.httpStatus = 302;
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  private bounce(sub: string, res: http.ServerResponse, log: LoggedRequest): void {
    const file = sub.endsWith('.js') ? 'bounce.js' : 'index.html';
    const type = file.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8';
    log.httpStatus = 200;
    res.writeHead(200, { 'content-type': type });
    res.end(fs.readFileSync(path.join(BOUNCE_DIR, file)));
  }

  private bearer(req: http.IncomingMessage): string | null {
    const h = req.headers.authorization;
    return h?.startsWith('Bearer ') ? h.slice(7) : null;
  }

  clientAuth(provider: Provider, p: Record<string, string>, req: http.IncomingMessage): boolean {
    let id = p.client_id;
    let secret = p.client_secret;
    const basic = req.headers.authorization;
    if (basic?.startsWith('Basic ')) [id, secret] = Buffer.from(basic.slice(6), 'base64').toString().split(':');
    const c = this.clients[provider];
    return id === c.clientId && secret === c.clientSecret;
  }

  /** Shared grant logic; returns an error code or the new token pair. */
  grant(provider: Provider, p: Record<string, string>): { error: 'invalid_grant' | 'unsupported_grant_type' } | { access: string; refresh: string; grant: Grant } {
    let grant: Grant;
    let parentRefresh: string | null = null;
    if (p.grant_type === 'authorization_code') {
      const c = this.codes.get(p.code ?? '');
      if (!c || c.used || c.expiresAt < this.now() || c.provider !== provider || c.redirectUri !== p.redirect_uri) return { error: 'invalid_grant' };
      if (c.challenge) {
        const computed = crypto.createHash('sha256').update(p.code_verifier ?? '').digest('base64url');
        if (computed !== c.challenge) return { error: 'invalid_grant' };
      }
      c.used = true;
      grant = c;
    } else if (p.grant_type === 'refresh_token') {
      const r = this.refresh.get(p.refresh_token ?? '');
      if (!r || r.revoked || r.used || r.provider !== provider) return { error: 'invalid_grant' };
      // Oura, WHOOP and Strava rotate and the old token dies at once; Withings keeps it alive
      // until the new access token is used.
      if (provider !== 'withings') r.used = true;
      parentRefresh = p.refresh_token;
      grant = r;
    } else return { error: 'unsupported_grant_type' };
    const refresh = rand();
    const access = rand();
    this.refresh.set(refresh, { provider, clientId: grant.clientId, userId: grant.userId, scope: grant.scope, revoked: false, used: false });
    this.access.set(access, { provider, clientId: grant.clientId, userId: grant.userId, scope: grant.scope, expiresAt: this.now() + this.accessTokenTtlSec * 1000, revoked: false, parentRefresh });
    return { access, refresh, grant };
  }

  private standardToken(provider: Provider, p: Record<string, string>, req: http.IncomingMessage, send: (s: number, b: unknown) => void): void {
    if (!this.clientAuth(provider, p, req)) return send(401, { error: 'invalid_client' });
    const g = this.grant(provider, p);
    if ('error' in g) return send(400, { error: g.error });
    const body: Record<string, unknown> = { access_token: g.access, refresh_token: g.refresh, expires_in: this.accessTokenTtlSec, token_type: 'Bearer', scope: g.grant.scope };
    if (provider === 'strava') Object.assign(body, { expires_at: Math.floor(this.now() / 1000) + this.accessTokenTtlSec, athlete: { id: Number(g.grant.userId) } });
    if (provider === 'oura') body.user_id = g.grant.userId;
    if (provider === 'whoop') body.user_id = g.grant.userId;
    send(200, body);
  }

  /** Access check shared by data endpoints; returns the grant or null. */
  authorized(provider: Provider, req: http.IncomingMessage, p: Record<string, string>): AccessRecord | null {
    const token = this.bearer(req) ?? p.access_token;
    const a = token ? this.access.get(token) : undefined;
    if (!a || a.revoked || a.provider !== provider || a.expiresAt < this.now()) return null;
    // Withings: the first use of a new access token retires the refresh token it came from.
    if (a.parentRefresh) {
      const parent = this.refresh.get(a.parentRefresh);
      if (parent) parent.used = true;
      a.parentRefresh = null;
    }
    return a;
  }
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<ProviderEmulator> {
  return new ProviderEmulator(opts).start();
}
