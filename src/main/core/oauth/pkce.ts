import crypto from 'node:crypto';

/** An unguessable `state` (also carries nothing a provider could use). */
export function newState(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/** PKCE (RFC 7636) S256 verifier and challenge. */
export function newPkce(): { verifier: string; challenge: string } {
  const verifier = crypto.randomBytes(48).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}
