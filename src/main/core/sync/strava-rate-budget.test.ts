// The provider-neutral rate budget (sync/http RateBudget) on a fake clock: fixed windows aligned
// to :00/:15/:30/:45 and midnight UTC (Strava), sliding windows (the config default), read-only
// windows, the provider's headers believed over our own count, short waits in place and long
// ones ending the run, and what a restarted process takes back. No test waits for real.
import { describe, expect, it } from 'vitest';
import { STRAVA_RATE_LIMITS } from '../providers/strava';
import { DAY_MS, FIFTEEN_MINUTES_MS, ProviderHttp, RateBudget, RateBudgetExhaustedError, type RateLimitPolicy, type Timing } from './http';

function fakeTiming(start: number) {
  const t = { now: start, slept: [] as number[] };
  const timing: Timing = {
    clock: () => t.now,
    sleep: async (ms) => {
      t.slept.push(ms);
      t.now += ms;
    },
    random: () => 0.5,
  };
  return { t, timing };
}

const at = (iso: string) => Date.parse(iso);
const headers = (h: Record<string, string>) => new Headers(h);

describe('fixed windows (Strava: 100 reads per 15 minutes, 1,000 a day)', () => {
  it('100 reads pass in a window; the 101st ends the run with the next sync due at the next quarter hour', async () => {
    const { t, timing } = fakeTiming(at('2026-03-01T10:07:00Z'));
    const b = new RateBudget('Strava', STRAVA_RATE_LIMITS, timing);
    for (let i = 0; i < 100; i++) await b.take('GET');
    const err = await b.take('GET').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateBudgetExhaustedError);
    expect((err as RateBudgetExhaustedError).retryAtMs).toBe(at('2026-03-01T10:15:00Z'));
    expect((err as RateBudgetExhaustedError).windowId).toBe('read-15min');
    // Nothing slept: 8 minutes is far longer than a sync waits in place.
    expect(t.slept).toEqual([]);
    t.now = at('2026-03-01T10:15:00Z');
    await expect(b.take('GET')).resolves.toBeUndefined();
  });

  it('a non-read request is counted by the overall windows only', async () => {
    const { timing } = fakeTiming(at('2026-03-01T10:00:00Z'));
    const b = new RateBudget('Strava', STRAVA_RATE_LIMITS, timing);
    for (let i = 0; i < 100; i++) await b.take('GET');
    await expect(b.take('POST')).resolves.toBeUndefined();
    expect(b.spare('POST')).toEqual({ left: 99, share: 99 / 200 });
    expect(b.spare('GET').left).toBe(0);
  });

  it('the daily window ends the run until midnight UTC even when the quarter hour has room', async () => {
    const { t, timing } = fakeTiming(at('2026-03-01T22:50:00Z'));
    const b = new RateBudget('Strava', STRAVA_RATE_LIMITS, timing);
    // Strava says 1,000 reads today already (another run earlier in the day), 10 in this window.
    b.observe(headers({ 'x-readratelimit-limit': '100,1000', 'x-readratelimit-usage': '10,1000' }), 'GET');
    const err = (await b.take('GET').catch((e: unknown) => e)) as RateBudgetExhaustedError;
    expect(err.windowId).toBe('read-day');
    expect(err.retryAtMs).toBe(at('2026-03-02T00:00:00Z'));
    t.now = at('2026-03-02T00:00:00Z');
    await expect(b.take('GET')).resolves.toBeUndefined();
  });

  it('the provider’s headers win over our own count, and a raised limit is taken up', async () => {
    const { timing } = fakeTiming(at('2026-03-01T10:00:00Z'));
    const b = new RateBudget('Strava', STRAVA_RATE_LIMITS, timing);
    await b.take('GET');
    // Another client of the same app used 40 meanwhile.
    b.observe(headers({ 'x-ratelimit-limit': '200,2000', 'x-ratelimit-usage': '41,41', 'x-readratelimit-limit': '300,3000', 'x-readratelimit-usage': '41,41' }), 'GET');
    expect(b.spare('GET')).toEqual({ left: 159, share: 159 / 200 });
  });

  it('a wait of under a minute to the next window is made in place', async () => {
    const { t, timing } = fakeTiming(at('2026-03-01T10:14:30Z'));
    const b = new RateBudget('Strava', STRAVA_RATE_LIMITS, timing);
    b.observe(headers({ 'x-readratelimit-limit': '100,1000', 'x-readratelimit-usage': '100,500' }), 'GET');
    await b.take('GET');
    expect(t.slept).toEqual([30_000]);
  });

  it('a restarted process takes back what the window used, plus one request that may have been on its way', async () => {
    const { t, timing } = fakeTiming(at('2026-03-01T10:01:00Z'));
    const first = new RateBudget('Strava', STRAVA_RATE_LIMITS, timing);
    for (let i = 0; i < 90; i++) await first.take('GET');
    const snap = first.snapshot();
    t.now += 60_000;
    const again = new RateBudget('Strava', STRAVA_RATE_LIMITS, timing);
    again.restore(snap);
    expect(again.spare('GET').left).toBe(9);
    // In the next window the saved count no longer matters.
    t.now = at('2026-03-01T10:15:00Z');
    const later = new RateBudget('Strava', STRAVA_RATE_LIMITS, timing);
    later.restore(snap);
    expect(later.spare('GET').left).toBe(100);
  });
});

describe('sliding windows and headers with a remaining count', () => {
  it('a sliding window waits in place for the oldest request to age out', async () => {
    const { t, timing } = fakeTiming(0);
    const b = RateBudget.sliding('Withings', 2, 60_000, timing);
    await b.take();
    t.now += 20_000;
    await b.take();
    await b.take();
    expect(t.slept).toEqual([40_000]);
  });

  it('a per-minute and per-day budget reported as remaining and reset seconds (WHOOP-like)', async () => {
    const { t, timing } = fakeTiming(at('2026-03-01T10:00:10Z'));
    const policy: RateLimitPolicy = {
      windows: [
        { id: 'minute', limit: 100, spanMs: 60_000, kind: 'fixed', headers: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset' } },
        { id: 'day', limit: 10_000, spanMs: DAY_MS, kind: 'fixed' },
      ],
    };
    const b = new RateBudget('WHOOP', policy, timing);
    await b.take();
    b.observe(headers({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' }), 'GET');
    await b.take();
    // Twelve seconds: waited in place.
    expect(t.slept).toEqual([12_000]);
  });

  it('ProviderHttp.spare is unlimited without a budget that knows', () => {
    const { timing } = fakeTiming(0);
    const http = new ProviderHttp({ provider: 'X', fetch, timing, limiter: { take: async () => undefined }, accessToken: async () => 't' });
    expect(http.spare()).toEqual({ left: Infinity, share: 1 });
    expect(FIFTEEN_MINUTES_MS).toBe(900_000);
  });
});
