import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type {
  LiveMfaTokenQuery,
  MfaChallengeRow,
  MfaTokenRepository,
  NewMfaToken,
} from '../repositories/mfa-tokens.js';
import type { Db } from './open.js';
import { failureCounters, mfaCredentials, mfaTokens, users } from './schema/index.js';

/** Reads the `tokenHash`, `nowMs` and `maxFailures` placeholders. */
const isLive = () =>
  and(
    eq(mfaTokens.tokenHash, sql.placeholder('tokenHash')),
    isNull(mfaTokens.usedAtMs),
    gt(mfaTokens.expiresAtMs, sql.placeholder('nowMs')),
    lt(mfaTokens.failedAttempts, sql.placeholder('maxFailures')),
  );

function prepare(db: Db) {
  return {
    challenge: db
      .select({
        tokenHash: mfaTokens.tokenHash,
        passwordProvenAt: mfaTokens.createdAtMs,
        user: users,
        credential: {
          secretCiphertext: mfaCredentials.secretCiphertext,
          keyId: mfaCredentials.keyId,
          lastTimeStep: mfaCredentials.lastTimeStep,
        },
        lockedUntilSeconds: failureCounters.lockedUntilSeconds,
      })
      .from(mfaTokens)
      .innerJoin(users, eq(users.id, mfaTokens.userId))
      .leftJoin(mfaCredentials, eq(mfaCredentials.userId, mfaTokens.userId))
      .leftJoin(
        failureCounters,
        and(
          eq(failureCounters.scope, sql.placeholder('counterScope')),
          eq(failureCounters.subject, mfaTokens.userId),
        ),
      )
      .where(isLive())
      .prepare(),
    consume: db
      .update(mfaTokens)
      .set({ usedAtMs: sql`${sql.placeholder('nowMs')}` })
      .where(isLive())
      .prepare(),
    recordFailure: db
      .update(mfaTokens)
      .set({ failedAttempts: sql`${mfaTokens.failedAttempts} + 1` })
      .where(isLive())
      .prepare(),
  };
}

export class SqliteMfaTokenRepository implements MfaTokenRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async insert(token: NewMfaToken): Promise<void> {
    this.db.insert(mfaTokens).values(token).run();
  }

  async findChallenge(
    query: LiveMfaTokenQuery & { counterScope: string },
  ): Promise<MfaChallengeRow | undefined> {
    // Spread: drizzle's placeholders take a plain record, which an interface type is not.
    return this.q.challenge.get({ ...query });
  }

  async consume(query: LiveMfaTokenQuery): Promise<boolean> {
    return this.q.consume.run({ ...query }).changes === 1;
  }

  async recordFailure(query: LiveMfaTokenQuery): Promise<boolean> {
    return this.q.recordFailure.run({ ...query }).changes === 1;
  }
}
