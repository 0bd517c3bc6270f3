import { createSigner, createVerifier, TokenError } from 'fast-jwt';
import { nowSeconds } from '../clock.js';
import type { Core } from '../context.js';
import { DomainError } from '../errors.js';

/** docs/contract.md: JWTs live 24 hours. */
export const SESSION_TTL_SECONDS = 24 * 60 * 60;
const ALGORITHM = 'HS256';
/** Marks a JWT as a session, so no other token we might sign can pass for one. */
const SESSION_TYPE = 'session';

/** When this session last proved each factor (epoch seconds); absent: never on this session. */
export interface SessionProofs {
  passwordAtSec?: number | undefined;
  secondFactorAtSec?: number | undefined;
}

export interface SessionClaims {
  userId: string;
  /** The server-side session (docs/contract.md § Sessions). */
  sessionId: string;
  proofs: SessionProofs;
}

/**
 * fast-jwt signs and verifies with node:crypto's HMAC, synchronously: jose (v6) goes through
 * WebCrypto, whose every call is a thread-pool job and a promise, ~15 % of a login's CPU.
 * A signer holds its key, so there is one per secret.
 */
const signers = new WeakMap<Uint8Array, (payload: Record<string, unknown>) => string>();
function signerOf(core: Core) {
  const secret = core.config.jwtSecret;
  let signer = signers.get(secret);
  if (signer === undefined) {
    signer = createSigner({
      key: Buffer.from(secret),
      algorithm: ALGORITHM,
      expiresIn: SESSION_TTL_SECONDS * 1000,
    });
    signers.set(secret, signer);
  }
  return signer;
}

export async function signSessionToken(core: Core, claims: SessionClaims): Promise<string> {
  // `iat` from the injected clock; the signer adds `exp` = iat + 24 h and the HS256/JWT header.
  return signerOf(core)({
    sub: claims.userId,
    sid: claims.sessionId,
    typ: SESSION_TYPE,
    iat: nowSeconds(core.clock),
    // docs/contract.md § Re-authentication: factor changes need recent proofs on this session.
    ...(claims.proofs.passwordAtSec !== undefined ? { pwd_at: claims.proofs.passwordAtSec } : {}),
    ...(claims.proofs.secondFactorAtSec !== undefined ? { mfa_at: claims.proofs.secondFactorAtSec } : {}),
  });
}

const isOptionalNumber = (value: unknown) => value === undefined || typeof value === 'number';

const unauthenticated = () => new DomainError('UNAUTHENTICATED', 'missing, invalid or expired session');

/** Verifies signature, algorithm (HS256 only) and expiry against the injected clock. */
export async function verifySessionToken(core: Core, token: string): Promise<SessionClaims> {
  try {
    // A verifier fixes its clock when built, so one per call (~8 µs) keeps the injected clock.
    const verify = createVerifier({
      key: Buffer.from(core.config.jwtSecret),
      algorithms: [ALGORITHM],
      clockTimestamp: core.clock.now(),
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const payload = verify(token) as Record<string, unknown>;
    if (
      payload.typ !== SESSION_TYPE ||
      typeof payload.sid !== 'string' ||
      typeof payload.sub !== 'string' ||
      !isOptionalNumber(payload.pwd_at) ||
      !isOptionalNumber(payload.mfa_at)
    ) {
      throw unauthenticated();
    }
    return {
      userId: payload.sub,
      sessionId: payload.sid,
      proofs: {
        passwordAtSec: payload.pwd_at as number | undefined,
        secondFactorAtSec: payload.mfa_at as number | undefined,
      },
    };
  } catch (error) {
    if (error instanceof DomainError || error instanceof TokenError) throw unauthenticated();
    throw error;
  }
}
