// Strava end to end against the provider emulator: the real keychain (Secret Service), real
// SQLite, real HTTP, and one fake clock shared by the app and the emulator, so Strava's
// 15-minute and daily windows pass without waiting. Run under scripts/with-keyring.sh.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideOnAuthorizePage, signIn } from '../../../../e2e/emulator/browser';
import { startEmulator, type ProviderEmulator } from '../../../../e2e/emulator/server';
import { generatedStravaData } from '../../../../e2e/emulator/strava/data';
import type { TokenSet } from '../oauth/tokenClient';
import { tokenAccount } from '../oauth/tokens';
import type { SyncResult } from './engine';
import { emulatedCore, testKeychain, type TestKeychain } from './test-helpers';

const QUARTER = 15 * 60_000;
const DAY = 86_400_000;

/** The one clock of this test: the app's and the emulator's; a sleep moves it on. */
const clock = { now: 0 };
let emu: ProviderEmulator;
let env: ReturnType<typeof emulatedCore>;

function core(opts: { keychain?: TestKeychain; dataDir?: string } = {}) {
  return emulatedCore(emu, {
    ...opts,
    deps: {
      clock: () => clock.now,
      connections: {
        env: { ...emu.env(), VITALSYNC_STRAVA_LOOPBACK_PORT: '0' },
        sleep: async (ms) => {
          clock.now += ms;
        },
        random: () => 0.5,
      },
    },
  });
}

async function start(data?: ReturnType<typeof generatedStravaData>) {
  clock.now = Date.parse('2026-11-02T09:03:00Z');
  emu = await startEmulator({ now: () => clock.now, ...(data ? { strava: data } : {}) });
  env = core();
}

afterEach(async () => {
  await env?.cleanup();
  await emu?.close();
});

async function connectStrava(c = env.core) {
  const client = emu.clients.strava;
  await c.connections.setup('strava', client.clientId, client.clientSecret);
  const begin = await c.connections.connect('strava', { redirect: 'loopback', port: 0 });
  const done = c.connections.waitForSignIn('strava')!;
  const visit = await signIn(begin.authorizeUrl, 'approve');
  return { begin, visit, outcome: await done };
}

const sync = (c = env.core) => c.connections.engine.sync('strava', 'manual');
const api = (path?: string) => emu.requests.filter((r) => r.provider === 'strava' && r.path.startsWith('/api/v3') && (path === undefined || r.path === path));
const count = (sql: string, c = env.core) => (c.db.$client.prepare(sql).get() as { n: number }).n;
const workouts = () =>
  env.core.db.$client
    .prepare(
      `SELECT w.activity_type AS type, w.start_ms AS startMs, w.end_ms AS endMs, coalesce(z.name, 'home') AS zone, w.zone_src AS zoneSrc, w.duration_s AS durationS,
         w.distance_km AS distanceKm, w.energy_kcal AS energyKcal, w.avg_heart_rate AS avgHr, w.max_heart_rate AS maxHr, o.name AS origin, o.device_kind AS kind, w.details_json AS details
       FROM workouts w JOIN origins o ON o.id = w.origin_id LEFT JOIN zones z ON z.id = w.zone_id ORDER BY w.start_ms`,
    )
    .all() as { type: string; startMs: number; endMs: number; zone: string; zoneSrc: number; durationS: number; distanceKm: number | null; energyKcal: number | null; avgHr: number | null; maxHr: number | null; origin: string; kind: string; details: string }[];

