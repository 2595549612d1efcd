// Secrets (OAuth tokens, client secrets) live in the OS keychain and nowhere else.

/** What the core needs from a keychain. One entry per provider account. */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = 'VitalSync';

/** The real keychain through keytar (macOS Keychain, Windows Credential Vault, Secret Service). */
export async function createKeytarStore(service = KEYCHAIN_SERVICE): Promise<SecretStore> {
  const keytar = (await import('keytar')).default;
  return {
    get: (account) => keytar.getPassword(service, account),
    set: (account, secret) => keytar.setPassword(service, account, secret),
    delete: (account) => keytar.deletePassword(service, account),
  };
}
