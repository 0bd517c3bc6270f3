import type { Core } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import { MFA_TOKEN_MAX_FAILURES } from '../mfa-token/consume.js';
import type { MfaChallengeRow } from '../store/repositories/mfa-tokens.js';
import type { Tx } from '../store/store.js';
import { SECOND_FACTOR_POLICY } from '../throttle/failure-counter.js';

export type MfaChallenge = MfaChallengeRow;

/**
 * The challenge a presented X-MFA-Token opens, if the token is live, with the user's TOTP
 * credential if any: the transaction's first read (four primary-key lookups in one statement).
 */
export function findMfaChallenge(core: Core, tx: Tx, token: string): Promise<MfaChallenge | undefined> {
  return tx.mfaTokens.findChallenge({
    tokenHash: hashToken(core.keyring, token),
    nowMs: core.clock.now(),
    maxFailures: MFA_TOKEN_MAX_FAILURES,
    counterScope: SECOND_FACTOR_POLICY.scope,
  });
}
