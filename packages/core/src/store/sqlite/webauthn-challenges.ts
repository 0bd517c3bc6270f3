import { and, eq, gt, isNull, lte } from 'drizzle-orm';
import type {
  ConsumeChallengeQuery,
  WebAuthnChallengePurpose,
  WebAuthnChallengeRepository,
  WebAuthnChallengeRow,
} from '../repositories/webauthn-challenges.js';
import type { Db } from './open.js';
import { webauthnChallenges } from './schema/index.js';

export class SqliteWebAuthnChallengeRepository implements WebAuthnChallengeRepository {
  constructor(private readonly db: Db) {}

  async insert(row: WebAuthnChallengeRow): Promise<void> {
    this.db
      .insert(webauthnChallenges)
      .values({ ...row, usedAtMs: null })
      .run();
  }

  async insertUsed(row: WebAuthnChallengeRow & { usedAtMs: number }): Promise<boolean> {
    const { changes } = this.db.insert(webauthnChallenges).values(row).onConflictDoNothing().run();
    return changes === 1;
  }

  async consume(query: ConsumeChallengeQuery): Promise<WebAuthnChallengeRow | undefined> {
    const row = this.db
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
      .returning()
      .get();
    return row && { ...row, purpose: row.purpose as WebAuthnChallengePurpose };
  }

  async deleteExpired(beforeMs: number): Promise<void> {
    this.db.delete(webauthnChallenges).where(lte(webauthnChallenges.expiresAtMs, beforeMs)).run();
  }
}
