import { describe, expect, it } from 'vitest';
import { localMidnightMs, parseDay, zoneOffsetMin } from '../time/zones';
import { backoffMs, parseRetryAfter } from '../sync/http';
import { deepLinkFromArgv, DeepLinkQueue, parseOAuthCallback } from './deeplink';

describe('OAuth answers arriving by link', () => {
  it('a well-formed vitalsync:// answer is read', () => {
    expect(parseOAuthCallback('vitalsync://oauth/withings?code=abc123&state=withings.xyz', { scheme: 'custom' })).toEqual({
      provider: 'withings',
      code: 'abc123',
      state: 'withings.xyz',
      error: null,
      errorDescription: null,
    });
    expect(parseOAuthCallback('vitalsync://oauth/oura/?error=access_denied&state=s', { scheme: 'custom' })).toMatchObject({ provider: 'oura', error: 'access_denied' });
  });

  it.each([
    ['another scheme', 'https://oauth/withings?code=a&state=b'],
    ['another host', 'vitalsync://settings/withings?code=a&state=b'],
    ['an unknown provider', 'vitalsync://oauth/evilcorp?code=a&state=b'],
    ['an unknown parameter', 'vitalsync://oauth/withings?code=a&state=b&redirect=https://evil'],
    ['a repeated parameter', 'vitalsync://oauth/withings?code=a&code=b&state=b'],
    ['no state', 'vitalsync://oauth/withings?code=a'],
    ['credentials in the URL', 'vitalsync://user:pw@oauth/withings?code=a&state=b'],
    ['script in a value', 'vitalsync://oauth/withings?code=<script>&state=b'],
    ['an extra path', 'vitalsync://oauth/withings/more?code=a&state=b'],
    ['a huge link', `vitalsync://oauth/withings?code=${'a'.repeat(5000)}&state=b`],
  ])('a link with %s is dropped', (_why, url) => {
    expect(parseOAuthCallback(url, { scheme: 'custom' })).toBeNull();
  });

  it('the loopback listener only accepts its own path on 127.0.0.1', () => {
    expect(parseOAuthCallback('http://127.0.0.1:5000/oauth/withings/callback?code=a&state=b', { scheme: 'loopback', provider: 'withings' })).not.toBeNull();
    expect(parseOAuthCallback('http://127.0.0.1:5000/oauth/oura/callback?code=a&state=b', { scheme: 'loopback', provider: 'withings' })).toBeNull();
    expect(parseOAuthCallback('http://localhost:5000/oauth/withings/callback?code=a&state=b', { scheme: 'loopback', provider: 'withings' })).toBeNull();
  });

  it('links that arrive before the window is ready are delivered in order once it is', () => {
    const q = new DeepLinkQueue();
    q.push('vitalsync://oauth/withings?code=1&state=a');
    q.push('vitalsync://oauth/withings?code=2&state=a');
    const got: string[] = [];
    q.ready((u) => got.push(u));
    q.push('vitalsync://oauth/withings?code=3&state=a');
    expect(got.map((u) => new URL(u).searchParams.get('code'))).toEqual(['1', '2', '3']);
  });

  it('the link is found among Windows/Linux process arguments', () => {
    expect(deepLinkFromArgv(['/usr/bin/vitalsync', '--flag', 'vitalsync://oauth/withings?code=a&state=b'])).toBe('vitalsync://oauth/withings?code=a&state=b');
    expect(deepLinkFromArgv(['/usr/bin/vitalsync'])).toBeNull();
  });
});

describe('time zones and waits', () => {
  it('a Paris day across the end of summer time lasts 25 hours', () => {
    const start = localMidnightMs('Europe/Paris', parseDay('2025-10-26')!)!;
    const end = localMidnightMs('Europe/Paris', parseDay('2025-10-27')!)!;
    expect(new Date(start).toISOString()).toBe('2025-10-25T22:00:00.000Z');
    expect((end - start) / 3_600_000).toBe(25);
    expect(zoneOffsetMin('Asia/Kolkata', start)).toBe(330);
    expect(zoneOffsetMin('Not/AZone', start)).toBeNull();
  });

  it('Retry-After is read in seconds or as a date, and backoff grows with jitter inside its bounds', () => {
    expect(parseRetryAfter('7', 0)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:30 GMT', 10_000)).toBe(20_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(backoffMs(0, 0)).toBe(1000);
    expect(backoffMs(0, 1)).toBe(2000);
    expect(backoffMs(3, 0.5)).toBe(12_000);
    expect(backoffMs(20, 1)).toBe(120_000);
  });
});
