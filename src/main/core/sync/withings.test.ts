// Withings end to end against the provider emulator: the real keychain (Secret Service), real
// SQLite, real HTTP. Run under scripts/with-keyring.sh (npm test does).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn } from '../../../../e2e/emulator/browser';
import { startEmulator, type ProviderEmulator } from '../../../../e2e/emulator/server';
import { defaultWithingsData, expectedWithingsCounts } from '../../../../e2e/emulator/withings/data';
import { dispatch } from '../dispatch';
import { tokenAccount } from '../oauth/tokens';
import type { TokenSet } from '../oauth/tokenClient';
import { connectWithings, emulatedCore, testKeychain } from './test-helpers';

let emu: ProviderEmulator;
let env: ReturnType<typeof emulatedCore>;

beforeEach(async () => {
  emu = await startEmulator({ pageSize: 2 });
  env = emulatedCore(emu);
});
afterEach(async () => {
  await env.cleanup();
  await emu.close();
});

const count = (sql: string, ...args: unknown[]) => (env.core.db.$client.prepare(sql).get(...args) as { n: number }).n;
const metricValues = (metric: string) =>
  env.core.db.$client
    .prepare(
      `SELECT s.value AS value, s.start_ms AS startMs, s.end_ms AS endMs, coalesce(z.name, 'home') AS zone, s.zone_src AS zoneSrc, s.day AS day,
         o.name AS origin, o.device_kind AS kind
       FROM samples s JOIN sample_types t ON t.id = s.type_id JOIN origins o ON o.id = s.origin_id LEFT JOIN zones z ON z.id = s.zone_id
       WHERE t.metric = ? ORDER BY s.start_ms, s.id`,
    )
    .all(metric) as { value: number; startMs: number; endMs: number; zone: string; zoneSrc: number; day: number | null; origin: string; kind: string }[];
