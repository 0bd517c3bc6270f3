import { and, eq } from 'drizzle-orm';
import type { Core } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import { preparedPerDb } from '../db/prepared.js';
import { failureCounters, mfaCredentials, mfaTokens, users } from '../db/schema/index.js';
import { isLiveMfaToken } from '../mfa-token/consume.js';
import { SECOND_FACTOR_POLICY } from '../throttle/failure-counter.js';

/**
 * A pending second step, read in one statement (four primary-key lookups): the live MFA
 * token, its user, the user's TOTP credential, and their second-factor counter if any.
 */
const queries = preparedPerDb((db) => ({
  byTokenHash: db
    .select({
      tokenHash: mfaTokens.tokenHash,
      /** When the password step that issued the token ran. */
      passwordProvenAt: mfaTokens.createdAt,
      user: users,
      credential: {
        secretCiphertext: mfaCredentials.secretCiphertext,
        keyId: mfaCredentials.keyId,
        lastTimeStep: mfaCredentials.lastTimeStep,
      },
      /** Null when the user has no second-factor counter: nothing to lift on success. */
      lockedUntil: failureCounters.lockedUntil,
    })
    .from(mfaTokens)
    .innerJoin(users, eq(users.id, mfaTokens.userId))
    .innerJoin(mfaCredentials, eq(mfaCredentials.userId, mfaTokens.userId))
    .leftJoin(
      failureCounters,
      and(
        eq(failureCounters.scope, SECOND_FACTOR_POLICY.scope),
        eq(failureCounters.subject, mfaTokens.userId),
      ),
    )
    .where(isLiveMfaToken())
    .prepare(),
}));

export type MfaChallenge = NonNullable<ReturnType<ReturnType<typeof queries>['byTokenHash']['get']>>;

/**
 * The challenge a presented X-MFA-Token opens, if the token is live and its user still has
 * MFA. Inside `writeTransaction(core.db, …)` it is that transaction's read.
 */
export function findMfaChallenge(core: Core, token: string): MfaChallenge | undefined {
  const tokenHash = hashToken(core.keyring, token);
  return queries(core.db).byTokenHash.get({ tokenHash, nowMs: core.clock.now() });
}
