// The token endpoint: code exchange, refresh, revoke. Withings wraps answers in {status, body}
// inside HTTP 200; the others speak RFC 6749. Error messages never include a token or secret.
import crypto from 'node:crypto';
import type { OAuthProviderConfig } from './providers';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** The address of the person's own https bounce page, for providers that need one. */
  bounceUrl?: string | null;
}

/** What the keychain holds for one connected account. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms; null when the provider gave no expiry. */
  expiresAt: number | null;
  scope: string;
  accountId: string;
}

/** The provider refused the grant (revoked, expired, already used): the person must reconnect. */
export class GrantRevokedError extends Error {
  constructor(readonly provider: string) {
    super(`${provider} no longer accepts VitalSync's sign-in`);
    this.name = 'GrantRevokedError';
  }
}

/**
 * The provider refused VitalSync's client id or secret (OAuth `invalid_client`): the person's
 * developer-app credentials are wrong or were changed, not their sign-in. The data is kept.
 */
export class ClientRejectedError extends Error {
  constructor(readonly provider: string) {
    super(
      `${provider} did not accept the client id or secret VitalSync has for it (they may be mistyped, or were changed in your ${provider} developer app). ` +
        `Enter them again under Sources → ${provider} → Set up credentials; your data is kept.`,
    );
    this.name = 'ClientRejectedError';
  }
}

/** Worth retrying later: network down, 5xx, rate limited. */
export class TransientOAuthError extends Error {
  constructor(
    message: string,
    readonly offline = false,
  ) {
    super(message);
    this.name = 'TransientOAuthError';
  }
}

interface RawToken {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  expires_at?: unknown;
  scope?: unknown;
  userid?: unknown;
  user_id?: unknown;
  athlete?: { id?: unknown };
}

function toTokenSet(raw: RawToken, now: number, previous?: TokenSet): TokenSet {
  if (typeof raw.access_token !== 'string' || !raw.access_token) throw new Error('the token answer has no access_token');
  const expiresIn = Number(raw.expires_in);
  const expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : Number(raw.expires_at) > 0 ? Number(raw.expires_at) * 1000 : null;
  const account = raw.userid ?? raw.user_id ?? raw.athlete?.id;
  return {
    accessToken: raw.access_token,
    // A provider that does not rotate keeps the old refresh token valid.
    refreshToken: typeof raw.refresh_token === 'string' && raw.refresh_token ? raw.refresh_token : (previous?.refreshToken ?? null),
    expiresAt,
    scope: typeof raw.scope === 'string' ? raw.scope : (previous?.scope ?? ''),
    accountId: account != null && account !== '' ? String(account) : (previous?.accountId ?? ''),
  };
}

export interface TokenClientDeps {
  fetch: typeof fetch;
  clock: () => number;
}

async function post(deps: TokenClientDeps, url: string, form: Record<string, string>, provider: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  let res: Response;
  try {
    res = await deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new TransientOAuthError(`VitalSync could not reach ${provider}'s sign-in server. Check your internet connection.`, true);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json };
}

/** Withings token-endpoint statuses that mean the grant or code is no good. */
const WITHINGS_GRANT_REFUSED = new Set([100, 101, 102, 200, 401, 503]);

/**
 * Strava refuses a dead refresh token or code with its own error list, never `invalid_grant`:
 * 400 {"message":"Bad Request","errors":[{"resource":"RefreshToken","field":"refresh_token","code":"invalid"}]}.
 */
function refusedGrantErrors(errors: unknown): boolean {
  return Array.isArray(errors) && errors.some((e: { resource?: unknown; code?: unknown } | null) => (e?.resource === 'RefreshToken' || e?.resource === 'AuthorizationCode') && e.code === 'invalid');
}

