// Token lifecycle: tokens and client secrets live in the keychain only. Refresh happens before
// expiry, once per account however many callers ask at the same moment, and a rotated refresh
// token is saved before the new access token is handed out (Withings and Oura rotate; losing
// the new refresh token would lock the account out).
import { getJsonSecret, keychainUnavailable, setJsonSecret, type SecretStore } from '../secrets';
import { envClientCredentials, providerConfig, type OAuthProviderConfig, type OAuthProviderId } from './providers';
import { GrantRevokedError, refreshTokens, type ClientCredentials, type TokenClientDeps, type TokenSet } from './tokenClient';

export const tokenAccount = (provider: OAuthProviderId, accountId: string) => `oauth:${provider}:${accountId}`;
export const clientAccount = (provider: OAuthProviderId) => `client:${provider}`;

/** Refresh this long before the access token expires. */
export const REFRESH_SKEW_MS = 5 * 60_000;

export interface TokenManagerDeps extends TokenClientDeps {
  secrets: SecretStore | undefined;
  env: NodeJS.ProcessEnv;
  /** Told when a provider refuses the grant (the connection becomes needs_reauth). */
  onGrantRevoked(provider: OAuthProviderId, accountId: string): void;
}

export class TokenManager {
  private readonly inflight = new Map<string, Promise<TokenSet>>();

  constructor(private readonly deps: TokenManagerDeps) {}

  config(provider: OAuthProviderId): OAuthProviderConfig {
    return providerConfig(provider, this.deps.env);
  }

  secrets(): SecretStore {
    if (!this.deps.secrets) throw keychainUnavailable('no keychain was given to this front door');
    return this.deps.secrets;
  }

  /** The https bounce page: the environment's, else the one saved with the credentials. */
  async bounceUrl(provider: OAuthProviderId): Promise<string | null> {
    const fromEnv = this.config(provider).bounceUrl;
    if (fromEnv) return fromEnv;
    const stored = await getJsonSecret<ClientCredentials>(this.secrets(), clientAccount(provider));
    return stored?.bounceUrl ?? null;
  }

  /** The user's own client id/secret: the keychain first, then env or build-time defaults. */
  async clientCredentials(provider: OAuthProviderId): Promise<(ClientCredentials & { from: 'keychain' | 'env' | 'build' }) | null> {
    const stored = await getJsonSecret<ClientCredentials>(this.secrets(), clientAccount(provider));
    if (stored?.clientId && stored.clientSecret) return { ...stored, from: 'keychain' };
    return envClientCredentials(provider, this.deps.env);
  }

  async saveClientCredentials(provider: OAuthProviderId, creds: ClientCredentials): Promise<void> {
    await setJsonSecret(this.secrets(), clientAccount(provider), { clientId: creds.clientId, clientSecret: creds.clientSecret, bounceUrl: creds.bounceUrl ?? null });
  }

  async load(provider: OAuthProviderId, accountId: string): Promise<TokenSet | null> {
    return getJsonSecret<TokenSet>(this.secrets(), tokenAccount(provider, accountId));
  }

  async save(provider: OAuthProviderId, tokens: TokenSet): Promise<void> {
    await setJsonSecret(this.secrets(), tokenAccount(provider, tokens.accountId), tokens);
  }

  async forget(provider: OAuthProviderId, accountId: string): Promise<void> {
    await this.secrets().delete(tokenAccount(provider, accountId));
  }

  /**
   * A valid access token for the account, refreshed first if it expires within the skew.
   * `stale` is a token the caller just saw refused (HTTP 401): refresh unless someone already did.
   */
  async accessToken(provider: OAuthProviderId, accountId: string, stale?: string): Promise<string> {
    const key = tokenAccount(provider, accountId);
    const running = this.inflight.get(key);
    if (running) return (await running).accessToken;
    const current = await this.load(provider, accountId);
    if (!current) {
      this.deps.onGrantRevoked(provider, accountId);
      throw new GrantRevokedError(this.config(provider).name);
    }
    const fresh = current.expiresAt === null || current.expiresAt - REFRESH_SKEW_MS > this.deps.clock();
    if (fresh && (stale === undefined || stale !== current.accessToken)) return current.accessToken;
    // Check again: another caller may have started a refresh while we read the keychain.
    const again = this.inflight.get(key);
    if (again) return (await again).accessToken;
    const refresh = this.refresh(provider, current).finally(() => this.inflight.delete(key));
    this.inflight.set(key, refresh);
    return (await refresh).accessToken;
  }

  private async refresh(provider: OAuthProviderId, current: TokenSet): Promise<TokenSet> {
    const cfg = this.config(provider);
    const client = await this.clientCredentials(provider);
    if (!client) {
      this.deps.onGrantRevoked(provider, current.accountId);
      throw new GrantRevokedError(cfg.name);
    }
    let next: TokenSet;
    try {
      next = await refreshTokens(cfg, this.deps, client, current);
    } catch (err) {
      if (err instanceof GrantRevokedError) this.deps.onGrantRevoked(provider, current.accountId);
      throw err;
    }
    next.accountId = current.accountId;
    // Saved before anyone uses the new access token: the old refresh token may already be dead.
    await this.save(provider, next);
    return next;
  }
}
