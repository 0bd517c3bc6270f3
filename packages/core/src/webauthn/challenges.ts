import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import type { Core } from '../context.js';
import type {
  WebAuthnChallengePurpose,
  WebAuthnChallengeRow,
} from '../store/repositories/webauthn-challenges.js';
import type { Tx } from '../store/store.js';

/** docs/contract.md § WebAuthn: a ceremony's challenge lives 5 minutes and is used once. */
export const WEBAUTHN_CHALLENGE_TTL_SECONDS = 5 * 60;

/** 256 random bits, above WebAuthn's 16-byte minimum (W3C WebAuthn § 13.4.3). */
const WEBAUTHN_CHALLENGE_BYTES = 32;

export function newChallengeBytes(core: Core): Uint8Array<ArrayBuffer> {
  return new Uint8Array(core.random.bytes(WEBAUTHN_CHALLENGE_BYTES));
}

/** Keeps the challenge the options carry; expired ones are swept on the way, so the table stays small. */
export async function storeChallenge(
  core: Core,
  tx: Tx,
  row: {
    challenge: string;
    purpose: WebAuthnChallengePurpose;
    userId: string | null;
    mfaTokenHash: string | null;
  },
): Promise<void> {
  const now = core.clock.now();
  await tx.webauthnChallenges.deleteExpired(now);
  await tx.webauthnChallenges.insert({
    ...row,
    expiresAtMs: now + WEBAUTHN_CHALLENGE_TTL_SECONDS * 1000,
    createdAtMs: now,
  });
}

/** The challenge the browser signed over, from clientDataJSON; undefined when it does not decode. */
export function challengeOf(response: { response: { clientDataJSON: string } }): string | undefined {
  try {
    const { challenge } = decodeClientDataJSON(response.response.clientDataJSON);
    return typeof challenge === 'string' && challenge.length > 0 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the live challenge the response answers, in one guarded UPDATE, before anything is
 * verified: of parallel submissions of one response exactly one gets it (docs/contract.md §
 * WebAuthn), whatever the authenticator's counter says.
 */
export async function consumeChallenge(
  core: Core,
  tx: Tx,
  query: {
    response: { response: { clientDataJSON: string } };
    purpose: WebAuthnChallengePurpose;
    userId: string | null;
  },
): Promise<WebAuthnChallengeRow | undefined> {
  const challenge = challengeOf(query.response);
  if (challenge === undefined) return undefined;
  return tx.webauthnChallenges.consume({
    challenge,
    purpose: query.purpose,
    userId: query.userId,
    nowMs: core.clock.now(),
  });
}
