import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { preparedPerDb } from '../db/prepared.js';
import { mfaTokens } from '../db/schema/index.js';

/** docs/contract.md: an MFA token dies after 5 wrong codes. */
export const MFA_TOKEN_MAX_FAILURES = 5;

/**
 * A live token: unexpired, unused, not burned. Reads the `tokenHash` and `nowMs` placeholders;
 * shared by this module and the joined read of the second step (mfa/challenge.ts).
 */
export function isLiveMfaToken() {
  return and(
    eq(mfaTokens.tokenHash, sql.placeholder('tokenHash')),
    isNull(mfaTokens.usedAt),
    gt(mfaTokens.expiresAt, sql.placeholder('nowMs')),
    lt(mfaTokens.failedAttempts, MFA_TOKEN_MAX_FAILURES),
  );
}

const queries = preparedPerDb((db) => {
  const isLive = isLiveMfaToken();
  return {
    consume: db
      .update(mfaTokens)
      .set({ usedAt: sql`${sql.placeholder('nowMs')}` })
      .where(isLive)
      .prepare(),
    recordFailure: db
      .update(mfaTokens)
      .set({ failedAttempts: sql`${mfaTokens.failedAttempts} + 1` })
      .where(isLive)
      .prepare(),
  };
});

/** Single use: true only for the one request whose UPDATE changed the row. Run inside a write transaction on `db`. */
export function consumeMfaToken(db: Db, tokenHash: string, nowMs: number): boolean {
  return queries(db).consume.run({ tokenHash, nowMs }).changes === 1;
}

/**
 * Counts a wrong code against a live token; false when the token died meanwhile (used, burned, expired).
 * Run inside a write transaction on `db`.
 */
export function recordMfaTokenFailure(db: Db, tokenHash: string, nowMs: number): boolean {
  return queries(db).recordFailure.run({ tokenHash, nowMs }).changes === 1;
}
