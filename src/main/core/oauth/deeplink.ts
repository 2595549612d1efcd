// Deep links (vitalsync://oauth/<provider>?code=…&state=…) arrive from the OS before the app is
// ready (macOS open-url, Windows/Linux argv). They are parsed strictly and queued until ready.
import { isOAuthProvider, type OAuthProviderId } from './providers';

export const PROTOCOL = 'vitalsync';

export interface OAuthCallback {
  provider: OAuthProviderId;
  code: string | null;
  state: string | null;
  error: string | null;
  errorDescription: string | null;
}

const MAX_URL = 4096;
const PARAM_OK = /^[\w.~+/=-]{1,2048}$/;
const ALLOWED = new Set(['code', 'state', 'error', 'error_description', 'scope', 'userid']);

/**
 * Reads an OAuth answer from a redirect URL (custom scheme or loopback). Returns null for
 * anything that is not exactly that: other schemes, hosts, paths, unknown or repeated
 * parameters, oversized values. Unknown input is dropped, never acted on.
 */
export function parseOAuthCallback(raw: string, expect: { scheme: 'custom' } | { scheme: 'loopback'; provider: OAuthProviderId }): OAuthCallback | null {
  if (typeof raw !== 'string' || raw.length > MAX_URL) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  let provider: string;
  if (expect.scheme === 'custom') {
    if (url.protocol !== `${PROTOCOL}:` || url.hostname !== 'oauth' || url.username || url.password || url.port) return null;
    const m = /^\/([a-z]+)\/?$/.exec(url.pathname);
    if (!m) return null;
    provider = m[1];
  } else {
    if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1' || url.username || url.password) return null;
    if (url.pathname !== `/oauth/${expect.provider}/callback`) return null;
    provider = expect.provider;
  }
  if (!isOAuthProvider(provider)) return null;
  const seen = new Set<string>();
  for (const [key, value] of url.searchParams) {
    if (!ALLOWED.has(key) || seen.has(key)) return null;
    seen.add(key);
    if (key !== 'error_description' && key !== 'scope' && !PARAM_OK.test(value)) return null;
    if (value.length > 2048) return null;
  }
  const get = (k: string) => url.searchParams.get(k);
  if (!get('state') && !get('error')) return null;
  if (!get('code') && !get('error')) return null;
  return { provider, code: get('code'), state: get('state'), error: get('error'), errorDescription: get('error_description') };
}

/** Finds our deep link among process arguments (Windows/Linux pass it in argv). */
export function deepLinkFromArgv(argv: readonly string[]): string | null {
  return argv.find((a) => typeof a === 'string' && a.startsWith(`${PROTOCOL}://`)) ?? null;
}

/** Holds deep links that arrive before the app can handle them, then delivers them in order. */
export class DeepLinkQueue {
  private pending: string[] = [];
  private handler: ((url: string) => void) | null = null;

  push(url: string): void {
    if (this.pending.length >= 20) return; // a flood of links is not a sign-in
    if (this.handler) this.handler(url);
    else this.pending.push(url);
  }

  /** Called once the window and core are ready; flushes what was queued. */
  ready(handler: (url: string) => void): void {
    this.handler = handler;
    const queued = this.pending;
    this.pending = [];
    for (const url of queued) handler(url);
  }
}
