// Each OAuth provider's real endpoints, scopes and quirks, with the environment overrides that
// point VitalSync at a self-hosted proxy or at the local provider emulator (README "Endpoints").
import type { SourceId } from '../../../shared/catalog';

export type OAuthProviderId = Extract<SourceId, 'withings' | 'oura' | 'whoop' | 'strava'>;
export const OAUTH_PROVIDER_IDS: readonly OAuthProviderId[] = ['withings', 'oura', 'whoop', 'strava'];

export interface OAuthProviderConfig {
  id: OAuthProviderId;
  name: string;
  authUrl: string;
  tokenUrl: string;
  apiBase: string;
  scopes: string[];
  scopeSeparator: ',' | ' ';
  /**
   * PKCE S256 where the provider takes it. Turned on only where the provider's own API
   * documentation describes code_challenge; sending it elsewhere is untested against the real
   * service (the emulator checks it whenever it is sent). Reviewed for issue 14: none of the four
   * documents PKCE, so all four rely on `state` plus the client secret (PKCE_DECISIONS below).
   */
  pkce: boolean;
  /** Withings wraps every answer, tokens included, in {status, body}. */
  tokenStyle: 'withings' | 'standard';
  /** Where a person registers their own developer app. */
  registerUrl: string;
  registerHelp: string;
  /** Loopback port used when the provider matches redirect URIs exactly (RFC 8252 §7.3). */
  loopbackPort: number;
  /**
   * Where the person hosts the https bounce page (resources/oauth-bounce) that forwards code and
   * state to the app, from the environment; the one saved with the client credentials otherwise.
   * There is no default: a page on someone else's domain would see every sign-in code.
   */
  bounceUrl: string | null;
  extraAuthParams: Record<string, string>;
  /** Default minutes between scheduled syncs, within the provider's rate limits. */
  syncEveryMinutes: number;
  /** Requests allowed per window (the provider's published limit, with headroom). */
  rateLimit: { requests: number; windowMs: number };
}

const BASE: Record<OAuthProviderId, Omit<OAuthProviderConfig, 'bounceUrl'>> = {
  withings: {
    id: 'withings',
    name: 'Withings',
    authUrl: 'https://account.withings.com/oauth2_user/authorize2',
    tokenUrl: 'https://wbsapi.withings.net/v2/oauth2',
    apiBase: 'https://wbsapi.withings.net',
    scopes: ['user.info', 'user.metrics', 'user.activity'],
    scopeSeparator: ',',
    pkce: false,
    tokenStyle: 'withings',
    registerUrl: 'https://developer.withings.com/dashboard/',
    registerHelp:
      'Sign in to the Withings Developer Dashboard, create a "Public API integration" application, paste the redirect URI below as its Callback URL, then copy its Client ID and Consumer Secret here.',
    loopbackPort: 47_631,
    extraAuthParams: {},
    syncEveryMinutes: 30,
    // Withings allows 120 requests a minute per application.
    rateLimit: { requests: 100, windowMs: 60_000 },
  },
  oura: {
    id: 'oura',
    name: 'Oura',
    authUrl: 'https://cloud.ouraring.com/oauth/authorize',
    tokenUrl: 'https://api.ouraring.com/oauth/token',
    apiBase: 'https://api.ouraring.com',
    // Only what the sync reads: daily (activity, sleep, readiness), heart rate, workouts, SpO2.
    scopes: ['daily', 'heartrate', 'workout', 'spo2'],
    scopeSeparator: ' ',
    pkce: false,
    tokenStyle: 'standard',
    registerUrl: 'https://cloud.ouraring.com/oauth/applications',
    registerHelp: 'Create a new application on Oura Cloud, add the redirect URI below, and copy its Client ID and Client Secret here.',
    loopbackPort: 47_632,
    extraAuthParams: {},
    syncEveryMinutes: 60,
    rateLimit: { requests: 4_000, windowMs: 5 * 60_000 },
  },
  whoop: {
    id: 'whoop',
    name: 'WHOOP',
    authUrl: 'https://api.prod.whoop.com/oauth/oauth2/auth',
    tokenUrl: 'https://api.prod.whoop.com/oauth/oauth2/token',
    apiBase: 'https://api.prod.whoop.com/developer',
    scopes: ['offline', 'read:recovery', 'read:cycles', 'read:sleep', 'read:workout', 'read:profile', 'read:body_measurement'],
    scopeSeparator: ' ',
    pkce: false,
    tokenStyle: 'standard',
    registerUrl: 'https://developer-dashboard.whoop.com/',
    registerHelp: 'Create an app in the WHOOP Developer Dashboard, add the redirect URI below, select the scopes listed, and copy its Client ID and Client Secret here.',
    loopbackPort: 47_633,
    extraAuthParams: {},
    syncEveryMinutes: 60,
    rateLimit: { requests: 90, windowMs: 60_000 },
  },
  strava: {
    id: 'strava',
    name: 'Strava',
    authUrl: 'https://www.strava.com/oauth/authorize',
    tokenUrl: 'https://www.strava.com/oauth/token',
    apiBase: 'https://www.strava.com/api/v3',
    scopes: ['read', 'activity:read_all'],
    scopeSeparator: ',',
    pkce: false,
    tokenStyle: 'standard',
    registerUrl: 'https://www.strava.com/settings/api',
    registerHelp:
      'Create an API application in your Strava settings (any Authorization Callback Domain: Strava always accepts the 127.0.0.1 redirect URI below), and copy its Client ID and Client Secret here.',
    loopbackPort: 47_634,
    extraAuthParams: { approval_prompt: 'auto' },
    syncEveryMinutes: 60,
    // Strava's real windows (15 minutes and a day, reads and overall, read from its headers) are
    // declared by its adapter (providers/strava STRAVA_RATE_LIMITS); this is not used for it.
    rateLimit: { requests: 90, windowMs: 15 * 60_000 },
  },
};

