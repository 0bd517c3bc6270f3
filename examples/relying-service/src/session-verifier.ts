import { createTwofoldRestClient, introspectSession } from '@twofold/client/rest';
import { createRemoteJWKSet, jwtVerify } from 'jose';

export interface VerifiedSession {
  userId: string;
  username: string;
  authMethod: string;
}

/** Why a token is refused: a bad signature or claims, or a session that was ended since. */
export type Refusal = { refused: 'invalid token' | 'session ended' };

/**
 * Accepts a Twofold session token as Twofold would: the signature under Twofold's published
 * keys (no shared secret), then the question whether the session is still live, which the
 * signature cannot answer (a logout, a password change or an operator ends sessions).
 */
export function createSessionVerifier(twofoldUrl: string) {
  // jose fetches the key set once, caches it, and fetches again for a kid it has not seen.
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', twofoldUrl));
  const twofold = createTwofoldRestClient({ url: twofoldUrl });

  return async function verify(token: string): Promise<VerifiedSession | Refusal> {
    try {
      // Pin the algorithm: a key set must never let a token choose HS256 (algorithm confusion).
      const { payload } = await jwtVerify(token, jwks, {
        algorithms: ['EdDSA'],
        requiredClaims: ['sub', 'exp'],
      });
      if (payload.typ !== 'session') return { refused: 'invalid token' };
    } catch {
      return { refused: 'invalid token' };
    }
    // Only the token itself goes along: introspection needs no credential of this service.
    const { data } = await introspectSession({ client: twofold, body: { token }, throwOnError: true });
    if (!data.active) return { refused: 'session ended' };
    return { userId: data.sub, username: data.username, authMethod: data.auth_method };
  };
}
