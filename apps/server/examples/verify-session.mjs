#!/usr/bin/env node
// How a relying service checks a Twofold session token with nothing but Twofold's public keys
// (docs/contract.md § Sessions other services verify). Run from a project that has `jose`:
//
//   TWOFOLD_URL=http://127.0.0.1:3000 node verify-session.mjs <token>
//
// Prints the verified claims as JSON and exits 0, or prints why not and exits 1. A verified
// token proves who signed it and until when, not that the session was not ended since (logout,
// "end all other sessions", an operator): so the example then asks Twofold whether the session
// is still live, with the token itself (POST /api/auth/introspect answers {active: false} for an
// ended one). A service may skip that question for cheap reads and ask it before anything
// sensitive; the signature check alone needs no request once the key set is cached.
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [token] = process.argv.slice(2);
const baseUrl = process.env.TWOFOLD_URL ?? 'http://127.0.0.1:3000';
if (!token) {
  console.error('usage: node verify-session.mjs <token>');
  process.exit(2);
}

// jose fetches the set once, caches it, and refetches on a kid it has not seen (rotation).
const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', baseUrl));
try {
  const { payload, protectedHeader } = await jwtVerify(token, jwks, {
    // Pin the algorithm: a key set must never let a token choose HS256 (algorithm confusion).
    algorithms: ['EdDSA'],
    requiredClaims: ['sub', 'exp', 'iat'],
  });
  if (payload.typ !== 'session') throw new Error('not a session token');
  const response = await fetch(new URL('/api/auth/introspect', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!response.ok) throw new Error(`introspection answered ${response.status}`);
  const session = await response.json();
  if (!session.active) throw new Error('the session has ended');
  console.log(
    JSON.stringify({
      kid: protectedHeader.kid,
      userId: payload.sub,
      expiresAtSeconds: payload.exp,
      authMethod: session.auth_method,
    }),
  );
} catch (error) {
  console.error(`refused: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
