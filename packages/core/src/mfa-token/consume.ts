import type { Tx } from '../store/store.js';

/** docs/contract.md: an MFA token dies after 5 wrong codes. */
export const MFA_TOKEN_MAX_FAILURES = 5;

/** Single use: true only for the one request whose UPDATE changed the row. */
export function consumeMfaToken(tx: Tx, tokenHash: string, nowMs: number): Promise<boolean> {
  return tx.mfaTokens.consume({ tokenHash, nowMs, maxFailures: MFA_TOKEN_MAX_FAILURES });
}

/** Counts a wrong code against a live token; false when the token died meanwhile (used, burned, expired). */
export function recordMfaTokenFailure(tx: Tx, tokenHash: string, nowMs: number): Promise<boolean> {
  return tx.mfaTokens.recordFailure({ tokenHash, nowMs, maxFailures: MFA_TOKEN_MAX_FAILURES });
}
