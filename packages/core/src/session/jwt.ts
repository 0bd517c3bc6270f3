import { createDecoder, createSigner, createVerifier, TokenError } from 'fast-jwt';
import { nowSeconds } from '../clock.js';
import type { Core } from '../context.js';
import { DomainError } from '../errors.js';
import { SIGNING_ALGORITHM, type SigningKey } from './signing-keys.js';

/** docs/contract.md: JWTs live 24 hours. */
export const SESSION_TTL_SECONDS = 24 * 60 * 60;
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

/** The claims of a verified token, with its lifetime (epoch seconds). */
export interface VerifiedSessionClaims extends SessionClaims {
  issuedAtSec: number;
  expiresAtSec: number;
}

/**
 * fast-jwt signs and verifies with node:crypto, synchronously: jose (v6) goes through
 * WebCrypto, whose every call is a thread-pool job and a promise, ~15 % of a login's CPU.
 * A signer or verifier holds its key, so there is one per key; the expiry is checked here,
 * against the injected clock, so verifiers are built once.
 */
const signers = new WeakMap<SigningKey, (payload: Record<string, unknown>) => string>();
const verifiers = new WeakMap<SigningKey, (token: string) => unknown>();

function signerOf(key: SigningKey) {
  let signer = signers.get(key);
  if (signer === undefined) {
    signer = createSigner({
      key: key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      algorithm: key.algorithm,
      kid: key.kid,
      expiresIn: SESSION_TTL_SECONDS * 1000,
    });
    signers.set(key, signer);
  }
  return signer;
}

/**
 * An Ed25519 verification costs ~15× an HMAC, and a client sends its token with every request:
 * fast-jwt's LRU of verified tokens (keyed by a hash of the whole token) answers repeats.
 * The expiry is still checked against the injected clock on every call.
 */
const VERIFIED_TOKENS_CACHED = 10_000;

function verifierOf(key: SigningKey) {
  let verify = verifiers.get(key);
  if (verify === undefined) {
    verify = createVerifier({
      key: key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      algorithms: [key.algorithm],
      requiredClaims: ['sub', 'exp', 'iat'],
      ignoreExpiration: true,
      ignoreNotBefore: true,
      cache: VERIFIED_TOKENS_CACHED,
    });
    verifiers.set(key, verify);
  }
  return verify;
}

export async function signSessionToken(core: Core, claims: SessionClaims): Promise<string> {
  const key = await core.signingKeys.signing();
  // `iat` from the injected clock; the signer adds `exp` = iat + 24 h and the header with `kid`.
  return signerOf(key)({
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

const unauthenticated = () => new DomainError('UNAUTHENTICATED');

const decodeHeader = createDecoder({ complete: true, checkTyp: undefined });

/**
 * The payload, once the signature checks out under the key the header names, with the
 * algorithm that key is pinned to (docs/contract.md § Sessions other services verify).
 * Anything else is refused, HS256 tokens of earlier versions included: they name no
 * server-side session, so they could not be ended.
 */
async function verifiedPayload(core: Core, token: string): Promise<Record<string, unknown>> {
  const { header } = decodeHeader(token) as { header: { alg?: unknown; kid?: unknown } };
  if (header.alg !== SIGNING_ALGORITHM || typeof header.kid !== 'string') throw unauthenticated();
  const key = await core.signingKeys.verifying(header.kid);
  if (!key) throw unauthenticated();
  return verifierOf(key)(token) as Record<string, unknown>;
}

/** Verifies signature, the algorithm its key is pinned to, and expiry against the injected clock. */
export async function verifySessionToken(core: Core, token: string): Promise<VerifiedSessionClaims> {
  try {
    const payload = await verifiedPayload(core, token);
    if (
      payload.typ !== SESSION_TYPE ||
      typeof payload.sid !== 'string' ||
      typeof payload.sub !== 'string' ||
      typeof payload.exp !== 'number' ||
      typeof payload.iat !== 'number' ||
      payload.exp <= nowSeconds(core.clock) ||
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
      issuedAtSec: payload.iat,
      expiresAtSec: payload.exp,
    };
  } catch (error) {
    if (error instanceof DomainError || error instanceof TokenError) throw unauthenticated();
    throw error;
  }
}
