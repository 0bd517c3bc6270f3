import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Core } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import { mfaTokens } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';

/** CONTRACT.md: an MFA token dies after 5 wrong codes. */
export const MFA_TOKEN_MAX_FAILURES = 5;

const isLive = (tokenHash: string, nowMs: number) =>
  and(
    eq(mfaTokens.tokenHash, tokenHash),
    isNull(mfaTokens.usedAt),
    gt(mfaTokens.expiresAt, nowMs),
    lt(mfaTokens.failedAttempts, MFA_TOKEN_MAX_FAILURES),
  );

/** The user a live (unexpired, unused, not burned) token belongs to. */
export function findLiveMfaToken(
  core: Core,
  token: string,
): { tokenHash: string; userId: string } | undefined {
  const tokenHash = hashToken(core.keyring, token);
  return core.db
    .select({ tokenHash: mfaTokens.tokenHash, userId: mfaTokens.userId })
    .from(mfaTokens)
    .where(isLive(tokenHash, core.clock.now()))
    .get();
}

/** Single use: true only for the one request whose UPDATE changed the row. */
export function consumeMfaToken(tx: Tx, tokenHash: string, nowMs: number): boolean {
  return tx.update(mfaTokens).set({ usedAt: nowMs }).where(isLive(tokenHash, nowMs)).run().changes === 1;
}

/** Counts a wrong code against a live token; false when the token died meanwhile (used, burned, expired). */
export function recordMfaTokenFailure(tx: Tx, tokenHash: string, nowMs: number): boolean {
  return (
    tx
      .update(mfaTokens)
      .set({ failedAttempts: sql`${mfaTokens.failedAttempts} + 1` })
      .where(isLive(tokenHash, nowMs))
      .run().changes === 1
  );
}
