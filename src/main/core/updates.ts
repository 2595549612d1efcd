// When the desktop app asks its update feed for a newer version. The person decides: nothing is
// asked unless Settings → "Check for updates" is on (it is off by default), and then at most once
// a day. This is the one network call VitalSync makes that is not to a provider, so the rule lives
// here, in plain Node, where a test can show that with the setting off no check is ever made.
import { log } from './log';

export interface UpdateCheckDeps {
  /** Settings' checkForUpdates, read each time (the person may switch it any moment). */
  enabled(): boolean;
  /** False for builds without an update feed (a source checkout, a distributor who set none). */
  feedConfigured: boolean;
  /** The actual check (electron-updater in the app). */
  check(): Promise<void>;
  now?: () => number;
  /** How often the setting is looked at; a check is made only when one is due. */
  pollMs?: number;
  everyMs?: number;
  timers?: { setInterval(fn: () => void, ms: number): unknown; clearInterval(handle: unknown): void };
}

export const UPDATE_CHECK_EVERY_MS = 24 * 60 * 60_000;

export interface UpdateChecks {
  /** Looks once now (after a settings change, say): checks if the setting is on and one is due. */
  poke(): Promise<void>;
  stop(): void;
}

export function startUpdateChecks(deps: UpdateCheckDeps): UpdateChecks {
  const now = deps.now ?? Date.now;
  const every = deps.everyMs ?? UPDATE_CHECK_EVERY_MS;
  const timers = deps.timers ?? { setInterval: (fn: () => void, ms: number) => setInterval(fn, ms).unref(), clearInterval: (h: unknown) => clearInterval(h as NodeJS.Timeout) };
  let last: number | null = null;
  let running: Promise<void> | null = null;
  const poke = (): Promise<void> => {
    if (running) return running;
    if (!deps.feedConfigured || !deps.enabled()) return Promise.resolve();
    if (last !== null && now() - last < every) return Promise.resolve();
    last = now();
    running = deps
      .check()
      .catch((err: unknown) => log.warn('update check failed', err))
      .finally(() => (running = null));
    return running;
  };
  const handle = timers.setInterval(() => void poke(), deps.pollMs ?? 60 * 60_000);
  void poke();
  return { poke, stop: () => timers.clearInterval(handle) };
}