describe('connecting Strava', () => {
  beforeEach(() => start());

  it('signs in through a loopback redirect, keeps the tokens in the keychain and marks the athlete connected', async () => {
    const { begin, visit, outcome } = await connectStrava();
    expect(begin.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/strava\/callback$/);
    const q = new URL(begin.authorizeUrl).searchParams;
    expect(q.get('scope')).toBe('read,activity:read_all');
    expect(q.get('approval_prompt')).toBe('auto');
    expect(visit.status).toBe(200);
    expect(outcome).toEqual({ provider: 'strava', ok: true, message: 'Strava is connected.' });
    const tokens = JSON.parse((await env.keychain.get(tokenAccount('strava', '271828')))!) as TokenSet;
    expect(tokens).toMatchObject({ accountId: '271828', refreshToken: expect.any(String) });
    const info = (await env.core.connections.list()).find((c) => c.provider === 'strava')!;
    expect(info).toMatchObject({ available: true, status: 'connected', accountId: '271828', credentials: { configured: true } });
  });

  it('Strava refuses a redirect outside the app’s callback domain; localhost and 127.0.0.1 pass on any port', async () => {
    const client = emu.clients.strava;
    const authorize = (redirect: string) =>
      `${emu.endpoints('strava').authUrl}?${new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: redirect, state: 'strava.abcdefgh', scope: 'read' })}`;
    await expect(decideOnAuthorizePage(authorize('https://evil.example/cb'), 'approve')).rejects.toThrow(/400/);
    for (const ok of ['http://127.0.0.1:5/cb', 'http://localhost:65000/x', 'http://127.0.0.1/cb']) {
      expect(await decideOnAuthorizePage(authorize(ok), 'approve')).toContain('code=');
    }
  });
});