async function tokenRequest(cfg: OAuthProviderConfig, deps: TokenClientDeps, form: Record<string, string>, previous?: TokenSet): Promise<TokenSet> {
  const body = cfg.tokenStyle === 'withings' ? { action: 'requesttoken', ...form } : form;
  const { status, json } = await post(deps, cfg.tokenUrl, body, cfg.name);
  if (status === 429 || status >= 500) throw new TransientOAuthError(`${cfg.name}'s sign-in server is busy (HTTP ${status}). VitalSync will try again.`);
  const obj = (json ?? {}) as Record<string, unknown>;
  if (cfg.tokenStyle === 'withings') {
    if (status !== 200 || typeof obj.status !== 'number') throw new TransientOAuthError(`${cfg.name}'s sign-in server gave an unexpected answer (HTTP ${status}).`);
    if (obj.status === 601) throw new TransientOAuthError(`${cfg.name} asked VitalSync to slow down. It will try again.`);
    if (WITHINGS_GRANT_REFUSED.has(obj.status)) throw new GrantRevokedError(cfg.name);
    if (obj.status !== 0) throw new TransientOAuthError(`${cfg.name}'s sign-in server answered with status ${obj.status}.`);
    return toTokenSet((obj.body ?? {}) as RawToken, deps.clock(), previous);
  }
  if (status === 400 || status === 401) {
    // RFC 6749's `invalid_client`, or Strava's own shape naming the Application as invalid.
    const clientRefused =
      obj.error === 'invalid_client' ||
      obj.error === 'unauthorized_client' ||
      (Array.isArray(obj.errors) && obj.errors.some((e: { resource?: unknown; code?: unknown } | null) => e?.resource === 'Application' && e.code === 'invalid'));
    if (clientRefused) throw new ClientRejectedError(cfg.name);
    if (obj.error === 'invalid_grant' || obj.error === 'invalid_token' || status === 401 || refusedGrantErrors(obj.errors)) throw new GrantRevokedError(cfg.name);
    throw new Error(`${cfg.name} refused the request (${typeof obj.error === 'string' ? obj.error.slice(0, 60) : `HTTP ${status}`})`);
  }
  if (status !== 200) throw new TransientOAuthError(`${cfg.name}'s sign-in server answered HTTP ${status}.`);
  return toTokenSet(obj as RawToken, deps.clock(), previous);
}

export function exchangeCode(
  cfg: OAuthProviderConfig,
  deps: TokenClientDeps,
  client: ClientCredentials,
  args: { code: string; redirectUri: string; verifier?: string },
): Promise<TokenSet> {
  return tokenRequest(cfg, deps, {
    grant_type: 'authorization_code',
    client_id: client.clientId,
    client_secret: client.clientSecret,
    code: args.code,
    redirect_uri: args.redirectUri,
    ...(args.verifier ? { code_verifier: args.verifier } : {}),
  });
}

export function refreshTokens(cfg: OAuthProviderConfig, deps: TokenClientDeps, client: ClientCredentials, previous: TokenSet): Promise<TokenSet> {
  if (!previous.refreshToken) return Promise.reject(new GrantRevokedError(cfg.name));
  return tokenRequest(
    cfg,
    deps,
    { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret, refresh_token: previous.refreshToken },
    previous,
  );
}

const hmac = (secret: string, values: string[]) => crypto.createHmac('sha256', secret).update(values.join(',')).digest('hex');

/**
 * Tells the provider to forget VitalSync's grant. Best effort: returns false when the provider
 * could not be told (offline), and the caller deletes the local tokens anyway.
 */
export async function revokeGrant(cfg: OAuthProviderConfig, deps: TokenClientDeps, client: ClientCredentials, tokens: TokenSet): Promise<boolean> {
  try {
    if (cfg.id === 'withings') {
      // Withings signs revoke with a nonce: HMAC-SHA256(secret, "action,client_id,nonce").
      const timestamp = String(Math.floor(deps.clock() / 1000));
      const nonceRes = await post(deps, `${cfg.apiBase}/v2/signature`, {
        action: 'getnonce',
        client_id: client.clientId,
        timestamp,
        signature: hmac(client.clientSecret, ['getnonce', client.clientId, timestamp]),
      }, cfg.name);
      const nonce = ((nonceRes.json as { body?: { nonce?: unknown } } | null)?.body?.nonce ?? '') as string;
      if (!nonce) return false;
      const res = await post(deps, cfg.tokenUrl, {
        action: 'revoke',
        client_id: client.clientId,
        nonce,
        signature: hmac(client.clientSecret, ['revoke', client.clientId, nonce]),
        userid: tokens.accountId,
      }, cfg.name);
      return (res.json as { status?: unknown } | null)?.status === 0;
    }
    if (cfg.id === 'oura') {
      const res = await post(deps, `${cfg.apiBase}/oauth/revoke?access_token=${encodeURIComponent(tokens.accessToken)}`, {}, cfg.name);
      return res.status < 300;
    }
    if (cfg.id === 'strava') {
      const res = await post(deps, cfg.tokenUrl.replace(/\/token$/, '/deauthorize'), { access_token: tokens.accessToken }, cfg.name);
      return res.status < 300;
    }
    if (cfg.id === 'whoop') {
      const res = await deps.fetch(`${cfg.apiBase}/v2/user/access`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.accessToken}` } });
      return res.status < 300;
    }
    return false;
  } catch {
    return false;
  }
}
