import { and, eq, gt, isNull, lte } from 'drizzle-orm';
import type {
  ConsumeChallengeQuery,
  WebAuthnChallengePurpose,
  WebAuthnChallengeRepository,
  WebAuthnChallengeRow,
} from '../repositories/webauthn-challenges.js';
import type { PgDb } from './db.js';
import { webauthnChallenges } from './schema/index.js';

export class PostgresWebAuthnChallengeRepository implements WebAuthnChallengeRepository {
  constructor(private readonly db: PgDb) {}

  async insert(row: WebAuthnChallengeRow): Promise<void> {
    await this.db.insert(webauthnChallenges).values({ ...row, usedAtMs: null });
  }

  // A parallel insert of the same challenge waits for this one's commit, then does nothing.
  async insertUsed(row: WebAuthnChallengeRow & { usedAtMs: number }): Promise<boolean> {
    const inserted = await this.db
      .insert(webauthnChallenges)
      .values(row)
      .onConflictDoNothing()
      .returning({ challenge: webauthnChallenges.challenge });
    return inserted.length === 1;
  }

  // The guard is on the UPDATE itself: under READ COMMITTED a waiting update re-checks it
  // against the row the winner committed, so exactly one of parallel uses gets the row.
  async consume(query: ConsumeChallengeQuery): Promise<WebAuthnChallengeRow | undefined> {
    const [row] = await this.db
      .update(webauthnChallenges)
      .set({ usedAtMs: query.nowMs })
      .where(
        and(
          eq(webauthnChallenges.challenge, query.challenge),
          eq(webauthnChallenges.purpose, query.purpose),
          query.userId === null
            ? isNull(webauthnChallenges.userId)
            : eq(webauthnChallenges.userId, query.userId),
          isNull(webauthnChallenges.usedAtMs),
          gt(webauthnChallenges.expiresAtMs, query.nowMs),
        ),
      )
      .returning();
    return row && { ...row, purpose: row.purpose as WebAuthnChallengePurpose };
  }

  async deleteExpired(beforeMs: number): Promise<void> {
    await this.db.delete(webauthnChallenges).where(lte(webauthnChallenges.expiresAtMs, beforeMs));
  }
}
