// Calls to a provider's data API: a per-provider rate limiter, Retry-After honoured, exponential
// backoff with jitter on 5xx and on provider-specific "slow down" answers (Withings' status 601
// inside HTTP 200), one token refresh on 401. Timing is injectable so tests assert waits fast.
import { GrantRevokedError } from '../oauth/tokenClient';

export interface Timing {
  clock(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const realTiming: Timing = {
  clock: Date.now,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
};

/** The provider could not be reached at all (quiet: the scheduler just tries later). */
export class OfflineError extends Error {
  constructor(provider: string) {
    super(`VitalSync could not reach ${provider}. It will try again when you are back online.`);
    this.name = 'OfflineError';
  }
}

/** The provider asked us to wait longer than a sync should block. */
export class RateLimitedError extends Error {
  constructor(
    provider: string,
    readonly retryAtMs: number,
  ) {
    super(`${provider} asked VitalSync to pause its requests. It will continue at the next sync.`);
    this.name = 'RateLimitedError';
  }
}

/** An answer that retrying will not fix. The message is for people. */
export class ProviderError extends Error {
  override name = 'ProviderError';
}

/** Sliding-window limiter: at most `requests` calls per `windowMs`. */
export class RateLimiter {
  private stamps: number[] = [];

  constructor(
    private readonly requests: number,
    private readonly windowMs: number,
    private readonly timing: Timing,
  ) {}

  async take(): Promise<void> {
    for (;;) {
      const now = this.timing.clock();
      this.stamps = this.stamps.filter((t) => t > now - this.windowMs);
      if (this.stamps.length < this.requests) {
        this.stamps.push(now);
        return;
      }
      await this.timing.sleep(this.stamps[0] + this.windowMs - now);
    }
  }
}

export type Verdict = { kind: 'ok'; body: unknown } | { kind: 'retry'; afterMs?: number } | { kind: 'unauthorized' } | { kind: 'fail'; message: string };

export interface ApiRequest {
  url: string;
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  /** The provider's reading of a 200 answer (Withings puts errors in the body). */
  classify?: (json: unknown) => Verdict;
  /**
   * The provider's reading of a refusal other than 401, 429 and 5xx, from its status and body
   * (Oura's 403 says whether a scope is missing or the membership expired); null: the default.
   */
  classifyError?: (status: number, json: unknown) => Verdict | null;
}

export interface ProviderHttpDeps {
  provider: string;
  fetch: typeof fetch;
  timing: Timing;
  limiter: RateLimiter;
  accessToken(stale?: string): Promise<string>;
  maxAttempts?: number;
  /** Longest Retry-After a sync waits for in place; longer ones end the run until next time. */
  maxWaitMs?: number;
}

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_MAX_MS = 120_000;

/** Exponential backoff with "equal jitter": between half and all of base·2^attempt. */
export function backoffMs(attempt: number, random: number, base = BACKOFF_BASE_MS): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, base * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** Retry-After in seconds or as an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export class ProviderHttp {
  /** Every wait this client made, for logs and tests: why and how long. */
  readonly waits: { reason: string; ms: number }[] = [];

  constructor(private readonly deps: ProviderHttpDeps) {}

  private async wait(reason: string, ms: number): Promise<void> {
    this.waits.push({ reason, ms });
    await this.deps.timing.sleep(ms);
  }

  async request(req: ApiRequest): Promise<unknown> {
    const { timing } = this.deps;
    const maxAttempts = this.deps.maxAttempts ?? 6;
    const maxWait = this.deps.maxWaitMs ?? 15 * 60_000;
    let token = await this.deps.accessToken();
    let refreshed = false;
    let networkFailures = 0;
    for (let attempt = 0; ; attempt++) {
      if (attempt >= maxAttempts) throw new ProviderError(`${this.deps.provider} kept failing after ${maxAttempts} tries. VitalSync will try again at the next sync.`);
      await this.deps.limiter.take();
      let res: Response;
      try {
        res = await this.deps.fetch(req.url, {
          method: req.method ?? (req.form ? 'POST' : 'GET'),
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(req.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          body: req.form ? new URLSearchParams(req.form).toString() : undefined,
          signal: AbortSignal.timeout(60_000),
        });
      } catch {
        if (++networkFailures >= 3) throw new OfflineError(this.deps.provider);
        await this.wait('network', backoffMs(attempt, timing.random()));
        continue;
      }
      let verdict: Verdict;
      if (res.status === 429) {
        const after = parseRetryAfter(res.headers.get('retry-after'), timing.clock());
        await res.body?.cancel();
        const ms = after ?? backoffMs(attempt, timing.random());
        if (ms > maxWait) throw new RateLimitedError(this.deps.provider, timing.clock() + ms);
        await this.wait(after !== null ? 'retry-after' : 'rate-limited', ms);
        continue;
      }
      if (res.status >= 500) {
        await res.body?.cancel();
        await this.wait('server-error', backoffMs(attempt, timing.random()));
        continue;
      }
      if (res.status === 401) {
        await res.body?.cancel();
        verdict = { kind: 'unauthorized' };
      } else if (res.status !== 200) {
        let body: unknown = null;
        if (req.classifyError) body = await res.json().catch(() => null);
        else await res.body?.cancel();
        verdict = req.classifyError?.(res.status, body) ?? { kind: 'fail', message: `${this.deps.provider} refused the request (HTTP ${res.status}).` };
      } else {
        let json: unknown;
        try {
          json = await res.json();
        } catch {
          verdict = { kind: 'fail', message: `${this.deps.provider} answered with something that is not JSON.` };
          throw new ProviderError(verdict.message);
        }
        verdict = req.classify ? req.classify(json) : { kind: 'ok', body: json };
      }
      if (verdict.kind === 'ok') return verdict.body;
      if (verdict.kind === 'fail') throw new ProviderError(verdict.message);
      if (verdict.kind === 'retry') {
        await this.wait('provider-slow-down', verdict.afterMs ?? backoffMs(attempt, timing.random(), 10_000));
        continue;
      }
      // unauthorized: one refresh, then the grant is gone.
      if (refreshed) throw new GrantRevokedError(this.deps.provider);
      refreshed = true;
      token = await this.deps.accessToken(token);
    }
  }
}
