// Calls to a provider's data API: a per-provider rate budget (below), Retry-After honoured, exponential
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

// ---- Rate budgets ----------------------------------------------------------------------------
// A provider's published limits, declared by its adapter (ProviderAdapter.rateLimits): windows
// that are either fixed (aligned to multiples of their span since the epoch, so 15 minutes reset
// at :00/:15/:30/:45 UTC and a day at midnight UTC) or sliding, each counting all requests or
// only some methods (reads), and each optionally reported by the provider in response headers
// (a used count or a remaining count, a limit, seconds to reset; comma lists are indexed). The
// budget counts its own requests, believes the provider's headers over its own count, waits in
// place only for short waits and otherwise stops the run until the window resets
// (RateBudgetExhaustedError): a sync never sleeps for a long window and never earns a 429.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RateWindowHeaders {
  /** Header with the window's limit (e.g. `x-ratelimit-limit`). */
  limit?: string;
  /** Header with the requests used in the current window. */
  usage?: string;
  /** Header with the requests left in the current window. */
  remaining?: string;
  /** Header with the seconds until the window resets. */
  reset?: string;
  /** Position in a comma-separated header value (Strava: 0 = 15 minutes, 1 = day). Default 0. */
  index?: number;
}

export interface RateWindow {
  id: string;
  /** Requests allowed per window. */
  limit: number;
  spanMs: number;
  /** fixed: resets at multiples of spanMs since the epoch (UTC); sliding: any spanMs-long stretch. */
  kind: 'fixed' | 'sliding';
  /** Only these methods count against it (Strava's read limit: GET). Default: every request. */
  methods?: readonly HttpMethod[];
  headers?: RateWindowHeaders;
}

export interface RateLimitPolicy {
  windows: readonly RateWindow[];
}

/** What a budget knew, saved between runs (a restart must not forget what a window has used). */
export interface RateSnapshot {
  at: number;
  windows: { id: string; used: number; limit: number; resetAt: number }[];
}

export const MINUTE_MS = 60_000;
export const FIFTEEN_MINUTES_MS = 15 * MINUTE_MS;
export const DAY_MS = 86_400_000;

/** The longest a sync waits in place for a rate window; longer waits end the run until then. */
export const MAX_IN_PROCESS_WAIT_MS = 60_000;

