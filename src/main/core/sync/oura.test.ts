// Oura end to end against the provider emulator (e2e/emulator/oura): the real keychain (Secret
// Service), real SQLite, real HTTP, the real sync engine. The clock is frozen at 2024-03-11
// 12:00 UTC and the account's three days end on 2024-03-10, so every instant below is worked out
// by hand. Run under scripts/with-keyring.sh.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideOnAuthorizePage } from '../../../../e2e/emulator/browser';
import { defaultOuraData, expectedOuraCounts } from '../../../../e2e/emulator/oura/data';
import { startEmulator, type ProviderEmulator } from '../../../../e2e/emulator/server';
import { tokenAccount } from '../oauth/tokens';
import type { TokenSet } from '../oauth/tokenClient';
import { emulatedCore } from './test-helpers';

const NOW = Date.parse('2024-03-11T12:00:00Z');
const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const epochDay = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`) / DAY;

let emu: ProviderEmulator;
let env: ReturnType<typeof emulatedCore>;

beforeEach(async () => {
  emu = await startEmulator({ pageSize: 2, now: () => NOW, oura: defaultOuraData('2024-03-10') });
  env = emulatedCore(emu, { deps: { clock: () => NOW } });
});
afterEach(async () => {
  await env.core.connections.engine.idle();
  await env.cleanup();
  await emu.close();
});

/** Client credentials, Connect, Allow in the "browser" (optionally with fewer scopes ticked). */
async function connectOura(scope?: string) {
  const c = emu.clients.oura;
  await env.core.connections.setup('oura', c.clientId, c.clientSecret);
  const begin = await env.core.connections.connect('oura', { redirect: 'loopback', port: 0 });
  const done = env.core.connections.waitForSignIn('oura')!;
  const authorize = new URL(begin.authorizeUrl);
  if (scope !== undefined) authorize.searchParams.set('scope', scope);
  const res = await fetch(await decideOnAuthorizePage(authorize.toString(), 'approve'));
  expect(res.status).toBe(200);
  return { begin, outcome: await done };
}

const sync = async () => (await env.core.connections.syncNow('oura'))[0];
const count = (sql: string, ...args: unknown[]) => (env.core.db.$client.prepare(sql).get(...args) as { n: number }).n;
const metric = (m: string) =>
  env.core.db.$client
    .prepare(
      `SELECT s.value, s.start_ms AS startMs, s.end_ms AS endMs, s.day, s.category, coalesce(z.name, 'home') AS zone, t.raw_type AS raw, o.name AS origin
       FROM samples s JOIN sample_types t ON t.id = s.type_id JOIN origins o ON o.id = s.origin_id LEFT JOIN zones z ON z.id = s.zone_id
       WHERE t.metric = ? ORDER BY s.start_ms, s.id`,
    )
    .all(m) as { value: number; startMs: number; endMs: number; day: number | null; category: string; zone: string; raw: string; origin: string }[];
const ouraRequests = (collection?: string) => emu.requests.filter((r) => r.provider === 'oura' && r.path.startsWith(`/v2/usercollection/${collection ?? ''}`));

describe('connecting Oura', () => {
  it('signs in over loopback with a client secret and no PKCE (Oura documents none), asking only for the scopes the sync reads', async () => {
    const { begin, outcome } = await connectOura();
    expect(outcome).toMatchObject({ provider: 'oura', ok: true, message: 'Oura is connected.' });
    const q = new URL(begin.authorizeUrl).searchParams;
    expect(q.get('scope')).toBe('daily heartrate workout spo2');
    expect(q.get('code_challenge')).toBeNull();
    const tokens = JSON.parse((await env.keychain.get(tokenAccount('oura', emu.userIds.oura)))!) as TokenSet;
    expect(tokens.refreshToken).toBeTruthy();
    expect(env.core.connections.store.byProvider('oura')).toMatchObject({ status: 'connected' });
  });
});

describe('syncing Oura', () => {
  it('a first sync brings every collection, paged by next_token alone, heart rate in 30-day windows; a second adds nothing', async () => {
    await connectOura();
    const first = await sync();
    const expected = expectedOuraCounts();
    expect(first).toMatchObject({ status: 'completed', error: null, duplicates: 0, inserted: expected.samples + expected.workouts });
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expected.samples);
    expect(count('SELECT count(*) AS n FROM workouts')).toBe(2);
    // Two per page: 3 days of activity take 2 pages; heart rate's last window (12 readings) 6.
    expect(first.endpoints.daily_activity.pages).toBe(2);
    expect(first.endpoints.heartrate.inserted).toBe(13);

    // Never a date beside a next_token (Oura's 422), and Oura never had to say so.
    const paged = ouraRequests().filter((r) => r.params.next_token !== undefined);
    expect(paged.length).toBeGreaterThan(5);
    for (const r of paged) expect(Object.keys(r.params)).toEqual(['next_token']);
    expect(ouraRequests().filter((r) => r.httpStatus !== 200)).toEqual([]);
    // The dated collections: the last two years up to tomorrow (UTC).
    expect(ouraRequests('daily_activity')[0].params).toEqual({ start_date: '2022-03-12', end_date: '2024-03-12' });
    // Heart rate: 25 windows of at most 30 days from 2022-03-12 12:00 to now, each starting where the last ended.
    const windows = ouraRequests('heartrate').filter((r) => r.params.start_datetime);
    expect(windows).toHaveLength(25);
    expect(windows[0].params).toEqual({ start_datetime: '2022-03-12T12:00:00.000Z', end_datetime: '2022-04-11T12:00:00.000Z' });
    expect(windows.at(-1)!.params).toEqual({ start_datetime: '2024-03-01T12:00:00.000Z', end_datetime: '2024-03-11T12:00:00.000Z' });
    for (const [i, w] of windows.entries()) {
      expect(at(w.params.end_datetime) - at(w.params.start_datetime)).toBeLessThanOrEqual(30 * DAY);
      if (i > 0) expect(w.params.start_datetime).toBe(windows[i - 1].params.end_datetime);
    }

    // Steps: daily totals of each `day`, spanning the local day at +01:00 (23:00 UTC the evening before).
    expect(metric('steps').map((s) => [s.value, s.day, s.startMs, s.endMs, s.zone])).toEqual([
      [8000, epochDay('2024-03-08'), at('2024-03-07T23:00:00Z'), at('2024-03-08T23:00:00Z'), '+01:00'],
      [10_500, epochDay('2024-03-09'), at('2024-03-08T23:00:00Z'), at('2024-03-09T23:00:00Z'), '+01:00'],
      [3000, epochDay('2024-03-10'), at('2024-03-09T23:00:00Z'), at('2024-03-10T23:00:00Z'), '+01:00'],
    ]);
    expect(metric('active_energy').map((s) => s.value)).toEqual([400, 520, 150]);
    // sleep-1 from 2024-03-08 23:10 (+01:00) = 22:10 UTC: awake 5, light 15, deep 10, REM 10, light 20, awake 5 minutes.
    const stages = metric('sleep').filter((s) => s.raw === 'sleep.stage');
    expect(stages.slice(0, 6).map((s) => [s.category, (s.endMs - s.startMs) / 60_000])).toEqual([
      ['awake', 5],
      ['light', 15],
      ['deep', 10],
      ['rem', 10],
      ['light', 20],
      ['awake', 5],
    ]);
    expect(stages[0].startMs).toBe(at('2024-03-08T22:10:00Z'));
    // The nap: light 14:00-14:20 (+01:00); its last awake slot begins at bedtime_end and is cut away.
    expect(stages[6]).toMatchObject({ category: 'light', startMs: at('2024-03-09T13:00:00Z'), endMs: at('2024-03-09T13:20:00Z') });
    expect(stages).toHaveLength(7);
    // sleep-2 has no phases: its durations are the totals of 2024-03-10.
    expect(metric('sleep').filter((s) => s.day !== null).map((s) => [s.category, s.value, s.day])).toEqual([
      ['deep', 60, epochDay('2024-03-10')],
      ['light', 240, epochDay('2024-03-10')],
      ['rem', 90, epochDay('2024-03-10')],
      ['awake', 30, epochDay('2024-03-10')],
    ]);
    // Resting heart rate: the lowest of each main sleep, at its bedtime_end (the nap's 60 is not one).
    expect(metric('resting_heart_rate').map((s) => [s.value, s.startMs])).toEqual([
      [52, at('2024-03-09T06:00:00Z')],
      [50, at('2024-03-10T05:30:00Z')],
    ]);
    expect(metric('hrv_rmssd').map((s) => s.value)).toEqual([45, 38, 50]);
    expect(metric('oura_sleep_score').map((s) => s.value)).toEqual([78, 82]);
    expect(metric('oura_readiness').map((s) => [s.value, s.day])).toEqual([
      [75, epochDay('2024-03-08')],
      [80, epochDay('2024-03-09')],
      [66, epochDay('2024-03-10')],
    ]);
    expect(metric('spo2').map((s) => s.value)).toEqual([0.975, 0.96]);
    // Heart rate is UTC at Oura: home zone.
    const hr = metric('heart_rate');
    expect(hr).toHaveLength(13);
    expect(hr[0]).toMatchObject({ value: 57, startMs: at('2024-01-30T12:00:00Z'), zone: 'home' });
    const workouts = env.core.db.$client.prepare('SELECT activity_type AS type, start_ms AS s, duration_s AS d, distance_km AS km, energy_kcal AS kcal FROM workouts ORDER BY start_ms').all();
    expect(workouts).toEqual([
      { type: 'running', s: at('2024-03-09T17:00:00Z'), d: 2700, km: 7.2, kcal: 480 },
      { type: 'strength_training', s: at('2024-03-10T07:00:00Z'), d: 1800, km: null, kcal: 90 },
    ]);

    const second = await sync();
    expect(second).toMatchObject({ status: 'completed', inserted: 0, replaced: 0 });
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expected.samples);
    // Incremental: the last 7 days again (Oura revises them), heart rate from a week before the last run.
    const n = ouraRequests('daily_activity').length;
    expect(ouraRequests('daily_activity')[n - 2].params).toEqual({ start_date: '2024-03-04', end_date: '2024-03-12' });
    expect(ouraRequests('heartrate').filter((r) => r.params.start_datetime).at(-1)!.params).toEqual({ start_datetime: '2024-03-04T12:00:00.000Z', end_datetime: '2024-03-11T12:00:00.000Z' });
  });

  it('a reading on the bound two heart rate windows share comes back from both requests and is stored once', async () => {
    // 2024-03-01 12:00 UTC ends window 24 and starts window 25; both bounds are inclusive.
    emu.oura.heartrate.push({ bpm: 71, source: 'awake', timestamp: '2024-03-01T12:00:00+00:00' });
    await connectOura();
    const run = await sync();
    expect(run.status).toBe('completed');
    expect(run.endpoints.heartrate).toMatchObject({ inserted: 14, duplicates: 0 });
    expect(metric('heart_rate').filter((s) => s.startMs === at('2024-03-01T12:00:00Z')).map((s) => s.value)).toEqual([71]);
  });

  it('the emulator answers 422 to dates sent beside a next_token, as Oura does', async () => {
    const { accessToken } = emu.issueTokens('oura');
    const base = `${emu.endpoints('oura').apiBase}/v2/usercollection/daily_activity`;
    const get = (q: string) => fetch(`${base}?${q}`, { headers: { authorization: `Bearer ${accessToken}` } });
    const first = (await (await get('start_date=2024-03-01&end_date=2024-03-12')).json()) as { next_token: string };
    expect(first.next_token).toBeTruthy();
    expect((await get(`next_token=${first.next_token}&start_date=2024-03-01`)).status).toBe(422);
    expect((await get(`next_token=${first.next_token}`)).status).toBe(200);
  });

  it('a day Oura revises replaces its totals', async () => {
    await connectOura();
    await sync();
    const day = emu.oura.daily_activity.find((d) => d.day === '2024-03-10')!;
    day.steps = 9000;
    day.class_5_min = '11';
    const again = await sync();
    // The old steps total replaced; the new total and the first activity class run inserted.
    expect(again).toMatchObject({ replaced: 1, inserted: 2 });
    expect(metric('steps').filter((s) => s.day === epochDay('2024-03-10')).map((s) => s.value)).toEqual([9000]);
  });

  it('a crash while a next_token page is out resumes with that token alone and stores nothing twice', async () => {
    await connectOura();
    // The emulator's token for the second page of sleep (its own format: collection, query, offset).
    const token = Buffer.from(JSON.stringify({ c: 'sleep', q: { start_date: '2022-03-12', end_date: '2024-03-12' }, o: 2 })).toString('base64url');
    emu.fault({ provider: 'oura', path: '/v2/usercollection/sleep', params: { next_token: token }, kind: 'hang' });
    const crashed = env.core.connections.syncNow('oura').catch(() => null);
    await expect.poll(() => ouraRequests('sleep').length, { timeout: 10_000 }).toBe(2);
    const saved = env.core.connections.store.byProvider('oura')!.cursors.sleep as { pending: { nextToken: string } };
    expect(saved.pending.nextToken).toBe(token);
    const dataDir = env.core.dataDir;
    env.core.close();

    const restarted = emulatedCore(emu, { keychain: env.keychain, dataDir, deps: { clock: () => NOW } });
    try {
      const [run] = await restarted.core.connections.syncNow('oura');
      expect(run.status).toBe('completed');
      expect(ouraRequests('sleep')[2].params).toEqual({ next_token: token });
      expect(run.endpoints.sleep).toMatchObject({ pages: 1, duplicates: 0 });
      expect((restarted.core.db.$client.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n).toBe(expectedOuraCounts().samples);
    } finally {
      restarted.core.close();
      await emu.close();
      await crashed;
    }
  });

  it('429 with Retry-After waits as long as it was told, then carries on', async () => {
    await connectOura();
    emu.fault({ provider: 'oura', path: '/v2/usercollection/sleep', kind: 'http', status: 429, retryAfter: '7' });
    const run = await sync();
    expect(run.status).toBe('completed');
    expect(env.waits).toEqual([7000]);
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expectedOuraCounts().samples);
  });
});

describe('refusals', () => {
  it('a 403 for a scope the person did not allow says which permission is missing, and keeps what was read', async () => {
    await connectOura('daily workout spo2');
    const run = await sync();
    expect(run).toMatchObject({ status: 'failed', connectionStatus: 'error' });
    expect(run.error).toBe('Oura did not give VitalSync access to heart rate (the "heartrate" permission is missing). Reconnect Oura and allow heart rate; your data is kept.');
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expectedOuraCounts().samples - expectedOuraCounts().heartrate);
  });

  it('a 403 because the Oura membership expired says so', async () => {
    await connectOura();
    emu.ouraApi.membershipExpired = true;
    const run = await sync();
    expect(run).toMatchObject({ status: 'failed', connectionStatus: 'error' });
    expect(run.error).toContain('the Oura membership on this account has expired');
    expect(run.error).not.toContain('permission');
  });
});

describe('tokens', () => {
  it('a refused access token (401) is refreshed once; the rotated refresh token is saved, and the old one is dead at Oura', async () => {
    await connectOura();
    const account = tokenAccount('oura', emu.userIds.oura);
    const before = JSON.parse((await env.keychain.get(account))!) as TokenSet;
    emu.expireAccessTokens('oura');
    const run = await sync();
    expect(run.status).toBe('completed');
    expect(emu.count({ provider: 'oura', grantType: 'refresh_token' })).toBe(1);
    const after = JSON.parse((await env.keychain.get(account))!) as TokenSet;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    const c = emu.clients.oura;
    const reuse = await fetch(emu.endpoints('oura').tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: before.refreshToken!, client_id: c.clientId, client_secret: c.clientSecret }),
    });
    expect(reuse.status).toBe(400);
    // The saved one still works: the next sync needs no new sign-in.
    emu.expireAccessTokens('oura');
    expect((await sync()).status).toBe('completed');
  });

  it('revoked access turns the connection to needs_reauth and keeps the data', async () => {
    await connectOura();
    await sync();
    emu.revokeAll('oura');
    const run = await sync();
    expect(run).toMatchObject({ status: 'failed', connectionStatus: 'needs_reauth' });
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expectedOuraCounts().samples);
  });
});
