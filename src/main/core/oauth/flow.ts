// The authorization-code flow: state on every request and checked on return, PKCE where the
// provider takes it, one attempt per provider at a time, a timeout, and a clear ending for
// every way it can go wrong. The system browser does the sign-in; we only build the URL.
import crypto from 'node:crypto';
import { getSource } from '../../../shared/catalog';
import { AppError } from '../errors';
import { log } from '../log';
import { parseOAuthCallback, PROTOCOL, type OAuthCallback } from './deeplink';
import { startLoopback, type LoopbackListener } from './loopback';
import { newPkce, newState } from './pkce';
import { isOAuthProvider, type OAuthProviderId } from './providers';
import { ClientRejectedError, exchangeCode, GrantRevokedError, TransientOAuthError, type TokenSet } from './tokenClient';
import type { TokenManager } from './tokens';

export type RedirectChoice = 'custom-scheme' | 'loopback' | 'https-bounce';

export interface BeginResult {
  provider: OAuthProviderId;
  authorizeUrl: string;
  redirectUri: string;
  redirect: RedirectChoice;
  expiresAt: number;
  /** True when VitalSync opened the system browser itself (desktop app). */
  opened: boolean;
}

export interface FlowOutcome {
  provider: OAuthProviderId;
  ok: boolean;
  message: string;
}

interface Pending {
  provider: OAuthProviderId;
  state: string;
  verifier: string | null;
  redirectUri: string;
  startedAt: number;
  expiresAt: number;
  listener: LoopbackListener | null;
  timer: NodeJS.Timeout;
  finished: Promise<FlowOutcome>;
  resolve(o: FlowOutcome): void;
}

export interface OAuthFlowDeps {
  tokens: TokenManager;
  fetch: typeof fetch;
  clock: () => number;
  /** Opens the system browser (desktop app); absent in the CLI and browser mode. */
  openExternal?: (url: string) => Promise<void>;
  /** Whether this front door receives vitalsync:// links (only the desktop app does). */
  canReceiveDeepLinks: boolean;
  /** Records the connection once tokens are safely in the keychain. */
  onConnected(provider: OAuthProviderId, tokens: TokenSet): void;
  onFinished(outcome: FlowOutcome): void;
  timeoutMs?: number;
}

export const OAUTH_TIMEOUT_MS = 5 * 60_000;

const sameString = (a: string, b: string) => {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
};

/**
 * `state` is `<provider>.<random>` or `<provider>.<random>.<port>`: the https bounce page reads
 * it to forward the answer to vitalsync://oauth/<provider> or to the loopback port. It tells a
 * provider nothing, and the random part is what we check.
 */
export function makeState(provider: OAuthProviderId, loopbackPort: number | null): string {
  return `${provider}.${newState()}${loopbackPort === null ? '' : `.${loopbackPort}`}`;
}

export class OAuthFlows {
  private readonly pending = new Map<OAuthProviderId, Pending>();

  constructor(private readonly deps: OAuthFlowDeps) {}

  /** The redirect a front door can actually receive for a provider, given an optional choice. */
  chooseRedirect(provider: OAuthProviderId, requested?: 'loopback' | 'bounce' | 'custom'): RedirectChoice {
    const catalog = getSource(provider)?.redirect;
    if (requested === 'loopback') return 'loopback';
    if (requested === 'bounce') return 'https-bounce';
    if (requested === 'custom') {
      if (!this.deps.canReceiveDeepLinks) throw new AppError('INVALID_INPUT', 'Only the desktop app can receive vitalsync:// links. Use the loopback or bounce redirect here.');
      return 'custom-scheme';
    }
    if (catalog === 'https-bounce') return 'https-bounce';
    if (catalog === 'custom-scheme') return this.deps.canReceiveDeepLinks ? 'custom-scheme' : 'loopback';
    return 'loopback';
  }

  isPending(provider: OAuthProviderId): boolean {
    return this.pending.has(provider);
  }