/** Why each provider has PKCE on or off, from its API documentation (checked in providers.test.ts). */
export const PKCE_DECISIONS: Record<OAuthProviderId, string> = {
  withings: 'Off: Withings\' OAuth 2.0 guide (authorize2, requesttoken) does not document code_challenge.',
  oura: 'Off: Oura\'s API v2 authentication docs do not document code_challenge.',
  whoop: 'Off: WHOOP\'s OAuth 2.0 page lists client id and secret, the authorization and token URLs, the redirect URL and state; it does not document code_challenge.',
  strava: 'Off: Strava\'s authentication docs (oauth/authorize, oauth/token) do not document code_challenge.',
};

export function isOAuthProvider(id: string): id is OAuthProviderId {
  return (OAUTH_PROVIDER_IDS as readonly string[]).includes(id);
}

/** The env variable prefix for a provider, e.g. VITALSYNC_WITHINGS_. */
export const envPrefix = (id: OAuthProviderId) => `VITALSYNC_${id.toUpperCase()}_`;

/** A provider's configuration with VITALSYNC_<PROVIDER>_AUTH_URL / _TOKEN_URL / _API_BASE / _BOUNCE_URL / _LOOPBACK_PORT applied. */
export function providerConfig(id: OAuthProviderId, env: NodeJS.ProcessEnv = process.env): OAuthProviderConfig {
  const base = BASE[id];
  const p = envPrefix(id);
  const port = Number(env[`${p}LOOPBACK_PORT`]);
  return {
    ...base,
    authUrl: env[`${p}AUTH_URL`] || base.authUrl,
    tokenUrl: env[`${p}TOKEN_URL`] || base.tokenUrl,
    apiBase: (env[`${p}API_BASE`] || base.apiBase).replace(/\/+$/, ''),
    bounceUrl: env[`${p}BOUNCE_URL`] || env.VITALSYNC_BOUNCE_URL || null,
    loopbackPort: Number.isInteger(port) && port >= 0 && port < 65_536 && env[`${p}LOOPBACK_PORT`] !== undefined ? port : base.loopbackPort,
  };
}

declare const __VITALSYNC_BAKED_CLIENTS__: Record<string, { clientId: string; clientSecret: string }> | undefined;

/**
 * Client credentials a distributor baked in at build time (VITALSYNC_<PROVIDER>_CLIENT_ID and
 * _CLIENT_SECRET set when running `npm run build`), else from the same variables at run time.
 */
export function envClientCredentials(id: OAuthProviderId, env: NodeJS.ProcessEnv = process.env): { clientId: string; clientSecret: string; from: 'env' | 'build' } | null {
  const p = envPrefix(id);
  if (env[`${p}CLIENT_ID`] && env[`${p}CLIENT_SECRET`]) return { clientId: env[`${p}CLIENT_ID`]!, clientSecret: env[`${p}CLIENT_SECRET`]!, from: 'env' };
  const baked = typeof __VITALSYNC_BAKED_CLIENTS__ === 'undefined' ? undefined : __VITALSYNC_BAKED_CLIENTS__?.[id];
  if (baked?.clientId && baked.clientSecret) return { ...baked, from: 'build' };
  return null;
}
