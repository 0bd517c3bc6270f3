import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { nowSeconds } from '../clock.js';
import type { Core } from '../context.js';
import { DomainError } from '../errors.js';

/** CONTRACT.md: JWTs live 24 hours. */
export const SESSION_TTL_SECONDS = 24 * 60 * 60;
const ALGORITHM = 'HS256';
/** Marks a JWT as a session, so no other token we might sign can pass for one. */
const SESSION_TYPE = 'session';

export interface SessionClaims {
  userId: string;
  sessionVersion: number;
}

/**
 * Given raw bytes, jose imports a WebCrypto key on every sign and verify (a noticeable part
 * of a login's CPU); the key is imported once per secret instead and handed to jose.
 */
const sessionKeys = new WeakMap<Uint8Array, Promise<webcrypto.CryptoKey>>();
function sessionKeyOf(core: Core): Promise<webcrypto.CryptoKey> {
  const secret = core.config.jwtSecret;
  let key = sessionKeys.get(secret);
  if (key === undefined) {
    key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    sessionKeys.set(secret, key);
  }
  return key;
}

export async function signSessionToken(core: Core, claims: SessionClaims): Promise<string> {
  const now = nowSeconds(core.clock);
  return new SignJWT({ sv: claims.sessionVersion, typ: SESSION_TYPE })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuedAt(now)
    .setExpirationTime(now + SESSION_TTL_SECONDS)
    .sign(await sessionKeyOf(core));
}

const unauthenticated = () => new DomainError('UNAUTHENTICATED', 'missing, invalid or expired session');

/** Verifies signature, algorithm (HS256 only) and expiry against the injected clock. */
export async function verifySessionToken(core: Core, token: string): Promise<SessionClaims> {
  try {
    const { payload } = await jwtVerify(token, await sessionKeyOf(core), {
      algorithms: [ALGORITHM],
      currentDate: new Date(core.clock.now()),
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    if (payload.typ !== SESSION_TYPE || typeof payload.sv !== 'number' || typeof payload.sub !== 'string') {
      throw unauthenticated();
    }
    return { userId: payload.sub, sessionVersion: payload.sv };
  } catch (error) {
    if (error instanceof DomainError || error instanceof errors.JOSEError) throw unauthenticated();
    throw error;
  }
}