/** Epoch day of a YYYY-MM-DD date, computed apart from the code under test. */
const epochDay = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`) / 86_400_000;

describe('connecting Withings', () => {
  it('signing in through the browser keeps the tokens in the keychain and marks the account connected', async () => {
    const { begin, visit, outcome } = await connectWithings(env.core);
    expect(begin.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/withings\/callback$/);
    expect(new URL(begin.authorizeUrl).searchParams.get('state')).toMatch(/^withings\.[\w-]{20,}$/);
    expect(visit.status).toBe(200);
    expect(visit.text).toContain('Withings is connected.');
    expect(outcome).toEqual({ provider: 'withings', ok: true, message: 'Withings is connected.' });
    const tokens = JSON.parse((await env.keychain.get(tokenAccount('withings', emu.userIds.withings)))!) as TokenSet;
    expect(tokens.accountId).toBe(emu.userIds.withings);
    expect(tokens.refreshToken).toBeTruthy();
    const [info] = (await env.core.connections.list()).filter((c) => c.provider === 'withings');
    expect(info).toMatchObject({ status: 'connected', accountId: emu.userIds.withings, credentials: { configured: true, from: 'keychain' } });
    expect(env.events('oauth:finished')).toEqual([{ provider: 'withings', ok: true, message: 'Withings is connected.' }]);
  });

  it('declining on the provider page ends the attempt with a clear message and stores nothing', async () => {
    const c = emu.clients.withings;
    await env.core.connections.setup('withings', c.clientId, c.clientSecret);
    const begin = await env.core.connections.connect('withings', { redirect: 'loopback', port: 0 });
    const visit = await signIn(begin.authorizeUrl, 'deny');
    expect(visit.status).toBe(400);
    expect(visit.text).toContain('You declined access on Withings');
    expect(env.events('oauth:finished')[0]).toMatchObject({ ok: false, message: expect.stringContaining('declined') });
    expect(await env.keychain.get(tokenAccount('withings', emu.userIds.withings))).toBeNull();
    expect(count('SELECT count(*) AS n FROM connections')).toBe(0);
    expect(env.core.connections.flows.isPending('withings')).toBe(false);
  });

  it('an answer whose state does not match is refused and nothing is exchanged', async () => {
    const c = emu.clients.withings;
    await env.core.connections.setup('withings', c.clientId, c.clientSecret);
    const begin = await env.core.connections.connect('withings', { redirect: 'loopback', port: 0 });
    const visit = await signIn(begin.authorizeUrl, 'approve', (u) => u.searchParams.set('state', 'withings.forgedforgedforgedforged'));
    expect(visit.status).toBe(400);
    expect(visit.text).toContain('does not match the sign-in VitalSync started');
    expect(emu.count({ provider: 'withings', path: '/v2/oauth2', action: 'requesttoken' })).toBe(0);
    expect(count('SELECT count(*) AS n FROM connections')).toBe(0);
  });

  it('a second Connect while one waits is refused with a clear message', async () => {
    const c = emu.clients.withings;
    await env.core.connections.setup('withings', c.clientId, c.clientSecret);
    await env.core.connections.connect('withings', { redirect: 'loopback', port: 0 });
    const res = await dispatch(env.core.handlers, 'connections:connect', { provider: 'withings', redirect: 'loopback', port: 0 });
    expect(res).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('already waiting') } });
    expect(env.core.connections.cancel('withings')).toBe(true);
  });

  it('a sign-in nobody finishes times out with a clear message and the listener closes', async () => {
    const quick = emulatedCore(emu, { deps: { connections: { oauthTimeoutMs: 300 } } });
    try {
      const c = emu.clients.withings;
      await quick.core.connections.setup('withings', c.clientId, c.clientSecret);
      const begin = await quick.core.connections.connect('withings', { redirect: 'loopback', port: 0 });
      const outcome = await quick.core.connections.waitForSignIn('withings');
      expect(outcome).toMatchObject({ ok: false, message: expect.stringContaining('within 0 seconds') });
      await expect(fetch(begin.redirectUri)).rejects.toThrow();
      expect(quick.core.connections.flows.isPending('withings')).toBe(false);
    } finally {
      await quick.cleanup();
    }
  });

  it('Withings needs the person’s own https bounce page; once given, the answer finds its way back through it', async () => {
    const own = emulatedCore(emu, { deps: { connections: { env: { ...emu.env(), VITALSYNC_WITHINGS_BOUNCE_URL: '' } } } });
    try {
      const c = emu.clients.withings;
      await own.core.connections.setup('withings', c.clientId, c.clientSecret);
      const refused = await dispatch(own.core.handlers, 'connections:connect', { provider: 'withings' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'NEEDS_SETUP', message: expect.stringContaining('bounce page') } });
      const before = (await own.core.connections.list()).find((x) => x.provider === 'withings')!;
      expect(before).toMatchObject({ credentials: { configured: false }, setup: { needsBounce: true, bounceUrl: null, redirectUri: '' } });

      const bounce = `${emu.url}/withings/bounce/`;
      const bad = await dispatch(own.core.handlers, 'connections:setup', { provider: 'withings', clientId: c.clientId, clientSecret: c.clientSecret, bounceUrl: 'http://evil.example/' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      await own.core.connections.setup('withings', c.clientId, c.clientSecret, bounce);
      const begin = await own.core.connections.connect('withings');
      expect(begin).toMatchObject({ redirect: 'https-bounce', redirectUri: bounce });
      const { decideOnAuthorizePage } = await import('../../../../e2e/emulator/browser');
      const location = new URL(await decideOnAuthorizePage(begin.authorizeUrl, 'approve'));
      expect(location.origin + location.pathname).toBe(bounce);
      // What bounce.js does: the port in the state names the loopback listener.
      const port = /^withings\.[\w-]+\.(\d+)$/.exec(location.searchParams.get('state')!)![1];
      const res = await fetch(`http://127.0.0.1:${port}/oauth/withings/callback${location.search}`);
      expect(res.status).toBe(200);
      expect(own.core.connections.store.byProvider('withings')!.status).toBe('connected');
    } finally {
      await own.cleanup();
    }
  });

  it('Connect without client credentials says where to set them up', async () => {
    const res = await dispatch(env.core.handlers, 'connections:connect', { provider: 'withings' });
    expect(res).toMatchObject({ ok: false, error: { code: 'NEEDS_SETUP', message: expect.stringContaining('Set up credentials') } });
  });
});

