// WHOOP end to end against the provider emulator: the real keychain (Secret Service), real
// SQLite, real HTTP, the real sync engine. Run under scripts/with-keyring.sh.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn } from '../../../../e2e/emulator/browser';
import { startEmulator, type EmulatorOptions, type ProviderEmulator } from '../../../../e2e/emulator/server';
import { defaultWhoopData, expectedWhoopCounts, NAP_DAY, PENDING_CYCLE } from '../../../../e2e/emulator/whoop/data';
import type { Series } from '../../../shared/contract';
import { dispatch } from '../dispatch';
import { tokenAccount } from '../oauth/tokens';
import type { TokenSet } from '../oauth/tokenClient';
import { emulatedCore } from './test-helpers';

let emu: ProviderEmulator;
let env: ReturnType<typeof emulatedCore>;
/** How far the emulator's clock runs ahead of the real one: the core's waits advance it. */
let skew = 0;

async function setup(opts: EmulatorOptions = {}) {
  skew = 0;
  emu = await startEmulator({ now: () => Date.now() + skew, ...opts });
  env = emulatedCore(emu);
}
beforeEach(async () => {
  await setup();
});
afterEach(async () => {
  await env.cleanup();
  await emu.close();
});

const api = (path: string) => `/developer/v2/${path}`;
const count = (sql: string, ...args: unknown[]) => (env.core.db.$client.prepare(sql).get(...args) as { n: number }).n;
const metricValues = (metric: string) =>
  env.core.db.$client
    .prepare(
      `SELECT s.value AS value, s.start_ms AS startMs, s.end_ms AS endMs, coalesce(z.name, 'home') AS zone, s.zone_src AS zoneSrc, s.day AS day, t.raw_type AS raw,
         s.category AS category, o.name AS origin, o.device_kind AS kind
       FROM samples s JOIN sample_types t ON t.id = s.type_id JOIN origins o ON o.id = s.origin_id LEFT JOIN zones z ON z.id = s.zone_id
       WHERE t.metric = ? ORDER BY s.start_ms, s.id`,
    )
    .all(metric) as { value: number; startMs: number; endMs: number; zone: string; zoneSrc: number; day: number | null; raw: string; category: string; origin: string; kind: string }[];
