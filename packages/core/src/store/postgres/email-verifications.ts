import { and, asc, desc, eq, gt, isNull, max } from 'drizzle-orm';
import type {
  EmailVerificationPurpose,
  EmailVerificationRepository,
  EmailVerificationRow,
  NewEmailVerification,
} from '../repositories/email-verifications.js';
import type { PgDb } from './db.js';
import { emailVerifications } from './schema/index.js';

const isLive = (nowMs: number) =>
  and(isNull(emailVerifications.consumedAtMs), gt(emailVerifications.expiresAtMs, nowMs));

export class PostgresEmailVerificationRepository implements EmailVerificationRepository {
  constructor(private readonly db: PgDb) {}

  async insert(verification: NewEmailVerification): Promise<void> {
    await this.db.insert(emailVerifications).values(verification);
  }

  async findByTokenHash(tokenHash: string): Promise<EmailVerificationRow | undefined> {
    const [row] = await this.db
      .select()
      .from(emailVerifications)
      .where(eq(emailVerifications.tokenHash, tokenHash));
    return row;
  }

  async findLiveOfUser(query: { userId: string; nowMs: number }): Promise<EmailVerificationRow[]> {
    return this.db
      .select()
      .from(emailVerifications)
      .where(and(eq(emailVerifications.userId, query.userId), isLive(query.nowMs)))
      .orderBy(asc(emailVerifications.createdAtMs));
  }

  async latestOfUser(query: { userId: string; purpose: EmailVerificationPurpose }): Promise<number | null> {
    const [row] = await this.db
      .select({ latest: max(emailVerifications.createdAtMs) })
      .from(emailVerifications)
      .where(and(eq(emailVerifications.userId, query.userId), eq(emailVerifications.purpose, query.purpose)));
    return row?.latest ?? null;
  }

  // The liveness guard is on the UPDATE itself, so of parallel calls exactly one changes the row.
  async consume(query: { id: string; nowMs: number }): Promise<boolean> {
    const rows = await this.db
      .update(emailVerifications)
      .set({ consumedAtMs: query.nowMs })
      .where(and(eq(emailVerifications.id, query.id), isLive(query.nowMs)))
      .returning({ id: emailVerifications.id });
    return rows.length === 1;
  }

  async findNewestLive(query: {
    userId: string;
    purpose: EmailVerificationPurpose;
    nowMs: number;
  }): Promise<EmailVerificationRow | undefined> {
    const [row] = await this.db
      .select()
      .from(emailVerifications)
      .where(
        and(
          eq(emailVerifications.userId, query.userId),
          eq(emailVerifications.purpose, query.purpose),
          isLive(query.nowMs),
        ),
      )
      .orderBy(desc(emailVerifications.createdAtMs))
      .limit(1);
    return row;
  }

  async consumeAllLive(query: {
    userId: string;
    purpose: EmailVerificationPurpose;
    nowMs: number;
  }): Promise<void> {
    await this.db
      .update(emailVerifications)
      .set({ consumedAtMs: query.nowMs })
      .where(
        and(
          eq(emailVerifications.userId, query.userId),
          eq(emailVerifications.purpose, query.purpose),
          isLive(query.nowMs),
        ),
      );
  }
}