describe('syncing Withings', () => {
  it('a first sync brings measures, activity, workouts and sleep, each in its own zone; a second adds nothing', async () => {
    await connectWithings(env.core);
    const [first] = await env.core.connections.syncNow('withings');
    const expected = expectedWithingsCounts();
    expect(first).toMatchObject({ status: 'completed', error: null, duplicates: 0 });
    expect(first.inserted).toBe(expected.samples + expected.workouts);
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expected.samples);
    expect(count('SELECT count(*) AS n FROM workouts')).toBe(expected.workouts);
    // Paged two at a time: 10 measurement groups (the objective is not asked for) take 5 pages.
    expect(first.endpoints.measures.pages).toBe(5);

    const weights = metricValues('weight');
    const own = weights.filter((w) => w.kind !== 'unassigned');
    expect(own.map((w) => w.value)).toEqual([72.35, 72.1, 71.95, 72.4, 72.2, 71.8]);
    expect(own.find((w) => w.value === 72.2)!.origin).toBe('Manual entry');
    // Withings names the zone: kept as the provider's (ZONE_SRC 2), so its day follows Paris' rules.
    expect(own[0]).toMatchObject({ zone: 'Europe/Paris', zoneSrc: 2, origin: 'Body+', day: null });
    expect(new Set(own.map((w) => w.zone))).toEqual(new Set(['Europe/Paris']));
    // attrib 1 (maybe someone else on the scale): stored apart, under an unassigned origin.
    expect(weights.filter((w) => w.kind === 'unassigned')).toEqual([expect.objectContaining({ value: 58.3, origin: 'Body+ (unassigned)' })]);
    expect(metricValues('body_fat').find((w) => w.kind === 'unassigned')!.value).toBeCloseTo(0.275, 6);
    expect(metricValues('body_fat')[0].value).toBeCloseTo(0.184, 6);
    expect(metricValues('spo2')[0].value).toBeCloseTo(0.97, 6);
    expect(metricValues('blood_pressure_systolic')[0].value).toBe(121);
    expect(metricValues('vo2max')).toEqual([expect.objectContaining({ value: 42.5, origin: 'ScanWatch' })]);

    // Daily grain: one row per named local date, spanning that day in the day's own zone.
    const steps = metricValues('steps');
    expect(steps).toHaveLength(7);
    expect(steps[0]).toMatchObject({ value: 8412, startMs: Date.parse('2025-10-20T22:00:00Z'), endMs: Date.parse('2025-10-21T22:00:00Z'), zone: 'Europe/Paris', day: epochDay('2025-10-21') });
    const dstDay = steps.find((s) => s.value === 9001)!;
    expect(dstDay).toMatchObject({ startMs: Date.parse('2025-10-25T22:00:00Z'), endMs: Date.parse('2025-10-26T23:00:00Z'), day: epochDay('2025-10-26') });
    expect(steps[6]).toMatchObject({ value: 7777, startMs: Date.parse('2025-10-27T04:00:00Z'), zone: 'America/New_York', day: epochDay('2025-10-27') });
    expect(metricValues('distance')[0].value).toBeCloseTo(8412 * 0.78 / 1000, 6);

    const stages = env.core.db.$client
      .prepare(
        `SELECT t.raw_type AS raw, s.category AS stage, count(*) AS n, sum(s.value) AS minutes FROM samples s JOIN sample_types t ON t.id = s.type_id
         WHERE t.metric = 'sleep' GROUP BY t.raw_type, s.category ORDER BY raw, stage`,
      )
      .all() as { raw: string; stage: string; n: number; minutes: number }[];
    expect(stages).toEqual([
      { raw: 'sleep.in_bed', stage: 'in_bed', n: 3, minutes: 0 },
      // Two nights with segments: their summaries' durations are not stored, so nothing counts twice.
      { raw: 'sleep.stage', stage: 'awake', n: 4, minutes: 0 },
      { raw: 'sleep.stage', stage: 'deep', n: 2, minutes: 0 },
      { raw: 'sleep.stage', stage: 'light', n: 4, minutes: 0 },
      { raw: 'sleep.stage', stage: 'rem', n: 2, minutes: 0 },
      // The night without segments: its summary's minutes per stage, on its date.
      { raw: 'sleep.total.awake', stage: 'awake', n: 1, minutes: 30 },
      { raw: 'sleep.total.deep', stage: 'deep', n: 1, minutes: 90 },
      { raw: 'sleep.total.light', stage: 'light', n: 1, minutes: 210 },
      { raw: 'sleep.total.rem', stage: 'rem', n: 1, minutes: 90 },
    ]);
    expect(new Set(metricValues('sleep').filter((s) => s.day !== null).map((s) => s.day))).toEqual(new Set([epochDay('2025-10-25')]));
    expect(metricValues('withings_sleep_score').map((s) => s.value)).toEqual([81, 74, 77]);

    const changed = env.events('data:changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ reason: 'sync:withings', fromMs: Date.parse('2025-10-20T22:00:00Z') });

    const [second] = await env.core.connections.syncNow('withings');
    expect(second).toMatchObject({ status: 'completed', inserted: 0, replaced: 0 });
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expected.samples);
    // Incremental: the second run asked only for what changed since the first began.
    const lastMeas = emu.requests.filter((r) => r.params.action === 'getmeas').at(-1)!;
    expect(Number(lastMeas.params.lastupdate)).toBeGreaterThan(0);
    expect(env.events('data:changed')).toHaveLength(1);
    const runs = env.core.db.$client.prepare('SELECT status, trigger FROM sync_runs ORDER BY id').all();
    expect(runs).toEqual([
      { status: 'completed', trigger: 'manual' },
      { status: 'completed', trigger: 'manual' },
    ]);
  });

  it('a day Withings revises replaces the old total instead of counting twice', async () => {
    await connectWithings(env.core);
    await env.core.connections.syncNow('withings');
    const day = emu.withings.activities.find((a) => a.date === '2025-10-24')!;
    day.steps = 13_500;
    day.modified = Math.floor(Date.now() / 1000) + 5;
    const [again] = await env.core.connections.syncNow('withings');
    expect(again.replaced).toBeGreaterThanOrEqual(1);
    const steps = metricValues('steps').filter((s) => s.day === epochDay('2025-10-24'));
    expect(steps.map((s) => s.value)).toEqual([13_500]);
  });

  it('a crash between pages resumes from the saved cursor and stores nothing twice', async () => {
    await connectWithings(env.core);
    // The third page of measures never answers; the app dies while waiting for it.
    emu.fault({ provider: 'withings', action: 'getmeas', params: { offset: '4' }, kind: 'hang' });
    const crashed = env.core.connections.syncNow('withings').catch(() => null);
    await expect.poll(() => emu.count({ provider: 'withings', action: 'getmeas' }), { timeout: 10_000 }).toBe(3);
    const saved = env.core.connections.store.byProvider('withings')!.cursors.measures as { pending: { offset: number } };
    expect(saved.pending.offset).toBe(4);
    const before = count('SELECT count(*) AS n FROM samples');
    expect(before).toBeGreaterThan(0);
    // Simulated crash: the process is gone, the database file stays as it was.
    const dataDir = env.core.dataDir;
    env.core.close();

    const restarted = emulatedCore(emu, { keychain: env.keychain, dataDir });
    try {
      const [run] = await restarted.core.connections.syncNow('withings');
      expect(run.status).toBe('completed');
      const resumed = emu.requests.filter((r) => r.params.action === 'getmeas').slice(3);
      expect(resumed[0].params).toMatchObject({ offset: '4', lastupdate: '0' });
      expect(run.endpoints.measures.duplicates).toBe(0);
      const expected = expectedWithingsCounts();
      expect((restarted.core.db.$client.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n).toBe(expected.samples);
    } finally {
      restarted.core.close();
      await emu.close();
      await crashed;
    }
  });

  it('429 with Retry-After waits as long as it was told, then carries on', async () => {
    await connectWithings(env.core);
    emu.fault({ provider: 'withings', action: 'getactivity', kind: 'http', status: 429, retryAfter: '7' });
    const [run] = await env.core.connections.syncNow('withings');
    expect(run.status).toBe('completed');
    expect(env.waits).toEqual([7000]);
    const summary = JSON.parse((env.core.db.$client.prepare('SELECT summary_json AS s FROM sync_runs').get() as { s: string }).s) as { waits: unknown[] };
    expect(summary.waits).toEqual([{ reason: 'retry-after', ms: 7000 }]);
    expect(run.inserted).toBe(expectedWithingsCounts().samples + expectedWithingsCounts().workouts);
  });

  it('Withings status 601 inside HTTP 200 backs off with growing waits, then succeeds', async () => {
    await connectWithings(env.core);
    emu.fault({ provider: 'withings', action: 'getmeas', kind: 'withings-status', status: 601, times: 2 });
    const [run] = await env.core.connections.syncNow('withings');
    expect(run.status).toBe('completed');
    expect(env.waits).toHaveLength(2);
    // Equal jitter with random 0.5: three quarters of 10 s · 2^attempt.
    expect(env.waits).toEqual([7500, 15000]);
    expect(emu.requests.filter((r) => r.params.action === 'getmeas' && r.apiStatus === 601)).toHaveLength(2);
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expectedWithingsCounts().samples);
  });

  it('Withings status 503 (invalid parameters) inside HTTP 200 ends the run with an error in plain words', async () => {
    await connectWithings(env.core);
    emu.fault({ provider: 'withings', action: 'getworkouts', kind: 'withings-status', status: 503 });
    const [run] = await env.core.connections.syncNow('withings');
    expect(run).toMatchObject({ status: 'failed', connectionStatus: 'error', error: 'Withings refused VitalSync\'s request (status 503: invalid parameters).' });
    expect(env.waits).toEqual([]);
    // The next sync picks up where this one stopped.
    const [next] = await env.core.connections.syncNow('withings');
    expect(next.status).toBe('completed');
    expect(next.endpoints.measures.inserted).toBe(0);
    expect(count('SELECT count(*) AS n FROM workouts')).toBe(2);
  });

  it('a 5xx that never ends fails the run in plain words and keeps what was read', async () => {
    await connectWithings(env.core);
    emu.fault({ provider: 'withings', action: 'getworkouts', kind: 'http', status: 502, times: 50 });
    const [run] = await env.core.connections.syncNow('withings');
    expect(run.status).toBe('failed');
    expect(run.error).toContain('Withings kept failing');
    expect(env.core.connections.store.byProvider('withings')!.status).toBe('error');
    expect(count('SELECT count(*) AS n FROM samples')).toBeGreaterThan(0);
  });
});

