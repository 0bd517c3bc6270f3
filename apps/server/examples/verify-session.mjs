#!/usr/bin/env node
// How a relying service checks a Twofold session token with nothing but Twofold's public keys
// (docs/contract.md § Sessions other services verify). Run from a project that has `jose`:
//
//   TWOFOLD_URL=http://127.0.0.1:3000 node verify-session.mjs <token>
//
// Prints the verified claims as JSON and exits 0, or prints why not and exits 1. A verified
// token proves who signed it and until when, not that the session was not ended since: a
// service acting on it for a sensitive change asks Twofold as well (GET /api/auth/user with
// the token answers 401 for an ended session).
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
  console.log(JSON.stringify({ kid: protectedHeader.kid, userId: payload.sub, expiresAt: payload.exp }));
} catch (error) {
  console.error(`refused: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
