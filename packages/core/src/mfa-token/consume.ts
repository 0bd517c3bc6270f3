import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Core } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import type { Db } from '../db/open.js';
import { preparedPerDb } from '../db/prepared.js';
import { mfaTokens } from '../db/schema/index.js';

/** CONTRACT.md: an MFA token dies after 5 wrong codes. */
export const MFA_TOKEN_MAX_FAILURES = 5;

const queries = preparedPerDb((db) => {
  const isLive = and(
    eq(mfaTokens.tokenHash, sql.placeholder('tokenHash')),
    isNull(mfaTokens.usedAt),
    gt(mfaTokens.expiresAt, sql.placeholder('nowMs')),
    lt(mfaTokens.failedAttempts, MFA_TOKEN_MAX_FAILURES),
  );
  return {
    findLive: db
      .select({ tokenHash: mfaTokens.tokenHash, userId: mfaTokens.userId })
      .from(mfaTokens)
      .where(isLive)
      .prepare(),
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

/** The user a live (unexpired, unused, not burned) token belongs to. */
export function findLiveMfaToken(
  core: Core,
  token: string,
): { tokenHash: string; userId: string } | undefined {
  const tokenHash = hashToken(core.keyring, token);
  return queries(core.db).findLive.get({ tokenHash, nowMs: core.clock.now() });
}

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