describe('syncing Strava', () => {
  beforeEach(() => start());

  it('a first sync brings every activity as a workout with its details and heart-rate stream; a second adds nothing', async () => {
    await connectStrava();
    const first = await sync();
    expect(first).toMatchObject({ status: 'completed', error: null, duplicates: 0 });
    expect(first.pausedUntil).toBeUndefined();
    // 4 workouts + 4 readings of 9001's stream + 3 of 9002's.
    expect(first.inserted).toBe(4 + 4 + 3);
    const w = workouts();
    expect(w.map((x) => [x.type, x.zone, x.zoneSrc, x.origin, x.kind])).toEqual([
      ['Ride', 'America/Los_Angeles', 2, 'Garmin Edge 1030', 'watch'],
      // No sport_type: the older `type`.
      ['Run', 'Europe/Paris', 2, 'Garmin Forerunner 955', 'watch'],
      // An unknown zone: 08:00 local at 02:15Z is +05:45.
      ['Hike', '+05:45', 3, 'Strava', 'app'],
      ['Yoga', 'Europe/Paris', 2, 'Manual entry', 'manual'],
    ]);
    // The ride: 14:00Z + elapsed 6,000 s; moving 5,400 s; 40.25 km; calories from the details (not the 950 kJ).
    expect(w[0]).toMatchObject({ startMs: Date.parse('2025-10-20T14:00:00Z'), endMs: Date.parse('2025-10-20T15:40:00Z'), durationS: 5400, distanceKm: 40.25, energyKcal: 1020, avgHr: 141.5, maxHr: 172 });
    expect(JSON.parse(w[0].details)).toMatchObject({ stravaId: 9001, elapsedS: 6000, movingS: 5400, elevationGainM: 410, kilojoules: 950, energyFrom: 'calories' });
    expect(w[3]).toMatchObject({ distanceKm: null, energyKcal: 180, avgHr: null });
    const hr = env.core.db.$client
      .prepare(`SELECT s.start_ms AS s, s.end_ms AS e, s.value AS v FROM samples s JOIN sample_types t ON t.id = s.type_id WHERE t.metric = 'heart_rate' ORDER BY s.start_ms`)
      .all() as { s: number; e: number; v: number }[];
    const ride = Date.parse('2025-10-20T14:00:00Z');
    expect(hr.slice(0, 4)).toEqual([
      { s: ride, e: ride + 10_000, v: 120 },
      { s: ride + 10_000, e: ride + 20_000, v: 130 },
      { s: ride + 20_000, e: ride + 20_000, v: 140 },
      { s: ride + 320_000, e: ride + 320_000, v: 150 },
    ]);
    // One list page (asked from the start, ascending), 4 details, 2 streams.
    expect(api('/api/v3/athlete/activities').map((r) => r.params)).toEqual([{ after: '0', page: '1', per_page: '200' }]);
    expect(api().length).toBe(1 + 4 + 2);

    const calls = api().length;
    const second = await sync();
    expect(second).toMatchObject({ status: 'completed', inserted: 0, replaced: 0 });
    // One list request from a second before the latest activity: it comes back and is skipped by id.
    expect(api().slice(calls).map((r) => r.path)).toEqual(['/api/v3/athlete/activities']);
    expect(api().at(-1)!.params).toMatchObject({ after: String(Date.parse('2025-10-25T17:00:00Z') / 1000 - 1), page: '1' });
    expect(count('SELECT count(*) AS n FROM workouts')).toBe(4);
  });

  it('incremental: a new activity is listed after the latest and is the only one fetched', async () => {
    await connectStrava();
    await sync();
    const base = emu.stravaApi.data.activities[0];
    emu.stravaApi.data.activities.push({ ...base, id: 9005, name: 'Evening Ride', start_date: '2025-10-26T16:00:00Z', start_date_local: '2025-10-26T09:00:00Z', has_heartrate: false });
    const calls = api().length;
    const run = await sync();
    expect(run).toMatchObject({ status: 'completed', inserted: 1 });
    expect(api().slice(calls).map((r) => r.path)).toEqual(['/api/v3/athlete/activities', '/api/v3/activities/9005']);
    expect(count('SELECT count(*) AS n FROM workouts')).toBe(5);
  });

  it('an activity deleted between list and details is written from its summary', async () => {
    await connectStrava();
    emu.fault({ provider: 'strava', path: '/api/v3/activities/9004', kind: 'http', status: 404 });
    const run = await sync();
    expect(run.status).toBe('completed');
    const yoga = workouts().find((x) => x.type === 'Yoga')!;
    // The summary has no calories.
    expect(yoga.energyKcal).toBeNull();
  });

  it('every refresh stores the rotated refresh token; the one before no longer works', async () => {
    await connectStrava();
    const account = tokenAccount('strava', '271828');
    const seen = [(JSON.parse((await env.keychain.get(account))!) as TokenSet).refreshToken];
    for (let i = 0; i < 2; i++) {
      emu.expireAccessTokens('strava');
      const run = await sync();
      expect(run.status).toBe('completed');
      const now = JSON.parse((await env.keychain.get(account))!) as TokenSet;
      expect(seen).not.toContain(now.refreshToken);
      seen.push(now.refreshToken);
    }
    expect(emu.count({ provider: 'strava', grantType: 'refresh_token' })).toBe(2);
    const old = await fetch(emu.endpoints('strava').tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: emu.clients.strava.clientId, client_secret: emu.clients.strava.clientSecret, refresh_token: seen[0]! }),
    });
    expect(old.status).toBe(400);
  });
});

