// The RFC 6749 providers (Oura, WHOOP, Strava) share the flow; Oura's refresh tokens are
// single-use, so a lost rotated token would lock the account out.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signIn } from '../../../../e2e/emulator/browser';
import { startEmulator, type ProviderEmulator } from '../../../../e2e/emulator/server';
import { testKeychain } from '../sync/test-helpers';
import { OAuthFlows } from './flow';
import { TokenManager } from './tokens';
import type { TokenSet } from './tokenClient';

let emu: ProviderEmulator;
const keychain = testKeychain();
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await keychain.wipe();
  await emu.close();
});

function manager() {
  const revoked: string[] = [];
  const tokens = new TokenManager({ secrets: keychain, env: emu.env(), fetch, clock: Date.now, onGrantRevoked: (p) => revoked.push(p) });
  const connected: TokenSet[] = [];
  const flows = new OAuthFlows({ tokens, fetch, clock: Date.now, canReceiveDeepLinks: false, onConnected: (_p, t) => connected.push(t), onFinished: () => undefined });
  return { tokens, flows, connected, revoked };
}

it.each(['oura', 'whoop', 'strava'] as const)('%s: sign-in over loopback, then a single-use refresh rotates and is saved', async (provider) => {
  const { tokens, flows, connected, revoked } = manager();
  await tokens.saveClientCredentials(provider, emu.clients[provider]);
  const begin = await flows.begin(provider, { redirect: 'loopback', port: 0 });
  const visit = await signIn(begin.authorizeUrl, 'approve');
  expect(visit.status).toBe(200);
  expect((await begin.finished).ok).toBe(true);
  const first = connected[0];
  expect(first.accountId).toBe(emu.userIds[provider]);
  await tokens.save(provider, { ...first, expiresAt: Date.now() - 1 });
  const results = await Promise.all(Array.from({ length: 10 }, () => tokens.accessToken(provider, first.accountId)));
  expect(new Set(results).size).toBe(1);
  expect(emu.count({ provider, grantType: 'refresh_token' })).toBe(1);
  const saved = (await tokens.load(provider, first.accountId))!;
  expect(saved.refreshToken).not.toBe(first.refreshToken);
  // The old refresh token is dead; had the new one not been saved, the account would be lost.
  await tokens.save(provider, { ...saved, refreshToken: first.refreshToken, expiresAt: Date.now() - 1 });
  await expect(tokens.accessToken(provider, first.accountId)).rejects.toThrow('no longer accepts');
  expect(revoked).toEqual([provider]);
});

it.each(['oura', 'whoop', 'strava'] as const)('%s: a wrong client secret is said to be the client credentials, not an expired sign-in', async (provider) => {
  const { tokens, flows, revoked } = manager();
  await tokens.saveClientCredentials(provider, { ...emu.clients[provider], clientSecret: 'not-the-secret' });
  const begin = await flows.begin(provider, { redirect: 'loopback', port: 0 });
  await signIn(begin.authorizeUrl, 'approve');
  const done = await begin.finished;
  expect(done.ok).toBe(false);
  expect(done.message).toContain('did not accept the client id or secret');
  expect(done.message).toContain('Set up credentials');
  expect(revoked).toEqual([]);
});