  /** Starts a sign-in; the answer arrives later via a deep link or the loopback listener. */
  async begin(provider: OAuthProviderId, opts: { redirect?: 'loopback' | 'bounce' | 'custom'; port?: number } = {}): Promise<BeginResult & { finished: Promise<FlowOutcome> }> {
    const cfg = this.deps.tokens.config(provider);
    const existing = this.pending.get(provider);
    if (existing) {
      throw new AppError(
        'CONFLICT',
        `A connection to ${cfg.name} is already waiting for you to finish signing in in your browser. Finish it there, or cancel it and start again.`,
      );
    }
    const client = await this.deps.tokens.clientCredentials(provider);
    if (!client) {
      throw new AppError(
        'NEEDS_SETUP',
        `VitalSync needs your own ${cfg.name} developer app before it can connect. Open Sources → ${cfg.name} → Set up credentials (or pass --client-id and --client-secret).`,
      );
    }
    const redirect = this.chooseRedirect(provider, opts.redirect);
    const bounceUrl = redirect === 'https-bounce' ? await this.deps.tokens.bounceUrl(provider) : null;
    if (redirect === 'https-bounce' && !bounceUrl) {
      throw new AppError(
        'NEEDS_SETUP',
        `${cfg.name} only sends sign-ins to https addresses, so VitalSync needs your bounce page: host resources/oauth-bounce on any https site, register its address with ${cfg.name}, and enter it in Set up credentials (or set VITALSYNC_${provider.toUpperCase()}_BOUNCE_URL).`,
      );
    }
    // Placeholder so a second click while the listener starts is refused too.
    const placeholder = { provider } as Pending;
    this.pending.set(provider, placeholder);
    let listener: LoopbackListener | null = null;
    try {
      const needsListener = redirect === 'loopback' || (redirect === 'https-bounce' && !this.deps.canReceiveDeepLinks);
      if (needsListener) {
        // Behind the bounce page the port travels in `state`, so any free port will do.
        const port = opts.port ?? (redirect === 'https-bounce' ? 0 : cfg.loopbackPort);
        listener = await startLoopback(provider, port, (cb) => this.complete(cb));
      }
      const state = makeState(provider, redirect === 'https-bounce' && listener ? listener.port : null);
      const redirectUri =
        redirect === 'loopback' ? listener!.redirectUri : redirect === 'https-bounce' ? bounceUrl! : `${PROTOCOL}://oauth/${provider}`;
      const pkce = cfg.pkce ? newPkce() : null;
      const url = new URL(cfg.authUrl);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', client.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('scope', cfg.scopes.join(cfg.scopeSeparator));
      url.searchParams.set('state', state);
      if (pkce) {
        url.searchParams.set('code_challenge', pkce.challenge);
        url.searchParams.set('code_challenge_method', 'S256');
      }
      for (const [k, v] of Object.entries(cfg.extraAuthParams)) url.searchParams.set(k, v);
      const startedAt = this.deps.clock();
      const timeoutMs = this.deps.timeoutMs ?? OAUTH_TIMEOUT_MS;
      let resolve!: (o: FlowOutcome) => void;
      const finished = new Promise<FlowOutcome>((r) => (resolve = r));
      const pending: Pending = {
        provider,
        state,
        verifier: pkce?.verifier ?? null,
        redirectUri,
        startedAt,
        expiresAt: startedAt + timeoutMs,
        listener,
        finished,
        resolve,
        timer: setTimeout(
          () => this.finish(provider, { provider, ok: false, message: `Nobody finished signing in to ${cfg.name} within ${timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} minutes` : `${Math.round(timeoutMs / 1000)} seconds`}, so VitalSync stopped waiting. Click Connect to try again.` }),
          timeoutMs,
        ),
      };
      pending.timer.unref?.();
      this.pending.set(provider, pending);
      let opened = false;
      if (this.deps.openExternal) {
        try {
          await this.deps.openExternal(url.toString());
          opened = true;
        } catch (err) {
          log.warn(`could not open the system browser for ${provider}`, err);
        }
      }
      log.info(`oauth ${provider}: waiting for the browser (${redirect})`);
      return { provider, authorizeUrl: url.toString(), redirectUri, redirect, expiresAt: pending.expiresAt, opened, finished };
    } catch (err) {
      listener?.close();
      if (this.pending.get(provider) === placeholder) this.pending.delete(provider);
      throw err;
    }
  }

  cancel(provider: OAuthProviderId): boolean {
    if (!this.pending.get(provider)?.state) return false;
    this.finish(provider, { provider, ok: false, message: `The connection to ${this.deps.tokens.config(provider).name} was cancelled.` });
    return true;
  }

  /** A vitalsync:// URL from the OS. Unknown or malformed links are dropped (logged, not acted on). */
  async handleDeepLink(raw: string): Promise<FlowOutcome | null> {
    const cb = parseOAuthCallback(raw, { scheme: 'custom' });
    if (!cb) {
      log.warn('ignored a vitalsync:// link that is not an OAuth answer');
      return null;
    }
    return this.complete(cb);
  }

  /** The provider's answer (deep link or loopback). Ends the attempt either way. */
  async complete(cb: OAuthCallback): Promise<FlowOutcome> {
    const provider = cb.provider;
    const cfg = this.deps.tokens.config(provider);
    const pending = this.pending.get(provider);
    if (!pending?.state) {
      return { provider, ok: false, message: `VitalSync was not waiting for a ${cfg.name} sign-in (it may have timed out). Click Connect to start again.` };
    }
    if (!cb.state || !sameString(cb.state, pending.state)) {
      return this.finish(provider, {
        provider,
        ok: false,
        message: `The answer from ${cfg.name} does not match the sign-in VitalSync started (the state differs), so it was refused. Click Connect to start again.`,
      });
    }
    if (cb.error) {
      const denied = cb.error === 'access_denied';
      return this.finish(provider, {
        provider,
        ok: false,
        message: denied
          ? `You declined access on ${cfg.name}'s page, so nothing was connected.`
          : `${cfg.name} ended the sign-in with an error (${cb.error.slice(0, 60)}). Nothing was connected.`,
      });
    }
    // Taken out of `pending` now so a replayed answer cannot be exchanged twice.
    clearTimeout(pending.timer);
    try {
      const client = await this.deps.tokens.clientCredentials(provider);
      if (!client) throw new AppError('NEEDS_SETUP', `Your ${cfg.name} developer app credentials are gone. Set them up again.`);
      const tokens = await exchangeCode(cfg, { fetch: this.deps.fetch, clock: this.deps.clock }, client, {
        code: cb.code!,
        redirectUri: pending.redirectUri,
        verifier: pending.verifier ?? undefined,
      });
      await this.deps.tokens.save(provider, tokens);
      this.deps.onConnected(provider, tokens);
      return this.finish(provider, { provider, ok: true, message: `${cfg.name} is connected.` });
    } catch (err) {
      let message: string;
      if (err instanceof GrantRevokedError) message = `${cfg.name} did not accept the sign-in code (it may have expired or been used already). Click Connect to try again.`;
      else if (err instanceof AppError || err instanceof TransientOAuthError || err instanceof ClientRejectedError) message = err.message;
      else {
        log.error(`oauth ${provider}: code exchange failed`, err);
        message = `VitalSync could not finish connecting ${cfg.name}. Check that the client id and secret are right, then try again.`;
      }
      return this.finish(provider, { provider, ok: false, message });
    }
  }

  private finish(provider: OAuthProviderId, outcome: FlowOutcome): FlowOutcome {
    const pending = this.pending.get(provider);
    if (pending?.state) {
      clearTimeout(pending.timer);
      pending.listener?.close();
      this.pending.delete(provider);
      pending.resolve(outcome);
    }
    log.info(`oauth ${provider}: ${outcome.ok ? 'connected' : 'not connected'}`);
    this.deps.onFinished(outcome);
    return outcome;
  }

  /** Ends every attempt (core closing). */
  closeAll(): void {
    for (const p of [...this.pending.keys()]) if (isOAuthProvider(p)) this.cancel(p);
  }
}
