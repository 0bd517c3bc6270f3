import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Core } from '../context.js';
import type { Tx } from '../store/store.js';
import { WEBAUTHN_CHALLENGE_TTL_SECONDS } from './challenges.js';

/**
 * docs/contract.md § WebAuthn: passkey-login options are anonymous, so storing each challenge
 * would let one client fill the table with requests that cost it nothing. The challenge carries
 * its own expiry and a MAC under the token-hash key instead; it is stored only when an answer
 * that names a usable credential claims it, as already used, so it still counts once.
 *
 * Layout (base64url): 16 random bytes ‖ expiry, epoch ms, 8 bytes big-endian ‖ 16 bytes of
 * HMAC-SHA256 over a label and the first two parts.
 */
const NONCE_BYTES = 16;
const EXPIRY_BYTES = 8;
const MAC_BYTES = 16;
const CHALLENGE_BYTES = NONCE_BYTES + EXPIRY_BYTES + MAC_BYTES;
/** Domain separation: no other keyed hash of ours can pass for a challenge's MAC. */
const MAC_LABEL = 'twofold webauthn passwordless challenge\0';

export interface PasswordlessChallenge {
  /** As the browser sends it back in clientDataJSON. */
  challenge: string;
  expiresAtMs: number;
}

function macOf(core: Core, signed: Uint8Array): Buffer {
  return createHmac('sha256', core.keyring.tokenHashKey)
    .update(MAC_LABEL)
    .update(signed)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** The challenge's bytes for the options, valid for 5 minutes from now. */
export function issuePasswordlessChallenge(core: Core): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(CHALLENGE_BYTES);
  bytes.set(core.random.bytes(NONCE_BYTES), 0);
  const expiresAtMs = core.clock.now() + WEBAUTHN_CHALLENGE_TTL_SECONDS * 1000;
  new DataView(bytes.buffer).setBigUint64(NONCE_BYTES, BigInt(expiresAtMs));
  bytes.set(macOf(core, bytes.subarray(0, NONCE_BYTES + EXPIRY_BYTES)), NONCE_BYTES + EXPIRY_BYTES);
  return bytes;
}

/** The challenge when we issued it and it is still live; undefined for anything else. */
export function openPasswordlessChallenge(
  core: Core,
  challenge: string | undefined,
): PasswordlessChallenge | undefined {
  if (challenge === undefined) return undefined;
  const bytes = Buffer.from(challenge, 'base64url');
  // Buffer.from skips characters outside base64url; the round trip refuses such strings.
  if (bytes.length !== CHALLENGE_BYTES || bytes.toString('base64url') !== challenge) return undefined;
  const signed = bytes.subarray(0, NONCE_BYTES + EXPIRY_BYTES);
  if (!timingSafeEqual(macOf(core, signed), bytes.subarray(NONCE_BYTES + EXPIRY_BYTES))) return undefined;
  const expiresAtMs = Number(bytes.readBigUInt64BE(NONCE_BYTES));
  return expiresAtMs > core.clock.now() ? { challenge, expiresAtMs } : undefined;
}

/**
 * Records the challenge as used; false when it already was (a replay, or the loser of parallel
 * submissions of one answer). Expired rows are swept on the way, as `storeChallenge` does.
 */
export async function claimPasswordlessChallenge(
  core: Core,
  tx: Tx,
  { challenge, expiresAtMs }: PasswordlessChallenge,
): Promise<boolean> {
  const nowMs = core.clock.now();
  await tx.webauthnChallenges.deleteExpired(nowMs);
  return tx.webauthnChallenges.insertUsed({
    challenge,
    purpose: 'passwordless',
    userId: null,
    mfaTokenHash: null,
    expiresAtMs: expiresAtMs,
    createdAtMs: nowMs,
    usedAtMs: nowMs,
  });
}
