import { describe, expect, it } from 'vitest';
import { providerConfig } from '../core/oauth/providers';
import { cliArgsFromArgv, devOnlyEnvKeys, devServerUrlFrom, isAppPage, mayOpenExternally, originForLog, trustedEnv } from './policy';

describe('which pages are our own', () => {
  it('is app://vitalsync only (and the dev server in development)', () => {
    expect(isAppPage('app://vitalsync/index.html')).toBe(true);
    expect(isAppPage('app://vitalsync/index.html#/sources')).toBe(true);
    expect(isAppPage('app://other/index.html')).toBe(false);
    expect(isAppPage('file:///opt/VitalSync/resources/app.asar/out/renderer/index.html')).toBe(false);
    expect(isAppPage('https://evil.example/')).toBe(false);
    expect(isAppPage('http://localhost:5173/', null)).toBe(false);
    expect(isAppPage('http://localhost:5173/src/main.tsx', 'http://localhost:5173/')).toBe(true);
    expect(isAppPage('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppPage('not a url')).toBe(false);
  });
});

describe('what opens in the system browser', () => {
  const env = {};
  it('opens the providers’ sign-in and developer pages', () => {
    expect(mayOpenExternally('https://account.withings.com/oauth2_user/authorize2?client_id=x&state=y', env)).toBe(true);
    expect(mayOpenExternally('https://cloud.ouraring.com/oauth/authorize?x=1', env)).toBe(true);
    expect(mayOpenExternally('https://api.prod.whoop.com/oauth/oauth2/auth', env)).toBe(true);
    expect(mayOpenExternally('https://www.strava.com/oauth/authorize', env)).toBe(true);
    expect(mayOpenExternally('https://developer.withings.com/dashboard/', env)).toBe(true);
  });

  it('refuses every other address, scheme and look-alike', () => {
    for (const url of [
      'https://evil.example/',
      'http://www.strava.com/oauth/authorize', // the real pages are https only
      'https://www.strava.com.evil.example/oauth/authorize',
      'https://user:pw@www.strava.com/oauth/authorize',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://share/x',
      'vitalsync://oauth/withings?code=1',
      'app://vitalsync/index.html',
      'not a url',
    ]) {
      expect(mayOpenExternally(url, env), url).toBe(false);
    }
  });

  it('follows a provider’s overridden sign-in address (self-hosted proxy, the test emulator)', () => {
    const emu = { VITALSYNC_OURA_AUTH_URL: 'http://127.0.0.1:8900/oura/authorize' };
    expect(mayOpenExternally('http://127.0.0.1:8900/oura/authorize?state=1', emu)).toBe(true);
    expect(mayOpenExternally('http://127.0.0.1:8901/', emu)).toBe(false);
    expect(mayOpenExternally('http://127.0.0.1:8900/oura/authorize', {})).toBe(false);
  });

  it('logs only the origin of a refused address', () => {
    expect(originForLog('https://evil.example/cb?code=secret')).toBe('https://evil.example');
    expect(originForLog('javascript:alert(1)')).toBe('javascript:…');
  });
});

describe('the command line inside the app', () => {
  it('takes what follows --cli, after any Chromium switches', () => {
    expect(cliArgsFromArgv(['/opt/VitalSync/vitalsync', '--ozone-platform=headless', '--cli', 'status', '--json'])).toEqual(['status', '--json']);
    expect(cliArgsFromArgv(['VitalSync.exe', '--cli'])).toEqual([]);
    expect(cliArgsFromArgv(['/opt/VitalSync/vitalsync', 'vitalsync://oauth/oura?code=1'])).toBeNull();
  });
});

describe('development overrides in the environment', () => {
  const env = {
    ELECTRON_RENDERER_URL: 'http://127.0.0.1:6666/',
    VITALSYNC_WITHINGS_AUTH_URL: 'http://127.0.0.1:8900/withings/authorize',
    VITALSYNC_OURA_TOKEN_URL: 'http://127.0.0.1:8900/oura/token',
    VITALSYNC_STRAVA_API_BASE: 'http://127.0.0.1:8900/strava',
    VITALSYNC_WHOOP_CLIENT_ID: 'mine',
    VITALSYNC_DATA_DIR: '/tmp/x',
    PATH: '/usr/bin',
  };

  it('are honoured in a source checkout (electron-vite dev, the e2e emulator)', () => {
    expect(trustedEnv(env, false)).toEqual({ env, ignored: [] });
    expect(devServerUrlFrom(env, false)).toBe('http://127.0.0.1:6666/');
    expect(mayOpenExternally('http://127.0.0.1:8900/withings/authorize?state=1', trustedEnv(env, false).env)).toBe(true);
  });

  it('are ignored by an installed app: no foreign page with full IPC, no provider endpoint elsewhere', () => {
    const { env: kept, ignored } = trustedEnv(env, true);
    expect(ignored.sort()).toEqual(['ELECTRON_RENDERER_URL', 'VITALSYNC_OURA_TOKEN_URL', 'VITALSYNC_STRAVA_API_BASE', 'VITALSYNC_WITHINGS_AUTH_URL']);
    expect(kept).toEqual({ VITALSYNC_WHOOP_CLIENT_ID: 'mine', VITALSYNC_DATA_DIR: '/tmp/x', PATH: '/usr/bin' });
    expect(devServerUrlFrom(env, true)).toBeNull();
    expect(providerConfig('withings', kept).authUrl).toBe(providerConfig('withings', {}).authUrl);
    expect(providerConfig('oura', kept).tokenUrl).toBe(providerConfig('oura', {}).tokenUrl);
    expect(mayOpenExternally('http://127.0.0.1:8900/withings/authorize?state=1', kept)).toBe(false);
    expect(env.ELECTRON_RENDERER_URL).toBe('http://127.0.0.1:6666/'); // the input is not changed
  });

  it('names only what is set', () => {
    expect(devOnlyEnvKeys({ PATH: '/usr/bin' })).toEqual([]);
  });
});