const epochDay = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`) / 86_400_000;

/** Client credentials, Connect, Allow in the "browser"; `scope` replaces the scopes asked for. */
async function connectWhoop(core = env.core, scope?: string) {
  const c = emu.clients.whoop;
  await core.connections.setup('whoop', c.clientId, c.clientSecret);
  const begin = await core.connections.connect('whoop', { redirect: 'loopback', port: 0 });
  const done = core.connections.waitForSignIn('whoop')!;
  // A grant without `offline`: as if the developer app did not have that scope.
  const authorize = new URL(begin.authorizeUrl);
  if (scope !== undefined) authorize.searchParams.set('scope', scope);
  const visit = await signIn(authorize.toString(), 'approve');
  return { begin, visit, outcome: await done };
}

const keychainTokens = async () => JSON.parse((await env.keychain.get(tokenAccount('whoop', emu.userIds.whoop)))!) as TokenSet;

describe('connecting WHOOP', () => {
  it('signs in over loopback asking for `offline`, sends the client secret, and keeps a refresh token in the keychain', async () => {
    const { begin, visit, outcome } = await connectWhoop();
    expect(visit.status).toBe(200);
    expect(outcome).toEqual({ provider: 'whoop', ok: true, message: 'WHOOP is connected.' });
    const url = new URL(begin.authorizeUrl);
    expect(url.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['offline', 'read:recovery', 'read:cycles', 'read:sleep', 'read:workout', 'read:body_measurement']));
    // WHOOP requires a state of at least 8 characters.
    expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(8);
    const exchange = emu.requests.find((r) => r.provider === 'whoop' && r.params.grant_type === 'authorization_code')!;
    expect(exchange.params.client_secret).toBe(emu.clients.whoop.clientSecret);
    const tokens = await keychainTokens();
    expect(tokens).toMatchObject({ accountId: emu.userIds.whoop, refreshToken: expect.any(String) });
    const [info] = (await env.core.connections.list()).filter((c) => c.provider === 'whoop');
    expect(info).toMatchObject({ status: 'connected', available: true, accountId: '10129' });
  });
});

describe('syncing WHOOP', () => {
  it('a first sync brings cycles, recoveries, sleep, workouts and the body, paged 25 at a time; a second adds nothing', async () => {
    await connectWhoop();
    const [first] = await env.core.connections.syncNow('whoop');
    const expected = expectedWhoopCounts();
    expect(first).toMatchObject({ status: 'completed', error: null, duplicates: 0 });
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expected.samples);
    expect(count('SELECT count(*) AS n FROM workouts')).toBe(expected.workouts);
    expect(first.inserted).toBe(expected.samples + expected.workouts);

    // 30 cycles: a page of 25, then the 5 left, asked for with `nextToken` from the answer's `next_token`.
    expect(first.endpoints.cycles.pages).toBe(2);
    const cycleCalls = emu.requests.filter((r) => r.provider === 'whoop' && r.path === api('cycle'));
    expect(cycleCalls.map((r) => r.params.limit)).toEqual(['25', '25']);
    expect(cycleCalls[0].params.nextToken).toBeUndefined();
    expect(cycleCalls[1].params.nextToken).toBeTruthy();
    expect(emu.requests.some((r) => 'next_token' in r.params)).toBe(false);
    expect(first.endpoints.sleep.pages).toBe(2);
    // The sleeps came first and gave every cycle and recovery its morning: no look-up one by one.
    expect(emu.requests.filter((r) => r.path.startsWith(api('cycle/')))).toHaveLength(0);

    // Strain at the cycle's morning (its night ends 07:00 on 1 February at UTC−5), in the cycle's offset.
    const strain = metricValues('whoop_strain');
    expect(strain).toHaveLength(29);
    expect(strain[0]).toMatchObject({ value: 8, startMs: Date.parse('2026-02-01T12:00:00Z'), endMs: Date.parse('2026-02-01T12:00:00Z'), zone: '-05:00', zoneSrc: 3, day: null, origin: 'WHOOP', kind: 'band' });
    // The pending cycle has no score; the cycle still in progress (no end yet) has its strain so far.
    expect(PENDING_CYCLE).toBe(1012);
    expect(strain.find((s) => s.startMs === Date.parse('2026-02-13T12:00:00Z'))).toBeUndefined();
    expect(metricValues('whoop_recovery').find((s) => s.startMs === Date.parse('2026-02-13T12:00:00Z'))).toBeUndefined();
    expect(strain.at(-1)).toMatchObject({ value: 8 + 9 * 0.75, startMs: Date.parse('2026-03-02T06:00:00Z'), zone: '+01:00' });

    // Recovery at the same morning, in its night's offset; HRV RMSSD in ms; SpO2 a fraction.
    const recovery = metricValues('whoop_recovery');
    expect(recovery).toHaveLength(29);
    expect(recovery[0]).toMatchObject({ value: 30, startMs: Date.parse('2026-02-01T12:00:00Z'), zone: '-05:00' });
    expect(recovery.at(-1)).toMatchObject({ value: 88, startMs: Date.parse('2026-03-02T06:00:00Z'), zone: '+01:00' });
    expect(metricValues('hrv_rmssd')[0]).toMatchObject({ value: 40, raw: 'recovery.hrv_rmssd' });
    expect(metricValues('resting_heart_rate')[0].value).toBe(50);
    expect(metricValues('spo2')[1].value).toBeCloseTo(0.955, 9);
    expect(metricValues('body_temperature')).toEqual([]);

    // Sleep: per night, stage totals for the local date it ends; the nap's add to its date.
    const night0 = metricValues('sleep').filter((s) => s.day === epochDay('2026-02-01'));
    expect(night0.map((s) => [s.raw, s.value])).toEqual([
      ['sleep.total.light', 240],
      ['sleep.total.deep', 100],
      ['sleep.total.rem', 110],
      ['sleep.total.awake', 30],
      ['sleep.total.in_bed', 480],
    ]);
    const napDay = metricValues('sleep').filter((s) => s.day === epochDay('2026-02-10'));
    expect(NAP_DAY).toBe(9);
    expect(napDay.map((s) => s.raw).sort()).toEqual(
      ['sleep.nap.total.awake', 'sleep.nap.total.in_bed', 'sleep.nap.total.light', 'sleep.total.awake', 'sleep.total.deep', 'sleep.total.in_bed', 'sleep.total.light', 'sleep.total.rem'].sort(),
    );
    // The trip: the night ending 07:00 on 2 March at UTC+1 counts on 2 March.
    expect(metricValues('sleep').filter((s) => s.day === epochDay('2026-03-02') && s.raw === 'sleep.total.light')).toEqual([
      expect.objectContaining({ value: 240, zone: '+01:00', startMs: Date.parse('2026-03-01T22:00:00Z'), endMs: Date.parse('2026-03-02T06:00:00Z') }),
    ]);
    // Breathing rate is read at the night's end, so it lands on the day the night counts on.
    expect(metricValues('respiratory_rate')[0]).toMatchObject({ value: 14, startMs: Date.parse('2026-02-01T12:00:00Z'), endMs: Date.parse('2026-02-01T12:00:00Z') });

    const workouts = env.core.db.$client
      .prepare('SELECT activity_type AS type, start_ms AS startMs, duration_s AS s, distance_km AS km, energy_kcal AS kcal, avg_heart_rate AS avg, max_heart_rate AS max FROM workouts ORDER BY start_ms')
      .all();
    expect(workouts[0]).toEqual({ type: 'running', startMs: Date.parse('2026-02-01T23:00:00Z'), s: 2700, km: 6, kcal: 600, avg: 148, max: 176 });

    // Merged (metrics:series, default preferences): cycle 1000's recovery, its strain and its night
    // share 1 February, the local date its night ends, though the cycle began on 31 January.
    const day = async (metric: string, date: string) => {
      const res = await dispatch(env.core.handlers, 'metrics:series', { metric, from: date, to: date });
      if (!res.ok) throw new Error(res.error.message);
      return (res.value as Series).buckets;
    };
    expect((await day('whoop_recovery', '2026-02-01'))[0].value).toBe(30);
    expect((await day('whoop_strain', '2026-02-01'))[0].value).toBe(8);
    expect(await day('whoop_strain', '2026-01-31')).toEqual([]);
    const night = (await day('sleep', '2026-02-01'))[0];
    expect(night).toMatchObject({ value: 450, stages: { light: 240, deep: 100, rem: 110, awake: 30 } });
    // The nap's 35 minutes of light sleep add to 10 February's night.
    expect((await day('sleep', '2026-02-10'))[0]).toMatchObject({ value: 485, stages: { light: 275, deep: 100, rem: 110, awake: 35 } });

    // The profile: height and weight once, as typed in.
    expect(metricValues('weight')).toEqual([expect.objectContaining({ value: 90.7185, origin: 'WHOOP profile', kind: 'manual', zone: 'home' })]);

    const [second] = await env.core.connections.syncNow('whoop');
    expect(second).toMatchObject({ status: 'completed', inserted: 0, replaced: 0 });
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expected.samples);
    // Incremental: the second run starts a few days before the first one's end.
    const last = emu.requests.filter((r) => r.path === api('cycle')).at(-1)!;
    expect(Date.parse(last.params.start)).toBeGreaterThan(Date.parse('2026-06-01T00:00:00Z'));
  });

  it('a recovery WHOOP re-scores replaces its earlier version', async () => {
    await env.cleanup();
    await emu.close();
    const recent = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    await setup({ whoop: defaultWhoopData(recent) });
    // Days 0–29 ending yesterday: the last cycles are within the days the next run reads again.
    await connectWhoop();
    await env.core.connections.syncNow('whoop');
    const r = emu.whoopApi.data.recoveries.at(-1)!;
    r.score!.recovery_score = 12;
    r.updated_at = new Date().toISOString();
    const [again] = await env.core.connections.syncNow('whoop');
    expect(again).toMatchObject({ status: 'completed', inserted: 1, replaced: 1 });
    const night = emu.whoopApi.data.sleeps.find((x) => x.cycle_id === r.cycle_id && !x.nap)!;
    const values = metricValues('whoop_recovery').filter((x) => x.startMs === Date.parse(night.end));
    expect(values.map((x) => x.value)).toEqual([12]);
  });

  it('a crash between pages resumes from the saved nextToken; a recovery whose night the run did not read looks it up (no night: when scored, home zone)', async () => {
    await connectWhoop();
    // The second page of recoveries never answers; the app dies while waiting for it.
    const second = Buffer.from('o:25').toString('base64url');
    emu.fault({ provider: 'whoop', path: api('recovery'), params: { nextToken: second }, kind: 'hang' });
    const crashed = env.core.connections.syncNow('whoop').catch(() => null);
    await expect.poll(() => emu.requests.filter((r) => r.path === api('recovery')).length, { timeout: 10_000 }).toBe(2);
    const saved = env.core.connections.store.byProvider('whoop')!.cursors.recovery as { pending: { nextToken: string } };
    expect(saved.pending.nextToken).toBe(second);
    const dataDir = env.core.dataDir;
    env.core.close();
    // Meanwhile WHOOP dropped the night that opened cycle 1000 (its recovery stays).
    emu.whoopApi.data.sleeps = emu.whoopApi.data.sleeps.filter((x) => x.cycle_id !== 1000 || x.nap);

    const restarted = emulatedCore(emu, { keychain: env.keychain, dataDir });
    try {
      const [run] = await restarted.core.connections.syncNow('whoop');
      expect(run.status).toBe('completed');
      const resumed = emu.requests.filter((r) => r.path === api('recovery')).slice(2);
      expect(resumed[0].params).toMatchObject({ nextToken: second, limit: '25' });
      // The four oldest recoveries (cycles 1000–1003): their nights come one by one; 1000's is a 404.
      expect(emu.requests.filter((r) => r.path.startsWith(api('cycle/'))).map((r) => [r.path, r.httpStatus])).toEqual(
        ['1003', '1002', '1001', '1000'].map((id) => [api(`cycle/${id}/sleep`), id === '1000' ? 404 : 200]),
      );
      const n = (restarted.core.db.$client.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n;
      expect(n).toBe(expectedWhoopCounts().samples);
      const first = restarted.core.db.$client
        .prepare(
          `SELECT coalesce(z.name, 'home') AS zone, s.start_ms AS startMs FROM samples s JOIN sample_types t ON t.id = s.type_id LEFT JOIN zones z ON z.id = s.zone_id
           WHERE t.raw_type = 'recovery.score' ORDER BY s.start_ms LIMIT 2`,
        )
        .all();
      expect(first).toEqual([
        { zone: 'home', startMs: Date.parse('2026-02-01T12:10:00Z') },
        { zone: '-05:00', startMs: Date.parse('2026-02-02T12:00:00Z') },
      ]);
    } finally {
      restarted.core.close();
      await emu.close();
      await crashed;
    }
  });

  it('an access token WHOOP refuses (401) is refreshed once, with the client secret, and the sync carries on', async () => {
    await connectWhoop();
    const before = await keychainTokens();
    emu.expireAccessTokens('whoop');
    const [run] = await env.core.connections.syncNow('whoop');
    expect(run.status).toBe('completed');
    const refreshes = emu.requests.filter((r) => r.provider === 'whoop' && r.params.grant_type === 'refresh_token');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].params).toMatchObject({ client_id: emu.clients.whoop.clientId, client_secret: emu.clients.whoop.clientSecret, refresh_token: before.refreshToken });
    // WHOOP rotates: the new refresh token was saved.
    expect((await keychainTokens()).refreshToken).not.toBe(before.refreshToken);
  });

  it('without scope `offline` WHOOP gives no refresh token: once the access token expires the person is told to reconnect', async () => {
    const { outcome } = await connectWhoop(env.core, 'read:recovery read:cycles read:sleep read:workout read:body_measurement');
    expect(outcome.ok).toBe(true);
    expect((await keychainTokens()).refreshToken).toBeNull();
    emu.expireAccessTokens('whoop');
    const [run] = await env.core.connections.syncNow('whoop');
    expect(run).toMatchObject({ status: 'failed', connectionStatus: 'needs_reauth' });
    expect(run.error).toContain('Click Reconnect; your data is kept');
    // No refresh was even tried: there was nothing to refresh with.
    expect(emu.count({ provider: 'whoop', grantType: 'refresh_token' })).toBe(0);
    expect(env.core.connections.store.byProvider('whoop')!.status).toBe('needs_reauth');
  });

  it('429 with Retry-After waits as long as it was told, then carries on', async () => {
    await connectWhoop();
    emu.fault({ provider: 'whoop', path: api('recovery'), kind: 'http', status: 429, retryAfter: '7' });
    const [run] = await env.core.connections.syncNow('whoop');
    expect(run.status).toBe('completed');
    expect(env.waits).toEqual([7000]);
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expectedWhoopCounts().samples);
  });

  /** A core whose waits move its clock and the emulator's together, so a rate window really frees up. */
  async function pacedCore() {
    await env.cleanup();
    const waits: number[] = [];
    env = emulatedCore(emu, {
      deps: {
        clock: () => Date.now() + skew,
        connections: {
          sleep: async (ms) => {
            waits.push(ms);
            skew += ms;
          },
        },
      },
    });
    return waits;
  }

  it('paces itself from the X-RateLimit headers: at Remaining 0 it waits for the Reset they name and never earns a 429', async () => {
    const waits = await pacedCore();
    await connectWhoop();
    // This app may make 4 requests a minute (the rate budget itself assumes WHOOP's 100).
    emu.whoopApi.limits.perMinute = 4;
    const [run] = await env.core.connections.syncNow('whoop');
    expect(run.status).toBe('completed');
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expectedWhoopCounts().samples);
    expect(emu.requests.filter((r) => r.provider === 'whoop' && r.httpStatus === 429)).toEqual([]);
    // 8 requests: cycles ×2, recovery ×2, sleep ×2, workouts, body; a wait after every 4th.
    expect(emu.requests.filter((r) => r.provider === 'whoop' && r.path.startsWith('/developer/'))).toHaveLength(8);
    expect(waits).toHaveLength(1);
    for (const w of waits) expect(w).toBeGreaterThan(0);
    for (const w of waits) expect(w).toBeLessThanOrEqual(60_000);
  });

  it('when another client of the same app spent the minute, WHOOP answers 429 with Retry-After; the sync waits as told and carries on', async () => {
    const waits = await pacedCore();
    await connectWhoop();
    emu.whoopApi.limits.perMinute = 3;
    const other = emu.issueTokens('whoop');
    for (let i = 0; i < 3; i++) await fetch(`${emu.url}/whoop${api('user/profile/basic')}`, { headers: { authorization: `Bearer ${other.accessToken}` } });
    const [run] = await env.core.connections.syncNow('whoop');
    expect(run.status).toBe('completed');
    const refused = emu.requests.filter((r) => r.provider === 'whoop' && r.httpStatus === 429);
    expect(refused).toHaveLength(1);
    const summary = JSON.parse((env.core.db.$client.prepare('SELECT summary_json AS s FROM sync_runs').get() as { s: string }).s) as { waits: { reason: string; ms: number }[] };
    expect(summary.waits).toEqual([{ reason: 'retry-after', ms: expect.any(Number) }]);
    expect(summary.waits[0].ms).toBeGreaterThan(0);
    expect(summary.waits[0].ms).toBeLessThanOrEqual(60_000);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(count('SELECT count(*) AS n FROM samples')).toBe(expectedWhoopCounts().samples);
  });
});

describe('the WHOOP emulator', () => {
  it('refuses a limit over 25, answers next_token, ignores a next_token parameter, and sends X-RateLimit headers', async () => {
    const { accessToken } = emu.issueTokens('whoop');
    const get = (q: string) => fetch(`${emu.url}/whoop${api('cycle')}?${q}`, { headers: { authorization: `Bearer ${accessToken}` } });
    const tooMany = await get('limit=26');
    expect(tooMany.status).toBe(400);
    const page1 = await get('limit=25');
    expect(page1.headers.get('x-ratelimit-limit')).toBe('100, 100;window=60, 10000;window=86400');
    expect(Number(page1.headers.get('x-ratelimit-remaining'))).toBe(98);
    expect(Number(page1.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    const body1 = (await page1.json()) as { records: { id: number }[]; next_token: string };
    expect(body1.records).toHaveLength(25);
    expect(body1.records[0].id).toBe(1029);
    const wrong = (await (await get(`limit=25&next_token=${body1.next_token}`)).json()) as { records: { id: number }[] };
    expect(wrong.records[0].id).toBe(1029);
    const right = (await (await get(`limit=25&nextToken=${body1.next_token}`)).json()) as { records: { id: number }[]; next_token: string | null };
    expect(right.records.map((r) => r.id)).toEqual([1004, 1003, 1002, 1001, 1000]);
    expect(right.next_token).toBeNull();
  });

  it('the emulator data matches what the tests expect', () => {
    expect(expectedWhoopCounts(defaultWhoopData())).toEqual({ cycles: 29 * 4, recoveries: 29 * 6, sleep: 30 * 11 + 9, body: 3, samples: 116 + 174 + 339 + 3, workouts: 10 });
  });
});
