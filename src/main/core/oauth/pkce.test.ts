import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newPkce } from './pkce';
import { OAUTH_PROVIDER_IDS, PKCE_DECISIONS, providerConfig } from './providers';

describe('PKCE', () => {
  it('is RFC 7636 S256: a 43–128 character verifier and its base64url SHA-256', () => {
    const { verifier, challenge } = newPkce();
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(challenge).toBe(crypto.createHash('sha256').update(verifier).digest('base64url'));
    expect(newPkce().verifier).not.toBe(verifier);
  });

  it('is on exactly where a provider documents it, and each decision says why', () => {
    // None of today's four documents code_challenge (PKCE_DECISIONS); a provider that does gets pkce: true.
    expect(OAUTH_PROVIDER_IDS.filter((id) => providerConfig(id, {}).pkce)).toEqual([]);
    for (const id of OAUTH_PROVIDER_IDS) expect(PKCE_DECISIONS[id]).toMatch(/code_challenge/);
  });
});