describe('scheduling', () => {
  it('offline: the sync fails quietly, the connection stays connected, and it tries again soon', async () => {
    await connectWithings(env.core);
    emu.fault({ provider: 'withings', kind: 'drop', times: 10 });
    const [run] = await env.core.connections.syncNow('withings');
    expect(run).toMatchObject({ status: 'failed', connectionStatus: 'connected' });
    const conn = env.core.connections.store.byProvider('withings')!;
    expect(conn.status).toBe('connected');
    expect(conn.lastError).toContain('when you are back online');
    expect(conn.nextSyncAt! - Date.now()).toBeLessThanOrEqual(5 * 60_000);
  });

  it('the scheduler syncs on launch, on resume from sleep, and right after connecting', async () => {
    env.core.connections.startScheduler(60_000);
    await connectWithings(env.core);
    const runs = () => env.core.db.$client.prepare('SELECT trigger, status FROM sync_runs ORDER BY id').all() as { trigger: string; status: string }[];
    await expect.poll(() => runs().filter((r) => r.status === 'completed').length, { timeout: 10_000 }).toBe(1);
    expect(runs()[0].trigger).toBe('connect');
    env.core.connections.onResume();
    await expect.poll(() => runs().filter((r) => r.status === 'completed').length, { timeout: 10_000 }).toBe(2);
    expect(runs()[1].trigger).toBe('resume');
    env.core.connections.close();
    // A restart with the next sync not yet due does nothing; once due, the launch sync runs.
    env.core.connections.store.setStatus(env.core.connections.store.byProvider('withings')!.id, 'connected', { nextSyncAt: Date.now() - 1 });
    env.core.connections.startScheduler(60_000);
    await expect.poll(() => runs().length, { timeout: 10_000 }).toBe(3);
    expect(runs()[2].trigger).toBe('launch');
    await env.core.connections.engine.idle();
  });
});