describe('another client of the same app', () => {
  beforeEach(() => start());

  it('used 99 of the window’s 100 reads: the list’s headers say so, and VitalSync stops there without a 429', async () => {
    await connectStrava();
    emu.stravaApi.spend(99);
    const first = await sync();
    expect(first).toMatchObject({ status: 'completed', inserted: 0, pausedUntil: Date.parse('2026-11-02T09:15:00Z') });
    expect(emu.stravaApi.tooMany).toBe(0);
    clock.now = first.pausedUntil!;
    const second = await sync();
    expect(second).toMatchObject({ status: 'completed', inserted: 4 + 7 });
    // The list page read before the pause was kept: the second run went straight to the details.
    expect(api('/api/v3/athlete/activities')).toHaveLength(1);
  });

  it('used all 100: the one 429 (its headers name the window) ends the run quietly until the next quarter hour', async () => {
    await connectStrava();
    emu.stravaApi.spend(100);
    const first = await sync();
    expect(first).toMatchObject({ status: 'failed', connectionStatus: 'connected', error: expect.stringContaining('asked VitalSync to pause') });
    expect(emu.stravaApi.tooMany).toBe(1);
    // Nothing was waited for in place (the window ends in 12 minutes).
    const summary = JSON.parse(env.core.db.$client.prepare('SELECT summary_json FROM sync_runs WHERE id = ?').pluck().get(first.runId) as string) as { waits: unknown[] };
    expect(summary.waits).toEqual([]);
    expect(env.core.connections.store.byProvider('strava')!.nextSyncAt).toBe(Date.parse('2026-11-02T09:15:00Z'));
    clock.now = Date.parse('2026-11-02T09:15:00Z');
    expect(await sync()).toMatchObject({ status: 'completed', inserted: 4 + 7 });
    expect(emu.stravaApi.tooMany).toBe(1);
  });
});

describe('losing access', () => {
  beforeEach(() => start());

  it('access revoked on Strava’s site (its own 400 for the refresh token) asks for Reconnect and keeps the data', async () => {
    await connectStrava();
    await sync();
    emu.revokeAll('strava');
    const run = await sync();
    expect(run).toMatchObject({ status: 'failed', connectionStatus: 'needs_reauth' });
    expect(env.core.connections.store.byProvider('strava')!.lastError).toContain('Click Reconnect');
    expect(count('SELECT count(*) AS n FROM workouts')).toBe(4);
  });

  it('activity access not granted on Strava’s consent page: the sync says so in plain words and does not refresh in vain', async () => {
    await connectStrava();
    emu.stravaApi.activityAccessDeclined = true;
    const run = await sync();
    expect(run).toMatchObject({ status: 'failed', connectionStatus: 'error', error: expect.stringContaining('did not give VitalSync permission to read your activities') });
    expect(emu.count({ provider: 'strava', grantType: 'refresh_token' })).toBe(0);
    expect(await env.keychain.get(tokenAccount('strava', '271828'))).not.toBeNull();
  });

  it('disconnect deauthorizes at Strava and forgets the tokens', async () => {
    await connectStrava();
    await sync();
    expect(await env.core.connections.disconnect('strava', false)).toEqual({ revoked: true, deletedSamples: 0, deletedWorkouts: 0 });
    expect(emu.count({ provider: 'strava', path: '/oauth/deauthorize' })).toBe(1);
    expect(await env.keychain.get(tokenAccount('strava', '271828'))).toBeNull();
  });
});

describe('paging', () => {
  beforeEach(() => start(generatedStravaData(450)));

  it('450 activities are listed 200 a page (page 1, 2, 3) and each fetched once', async () => {
    await connectStrava();
    // Room for everything in one go: these limits are the app's, raised (Strava grants that on request).
    emu.stravaApi.limits = { overall: [2_000, 20_000], read: [1_000, 10_000] };
    const run = await sync();
    expect(run).toMatchObject({ status: 'completed' });
    expect(api('/api/v3/athlete/activities').map((r) => [r.params.page, r.params.per_page, r.params.after])).toEqual([
      ['1', '200', '0'],
      ['2', '200', '0'],
      ['3', '200', '0'],
    ]);
    expect(count('SELECT count(*) AS n FROM workouts')).toBe(450);
    expect(new Set(api().filter((r) => /^\/api\/v3\/activities\/\d+$/.test(r.path)).map((r) => r.path)).size).toBe(450);
  });
});