/** The run stopped because a window's allowance is used up; the next sync is due at `retryAtMs`. */
export class RateLimitedError extends Error {
  constructor(
    provider: string,
    readonly retryAtMs: number,
    message = `${provider} asked VitalSync to pause its requests. It will continue at the next sync.`,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** VitalSync itself stopped before a window's allowance ran out (no request was refused). */
export class RateBudgetExhaustedError extends RateLimitedError {
  constructor(
    provider: string,
    retryAtMs: number,
    readonly windowId: string,
  ) {
    super(provider, retryAtMs, `VitalSync used ${provider}'s allowance of requests for now; the sync continues when it resets.`);
    this.name = 'RateBudgetExhaustedError';
  }
}

interface WindowState {
  w: RateWindow;
  limit: number;
  used: number;
  /** Fixed windows: when the current one ends. */
  resetAt: number;
  /** Sliding windows: when each counted request was made. */
  stamps: number[];
}

function headerNumber(headers: Headers, name: string | undefined, index = 0): number | null {
  if (!name) return null;
  const raw = headers.get(name);
  if (raw === null) return null;
  const part = raw.split(',')[index];
  if (part === undefined) return null;
  const n = Number.parseFloat(part.trim());
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** The limiter a ProviderHttp asks before each request and tells about each answer. */
export interface RequestLimiter {
  take(method?: HttpMethod): Promise<void>;
  observe?(headers: Headers, method: HttpMethod): void;
  /** Requests left before a counting window of `method` runs out: the smallest share left and count. */
  spare?(method?: HttpMethod): { left: number; share: number };
}

export class RateBudget implements RequestLimiter {
  private readonly states: WindowState[];

  constructor(
    private readonly provider: string,
    policy: RateLimitPolicy,
    private readonly timing: Timing,
    private readonly opts: { maxWaitMs?: number; onChange?: (s: RateSnapshot) => void } = {},
  ) {
    const now = timing.clock();
    this.states = policy.windows.map((w) => ({ w, limit: w.limit, used: 0, resetAt: this.windowEnd(w, now), stamps: [] }));
  }

  /** A sliding-window budget of `requests` per `windowMs` (a provider that declares nothing else). */
  static sliding(provider: string, requests: number, windowMs: number, timing: Timing, opts?: { maxWaitMs?: number }): RateBudget {
    return new RateBudget(provider, { windows: [{ id: 'sliding', limit: requests, spanMs: windowMs, kind: 'sliding' }] }, timing, opts);
  }

  private windowEnd(w: RateWindow, now: number): number {
    return w.kind === 'fixed' ? Math.floor(now / w.spanMs) * w.spanMs + w.spanMs : now + w.spanMs;
  }

  private counts(s: WindowState, method: HttpMethod): boolean {
    return !s.w.methods || s.w.methods.includes(method);
  }

  /** Rolls windows forward to `now`. */
  private roll(now: number): void {
    for (const s of this.states) {
      if (s.w.kind === 'fixed') {
        if (now >= s.resetAt) {
          s.used = 0;
          s.resetAt = this.windowEnd(s.w, now);
        }
      } else {
        s.stamps = s.stamps.filter((t) => t > now - s.w.spanMs);
        s.used = s.stamps.length;
        s.resetAt = s.stamps.length ? s.stamps[0] + s.w.spanMs : now;
      }
    }
  }

  /** When a request of `method` may be made: now, or the instant the blocking windows free up. */
  availableAt(method: HttpMethod = 'GET'): { at: number; windowId: string | null } {
    const now = this.timing.clock();
    this.roll(now);
    let at = now;
    let windowId: string | null = null;
    for (const s of this.states) {
      if (!this.counts(s, method) || s.used < s.limit) continue;
      if (s.resetAt > at) {
        at = s.resetAt;
        windowId = s.w.id;
      }
    }
    return { at, windowId };
  }

  async take(method: HttpMethod = 'GET'): Promise<void> {
    const maxWait = this.opts.maxWaitMs ?? MAX_IN_PROCESS_WAIT_MS;
    for (;;) {
      const { at, windowId } = this.availableAt(method);
      const now = this.timing.clock();
      if (at <= now) break;
      if (at - now > maxWait) throw new RateBudgetExhaustedError(this.provider, at, windowId ?? 'unknown');
      await this.timing.sleep(at - now);
    }
    const now = this.timing.clock();
    for (const s of this.states) {
      if (!this.counts(s, method)) continue;
      s.used++;
      if (s.w.kind === 'sliding') {
        s.stamps.push(now);
        if (s.stamps.length === 1) s.resetAt = now + s.w.spanMs;
      }
    }
    this.changed();
  }

  /** The provider's own account of its windows wins over ours (other clients of the same app count too). */
  observe(headers: Headers, method: HttpMethod): void {
    const now = this.timing.clock();
    this.roll(now);
    let seen = false;
    for (const s of this.states) {
      const h = s.w.headers;
      if (!h || !this.counts(s, method)) continue;
      const limit = headerNumber(headers, h.limit, h.index);
      if (limit !== null && limit > 0) s.limit = limit;
      const usage = headerNumber(headers, h.usage, h.index);
      const remaining = headerNumber(headers, h.remaining, h.index);
      const used = usage ?? (remaining !== null ? s.limit - remaining : null);
      if (used !== null) {
        s.used = Math.max(0, used);
        seen = true;
      }
      const reset = headerNumber(headers, h.reset, h.index);
      if (reset !== null) s.resetAt = now + reset * 1000;
    }
    if (seen) this.changed();
  }

  /** Requests of `method` left before a window runs out (`left`), and the smallest share of a window left. */
  spare(method: HttpMethod = 'GET'): { left: number; share: number } {
    this.roll(this.timing.clock());
    let left = Infinity;
    let share = 1;
    for (const s of this.states) {
      if (!this.counts(s, method)) continue;
      left = Math.min(left, Math.max(0, s.limit - s.used));
      share = Math.min(share, Math.max(0, s.limit - s.used) / s.limit);
    }
    return { left, share };
  }

  snapshot(): RateSnapshot {
    return {
      at: this.timing.clock(),
      // Fixed windows only: a sliding window's requests age out within its span anyway.
      windows: this.states.filter((s) => s.w.kind === 'fixed').map((s) => ({ id: s.w.id, used: s.used, limit: s.limit, resetAt: s.resetAt })),
    };
  }

  /**
   * Takes back what an earlier process knew of its fixed windows. Windows that have reset since
   * are left alone; the others count one request more than was saved (one may have been on its
   * way when the process stopped).
   */
  restore(snap: RateSnapshot | null | undefined): void {
    if (!snap || !Array.isArray(snap.windows)) return;
    const now = this.timing.clock();
    for (const saved of snap.windows) {
      const s = this.states.find((x) => x.w.id === saved.id);
      if (!s || s.w.kind !== 'fixed' || !(saved.resetAt > now)) continue;
      s.used = Math.max(s.used, saved.used + 1);
      s.resetAt = saved.resetAt;
      if (saved.limit > 0) s.limit = saved.limit;
    }
  }

  private changed(): void {
    if (this.opts.onChange && this.states.some((s) => s.w.kind === 'fixed')) this.opts.onChange(this.snapshot());
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
  /**
   * The provider's reading of a 401 from its body, when a 401 can mean something other than a
   * token to refresh (Strava: a permission the person did not grant); null: refresh once, as usual.
   */
  classifyUnauthorized?: (json: unknown) => Verdict | null;
}

export interface ProviderHttpDeps {
  provider: string;
  fetch: typeof fetch;
  timing: Timing;
  limiter: RequestLimiter | RateLimiter;
  accessToken(stale?: string): Promise<string>;
  maxAttempts?: number;
  /** Longest Retry-After a sync waits for in place; longer ones end the run until next time (default MAX_IN_PROCESS_WAIT_MS). */
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

  /**
   * What is left of the provider's allowance for requests of `method` before a window runs out
   * (`left` requests; `share` the smallest fraction of a window left). Unlimited when the limiter
   * does not know. Optional work (Strava's heart-rate streams) asks before spending.
   */
  spare(method: HttpMethod = 'GET'): { left: number; share: number } {
    const l = this.deps.limiter as RequestLimiter;
    return l.spare ? l.spare(method) : { left: Infinity, share: 1 };
  }

  private async wait(reason: string, ms: number): Promise<void> {
    this.waits.push({ reason, ms });
    await this.deps.timing.sleep(ms);
  }

  async request(req: ApiRequest): Promise<unknown> {
    const { timing } = this.deps;
    const maxAttempts = this.deps.maxAttempts ?? 6;
    const maxWait = this.deps.maxWaitMs ?? MAX_IN_PROCESS_WAIT_MS;
    const method: HttpMethod = req.method ?? (req.form ? 'POST' : 'GET');
    const limiter = this.deps.limiter as RequestLimiter;
    let token = await this.deps.accessToken();
    let refreshed = false;
    let networkFailures = 0;
    for (let attempt = 0; ; attempt++) {
      if (attempt >= maxAttempts) throw new ProviderError(`${this.deps.provider} kept failing after ${maxAttempts} tries. VitalSync will try again at the next sync.`);
      await limiter.take(method);
      let res: Response;
      try {
        res = await this.deps.fetch(req.url, {
          method,
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
      limiter.observe?.(res.headers, method);
      let verdict: Verdict;
      if (res.status === 429) {
        const after = parseRetryAfter(res.headers.get('retry-after'), timing.clock());
        await res.body?.cancel();
        // A budget that learned from this answer's headers knows when its window frees up.
        const free = limiter instanceof RateBudget ? limiter.availableAt(method).at - timing.clock() : 0;
        const ms = after ?? (free > 0 ? free : backoffMs(attempt, timing.random()));
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
        let body: unknown = null;
        if (req.classifyUnauthorized) body = await res.json().catch(() => null);
        else await res.body?.cancel();
        verdict = req.classifyUnauthorized?.(body) ?? { kind: 'unauthorized' };
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