describe('token lifecycle', () => {
  it('ten callers at once with an expired token cause exactly one refresh, and the rotated refresh token is saved first', async () => {
    await connectWithings(env.core);
    const account = tokenAccount('withings', emu.userIds.withings);
    const before = JSON.parse((await env.keychain.get(account))!) as TokenSet;
    await env.keychain.set(account, JSON.stringify({ ...before, expiresAt: Date.now() - 1000 }));
    const tokens = await Promise.all(Array.from({ length: 10 }, () => env.core.connections.tokens.accessToken('withings', emu.userIds.withings)));
    expect(emu.count({ provider: 'withings', path: '/v2/oauth2', grantType: 'refresh_token' })).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    const after = JSON.parse((await env.keychain.get(account))!) as TokenSet;
    expect(after.accessToken).toBe(tokens[0]);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now());
    // Using the new access token retires the old refresh token at Withings: only the saved one works now.
    const [run] = await env.core.connections.syncNow('withings');
    expect(run.status).toBe('completed');
    const old = await fetch(emu.endpoints('withings').tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ action: 'requesttoken', grant_type: 'refresh_token', client_id: emu.clients.withings.clientId, client_secret: emu.clients.withings.clientSecret, refresh_token: before.refreshToken! }),
    });
    expect(((await old.json()) as { status: number }).status).toBe(503);
  });

  it('an access token the provider refuses (401 in the body) is refreshed once and the sync carries on', async () => {
    await connectWithings(env.core);
    emu.expireAccessTokens('withings');
    const [run] = await env.core.connections.syncNow('withings');
    expect(run.status).toBe('completed');
    expect(emu.count({ provider: 'withings', grantType: 'refresh_token' })).toBe(1);
  });

  it('revoked access turns the connection to needs_reauth, keeps the data, and Reconnect resumes', async () => {
    await connectWithings(env.core);
    await env.core.connections.syncNow('withings');
    const kept = count('SELECT count(*) AS n FROM samples');
    emu.revokeAll('withings');
    const [run] = await env.core.connections.syncNow('withings');
    expect(run).toMatchObject({ status: 'failed', connectionStatus: 'needs_reauth' });
    const conn = env.core.connections.store.byProvider('withings')!;
    expect(conn.status).toBe('needs_reauth');
    expect(conn.lastError).toContain('Click Reconnect; your data is kept');
    expect(count('SELECT count(*) AS n FROM samples')).toBe(kept);
    expect(env.events('sync:status').at(-1)).toMatchObject({ provider: 'withings', status: 'needs_reauth' });
    // A sync while it needs re-authorisation does not call the provider at all.
    const calls = emu.requests.length;
    expect((await env.core.connections.syncNow('withings'))[0].status).toBe('skipped');
    expect(emu.requests.length).toBe(calls);

    await connectWithings(env.core);
    expect(env.core.connections.store.byProvider('withings')!.status).toBe('connected');
    const [after] = await env.core.connections.syncNow('withings');
    expect(after).toMatchObject({ status: 'completed', inserted: 0 });
  });

  it('disconnect revokes at Withings, deletes the tokens, and keeps or deletes the data as asked', async () => {
    await connectWithings(env.core);
    await env.core.connections.syncNow('withings');
    const res = await dispatch(env.core.handlers, 'connections:disconnect', { provider: 'withings', deleteData: false });
    expect(res).toEqual({ ok: true, value: { revoked: true, deletedSamples: 0, deletedWorkouts: 0 } });
    expect(await env.keychain.get(tokenAccount('withings', emu.userIds.withings))).toBeNull();
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expectedWithingsCounts().samples);
    expect(env.core.connections.store.byProvider('withings')!.status).toBe('disconnected');

    const del = await dispatch(env.core.handlers, 'connections:disconnect', { provider: 'withings', deleteData: true });
    expect(del).toMatchObject({ ok: true, value: { deletedSamples: expectedWithingsCounts().samples, deletedWorkouts: 2 } });
    expect(count('SELECT count(*) AS n FROM samples')).toBe(0);
  });
});

