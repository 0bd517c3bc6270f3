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

export function signSessionToken(core: Core, claims: SessionClaims): Promise<string> {
  const now = nowSeconds(core.clock);
  return new SignJWT({ sv: claims.sessionVersion, typ: SESSION_TYPE })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuedAt(now)
    .setExpirationTime(now + SESSION_TTL_SECONDS)
    .sign(core.config.jwtSecret);
}

const unauthenticated = () => new DomainError('UNAUTHENTICATED', 'missing, invalid or expired session');

/** Verifies signature, algorithm (HS256 only) and expiry against the injected clock. */
export async function verifySessionToken(core: Core, token: string): Promise<SessionClaims> {
  try {
    const { payload } = await jwtVerify(token, core.config.jwtSecret, {
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