describe('a first import of 2,000 activities under the real limits (100 reads per 15 minutes, 1,000 a day)', () => {
  beforeEach(() => start(generatedStravaData(2_000)));

  it('spreads over windows and days without a single 429, and resumes after a crash mid-way without duplicates', async () => {
    await connectStrava();
    const runs: SyncResult[] = [];
    /** Runs syncs the way the scheduler does: each one when the previous said the next is due. */
    const drain = async (c: typeof env.core, stop: (r: SyncResult) => boolean) => {
      for (let i = 0; i < 100; i++) {
        const r = await sync(c);
        runs.push(r);
        expect(r.status).toBe('completed');
        if (r.pausedUntil !== undefined) {
          expect(c.connections.store.byProvider('strava')!.nextSyncAt).toBe(r.pausedUntil);
          clock.now = r.pausedUntil;
        }
        if (stop(r)) return r;
      }
      throw new Error('the import never finished');
    };

    // The first window: 100 reads (one list page, then details), then the run ends at 09:15.
    const first = await sync();
    runs.push(first);
    expect(first).toMatchObject({ status: 'completed', inserted: 99, pausedUntil: Date.parse('2026-11-02T09:15:00Z') });
    expect(api().length).toBe(100);
    clock.now = first.pausedUntil!;

    // Into day two, then the app dies while a details request hangs.
    await drain(env.core, (r) => (r.pausedUntil ?? 0) >= Date.parse('2026-11-03T00:00:00Z'));
    const before = count('SELECT count(*) AS n FROM workouts');
    expect(before).toBeGreaterThan(900);
    const nextId = (JSON.parse(env.core.db.$client.prepare(`SELECT cursors_json AS c FROM connections WHERE provider = 'strava'`).pluck().get() as string) as { activities: { queue: { id: number }[] } }).activities.queue[3].id;
    emu.fault({ provider: 'strava', path: `/api/v3/activities/${nextId}`, kind: 'hang' });
    const crashed = sync().catch(() => null);
    await expect.poll(() => emu.requests.some((r) => r.path === `/api/v3/activities/${nextId}`), { timeout: 10_000 }).toBe(true);
    const { dataDir } = env.core;
    const keychain = env.keychain;
    env.core.close();
    void crashed;

    // A new process on the same database and keychain, a little later in the same window.
    clock.now += 60_000;
    env = core({ keychain, dataDir });
    const last = await drain(env.core, (r) => r.pausedUntil === undefined);
    expect(last.status).toBe('completed');

    // Every activity exactly once; not one 429.
    expect(count('SELECT count(*) AS n FROM workouts')).toBe(2_000);
    expect(emu.stravaApi.tooMany).toBe(0);
    expect(api().filter((r) => r.httpStatus === 429)).toEqual([]);
    expect(runs.reduce((a, r) => a + r.duplicates, 0)).toBe(0);
    // Never over a window: at most 100 reads per quarter hour and 1,000 per UTC day.
    // The request that hung never reached the emulated API (the fault took it), so Strava's counters never saw it.
    const hung = emu.requests.find((r) => r.path === `/api/v3/activities/${nextId}`);
    const per = (span: number) => {
      const m = new Map<number, number>();
      for (const r of api().filter((x) => x !== hung)) m.set(Math.floor(r.at / span), (m.get(Math.floor(r.at / span)) ?? 0) + 1);
      return [...m.values()];
    };
    expect(Math.max(...per(QUARTER))).toBeLessThanOrEqual(100);
    expect(Math.max(...per(DAY))).toBeLessThanOrEqual(1_000);
    // 10 list pages and 2,000 details are over 2,000 reads: three UTC days at least.
    expect(per(DAY).length).toBeGreaterThanOrEqual(3);
    // Each activity's details were fetched once, except in the page the crash interrupted: its
    // first three (fetched, never committed) and the fourth (hung) were fetched again after the restart.
    const details = api().filter((r) => /^\/api\/v3\/activities\/\d+$/.test(r.path));
    expect(details.length).toBe(2_000 + 4);
    expect(details.filter((r) => r.path === `/api/v3/activities/${nextId}`)).toHaveLength(2);
  });
});

it('a second keychain is a second app install: nothing shared', () => {
  expect(testKeychain().service).not.toBe(testKeychain().service);
});
