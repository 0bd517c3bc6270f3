import { and, asc, desc, eq, gt, isNull, max, sql } from 'drizzle-orm';
import type {
  EmailVerificationPurpose,
  EmailVerificationRepository,
  EmailVerificationRow,
  NewEmailVerification,
} from '../repositories/email-verifications.js';
import type { Db } from './open.js';
import { emailVerifications } from './schema/index.js';

const isLive = (nowMs: number) =>
  and(isNull(emailVerifications.consumedAtMs), gt(emailVerifications.expiresAtMs, nowMs));

export class SqliteEmailVerificationRepository implements EmailVerificationRepository {
  constructor(private readonly db: Db) {}

  async insert(verification: NewEmailVerification): Promise<void> {
    this.db.insert(emailVerifications).values(verification).run();
  }

  async findByTokenHash(tokenHash: string): Promise<EmailVerificationRow | undefined> {
    return this.db.select().from(emailVerifications).where(eq(emailVerifications.tokenHash, tokenHash)).get();
  }

  async findLiveOfUser(query: { userId: string; nowMs: number }): Promise<EmailVerificationRow[]> {
    return this.db
      .select()
      .from(emailVerifications)
      .where(and(eq(emailVerifications.userId, query.userId), isLive(query.nowMs)))
      .orderBy(asc(emailVerifications.createdAtMs))
      .all();
  }

  async latestOfUser(query: { userId: string; purpose: EmailVerificationPurpose }): Promise<number | null> {
    const row = this.db
      .select({ latest: max(emailVerifications.createdAtMs) })
      .from(emailVerifications)
      .where(and(eq(emailVerifications.userId, query.userId), eq(emailVerifications.purpose, query.purpose)))
      .get();
    return row?.latest ?? null;
  }

  async consume(query: { id: string; nowMs: number }): Promise<boolean> {
    return (
      this.db
        .update(emailVerifications)
        .set({ consumedAtMs: query.nowMs })
        .where(and(eq(emailVerifications.id, query.id), isLive(query.nowMs)))
        .run().changes === 1
    );
  }

  async findNewestLive(query: {
    userId: string;
    purpose: EmailVerificationPurpose;
    nowMs: number;
  }): Promise<EmailVerificationRow | undefined> {
    return this.db
      .select()
      .from(emailVerifications)
      .where(
        and(
          eq(emailVerifications.userId, query.userId),
          eq(emailVerifications.purpose, query.purpose),
          isLive(query.nowMs),
        ),
      )
      .orderBy(desc(emailVerifications.createdAtMs), desc(sql`rowid`))
      .limit(1)
      .get();
  }

  async consumeAllLive(query: {
    userId: string;
    purpose: EmailVerificationPurpose;
    nowMs: number;
  }): Promise<void> {
    this.db
      .update(emailVerifications)
      .set({ consumedAtMs: query.nowMs })
      .where(
        and(
          eq(emailVerifications.userId, query.userId),
          eq(emailVerifications.purpose, query.purpose),
          isLive(query.nowMs),
        ),
      )
      .run();
  }
}
