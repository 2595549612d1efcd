// Secrets (OAuth tokens, client secrets) live in the OS keychain and nowhere else.
import { AppError } from '../errors';

/** What the core needs from a keychain. One entry per provider account. */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = 'VitalSync';
export const KEYCHAIN_UNAVAILABLE = 'KEYCHAIN_UNAVAILABLE';

/** The error every front door shows when no keychain answers; nothing falls back to a file. */
export function keychainUnavailable(detail?: string): AppError {
  return new AppError(
    KEYCHAIN_UNAVAILABLE,
    'VitalSync cannot reach the system keychain, so it cannot keep your sign-in safely and will not store it anywhere else. ' +
      'Unlock or start your keychain (on Linux: a Secret Service such as GNOME Keyring or KWallet in a desktop session) and try again.' +
      (detail ? ` (${detail})` : ''),
  );
}

function wrap<T>(op: () => Promise<T>): Promise<T> {
  return op().catch((err: unknown) => {
    if (err instanceof AppError) throw err;
    // keytar's messages ("Cannot autolaunch D-Bus", "Could not connect") carry no secrets.
    throw keychainUnavailable(err instanceof Error ? err.message.slice(0, 120) : undefined);
  });
}

/**
 * The real keychain through keytar (macOS Keychain, Windows Credential Vault, Secret Service).
 * keytar is loaded on first use, so opening the core never fails for want of a keychain; only
 * the operations that need one do, with KEYCHAIN_UNAVAILABLE. VITALSYNC_KEYCHAIN_SERVICE names
 * another service (separate profiles, tests).
 */
export function keytarStore(service = process.env.VITALSYNC_KEYCHAIN_SERVICE || KEYCHAIN_SERVICE): SecretStore {
  let loaded: Promise<typeof import('keytar')> | null = null;
  const keytar = () => (loaded ??= import('keytar').then((m) => (m.default ?? m) as typeof import('keytar')));
  return {
    get: (account) => wrap(async () => (await keytar()).getPassword(service, account)),
    set: (account, secret) => wrap(async () => (await keytar()).setPassword(service, account, secret)),
    delete: (account) => wrap(async () => (await keytar()).deletePassword(service, account)),
  };
}

/** Kept for callers that prefer to await the store. */
export async function createKeytarStore(service = KEYCHAIN_SERVICE): Promise<SecretStore> {
  return keytarStore(service);
}

/** JSON values in the keychain (token sets, client credentials). */
export async function getJsonSecret<T>(store: SecretStore, account: string): Promise<T | null> {
  const raw = await store.get(account);
  if (raw == null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

export async function setJsonSecret(store: SecretStore, account: string, value: unknown): Promise<void> {
  await store.set(account, JSON.stringify(value));
}
