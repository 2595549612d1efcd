// What the desktop app's web contents may do, as pure functions: the Electron wiring
// (guard.ts, window.ts, deeplinks.ts) asks these and nothing else, and they are tested without
// Electron. No 'electron' import here on purpose.
import { APP_ORIGIN } from '../core/rendererFiles';
import { envPrefix, OAUTH_PROVIDER_IDS, providerConfig } from '../core/oauth/providers';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Our own page: app://vitalsync/…, or the dev server's origin under `electron-vite dev`. */
export function isAppPage(url: string, devUrl: string | null = null): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === 'app:' && `${u.protocol}//${u.host}` === APP_ORIGIN) return true;
  const dev = devUrl ? parse(devUrl) : null;
  return !!dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && u.origin === dev.origin;
}

/**
 * Environment variables that point the app at other code or other servers: the dev server's page
 * (`electron-vite dev` sets ELECTRON_RENDERER_URL; the window loads it and treats it as its own
 * page, with the whole IPC contract) and each provider's endpoints (the test emulator sets
 * VITALSYNC_<PROVIDER>_AUTH_URL / _TOKEN_URL / _API_BASE, and tokens would be sent there).
 * A source checkout honours them; an installed app must not, or anyone who can set its
 * environment (a launcher, a shortcut) gets a page with full IPC or the person's tokens.
 */
export function devOnlyEnvKeys(env: NodeJS.ProcessEnv): string[] {
  const overrides = OAUTH_PROVIDER_IDS.flatMap((id) => ['AUTH_URL', 'TOKEN_URL', 'API_BASE'].map((k) => `${envPrefix(id)}${k}`));
  return ['ELECTRON_RENDERER_URL', ...overrides].filter((k) => env[k] !== undefined);
}

/** The environment the app may act on: as given unpackaged, without devOnlyEnvKeys when packaged. */
export function trustedEnv(env: NodeJS.ProcessEnv, isPackaged: boolean): { env: NodeJS.ProcessEnv; ignored: string[] } {
  if (!isPackaged) return { env, ignored: [] };
  const ignored = devOnlyEnvKeys(env);
  const kept = { ...env };
  for (const k of ignored) delete kept[k];
  return { env: kept, ignored };
}

/** The dev server's page under `electron-vite dev`; never in a packaged app (it loads app:// only). */
export function devServerUrlFrom(env: NodeJS.ProcessEnv, isPackaged: boolean): string | null {
  return trustedEnv(env, isPackaged).env.ELECTRON_RENDERER_URL || null;
}

/**
 * The only origins VitalSync hands to the system browser: each provider's sign-in page (its
 * authorize URL, as overridden by VITALSYNC_<P>_AUTH_URL for a proxy or the test emulator) and
 * the developer page where a person registers their own app (linked from the setup panel).
 */
export function externalOrigins(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const origins = new Set<string>();
  for (const id of OAUTH_PROVIDER_IDS) {
    const cfg = providerConfig(id, env);
    for (const url of [cfg.authUrl, cfg.registerUrl]) {
      const u = parse(url);
      if (u && (u.protocol === 'https:' || u.protocol === 'http:')) origins.add(u.origin);
    }
  }
  return origins;
}

/** Whether a URL may leave the app for the system browser. Everything else is dropped. */
export function mayOpenExternally(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const u = parse(url);
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) return false;
  // Credentials in a URL would reach the browser's history; no provider page needs them.
  if (u.username || u.password) return false;
  return externalOrigins(env).has(u.origin);
}

/** For logs: where a refused URL pointed, without its path or query (which may carry codes). */
export function originForLog(url: string): string {
  const u = parse(url);
  if (!u) return '(not a URL)';
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : `${u.protocol}…`;
}

/**
 * `VitalSync --cli status …`: the arguments after `--cli`, or null when the app should start as
 * usual. Chromium switches (e.g. --ozone-platform=headless) go before `--cli`.
 */
export function cliArgsFromArgv(argv: readonly string[]): string[] | null {
  const at = argv.indexOf('--cli');
  return at === -1 ? null : argv.slice(at + 1);
}
