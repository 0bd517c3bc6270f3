import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type {
  LiveMfaTokenQuery,
  MfaChallengeRow,
  MfaTokenRepository,
  NewMfaToken,
} from '../repositories/mfa-tokens.js';
import type { PgDb } from './db.js';
import { failureCounters, mfaCredentials, mfaTokens, users } from './schema/index.js';

const isLive = (query: LiveMfaTokenQuery) =>
  and(
    eq(mfaTokens.tokenHash, query.tokenHash),
    isNull(mfaTokens.usedAtMs),
    gt(mfaTokens.expiresAtMs, query.nowMs),
    lt(mfaTokens.failedAttempts, query.maxFailures),
  );

export class PostgresMfaTokenRepository implements MfaTokenRepository {
  constructor(private readonly db: PgDb) {}

  async insert(token: NewMfaToken): Promise<void> {
    await this.db.insert(mfaTokens).values(token);
  }

  async findChallenge(
    query: LiveMfaTokenQuery & { counterScope: string },
  ): Promise<MfaChallengeRow | undefined> {
    const [row] = await this.db
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
        and(eq(failureCounters.scope, query.counterScope), eq(failureCounters.subject, mfaTokens.userId)),
      )
      .where(isLive(query));
    return row;
  }

  // The guard is on the UPDATE itself: under READ COMMITTED a concurrent update re-checks it
  // against the row it committed, so exactly one of parallel uses changes the row.
  async consume(query: LiveMfaTokenQuery): Promise<boolean> {
    const rows = await this.db
      .update(mfaTokens)
      .set({ usedAtMs: query.nowMs })
      .where(isLive(query))
      .returning({ tokenHash: mfaTokens.tokenHash });
    return rows.length === 1;
  }

  async recordFailure(query: LiveMfaTokenQuery): Promise<boolean> {
    const rows = await this.db
      .update(mfaTokens)
      .set({ failedAttempts: sql`${mfaTokens.failedAttempts} + 1` })
      .where(isLive(query))
      .returning({ tokenHash: mfaTokens.tokenHash });
    return rows.length === 1;
  }
}