describe('deep links', () => {
  it('a vitalsync:// answer completes a custom-scheme sign-in; junk links are ignored', async () => {
    const keychain = testKeychain();
    const desk = emulatedCore(emu, { keychain, deps: { connections: { canReceiveDeepLinks: true } } });
    try {
      const c = emu.clients.withings;
      await desk.core.connections.setup('withings', c.clientId, c.clientSecret);
      const begin = await desk.core.connections.connect('withings', { redirect: 'custom' });
      expect(begin.redirectUri).toBe('vitalsync://oauth/withings');
      expect(await desk.core.connections.handleDeepLink('vitalsync://evil/withings?code=x&state=y')).toBeNull();
      const { decideOnAuthorizePage } = await import('../../../../e2e/emulator/browser');
      const location = await decideOnAuthorizePage(begin.authorizeUrl, 'approve');
      expect(location.startsWith('vitalsync://oauth/withings?')).toBe(true);
      const outcome = await desk.core.connections.handleDeepLink(location);
      expect(outcome).toMatchObject({ ok: true });
      expect(desk.core.connections.store.byProvider('withings')!.status).toBe('connected');
      // Replaying the same answer does nothing.
      expect(await desk.core.connections.handleDeepLink(location)).toMatchObject({ ok: false, message: expect.stringContaining('was not waiting') });
    } finally {
      await desk.cleanup();
    }
  });
});

it('the emulator data matches what the tests expect', () => {
  expect(expectedWithingsCounts(defaultWithingsData())).toMatchObject({ measures: 44, activity: 42, sleep: 3 * 4 + 12 + 4, workouts: 2 });
});
