import { and, asc, count, eq, gt, isNull, max } from 'drizzle-orm';
import type {
  NewPasswordReset,
  PasswordResetRepository,
  PasswordResetRow,
  RecentPasswordResets,
} from '../repositories/password-resets.js';
import type { PgDb } from './db.js';
import { passwordResets } from './schema/index.js';

const isLive = (nowMs: number) =>
  and(isNull(passwordResets.consumedAtMs), gt(passwordResets.expiresAtMs, nowMs));

export class PostgresPasswordResetRepository implements PasswordResetRepository {
  constructor(private readonly db: PgDb) {}

  async insert(request: NewPasswordReset): Promise<void> {
    await this.db.insert(passwordResets).values(request);
  }

  async findByTokenHash(tokenHash: string): Promise<PasswordResetRow | undefined> {
    const [row] = await this.db.select().from(passwordResets).where(eq(passwordResets.tokenHash, tokenHash));
    return row;
  }

  async findLiveOfUser(query: { userId: string; nowMs: number }): Promise<PasswordResetRow[]> {
    return this.db
      .select()
      .from(passwordResets)
      .where(and(eq(passwordResets.userId, query.userId), isLive(query.nowMs)))
      .orderBy(asc(passwordResets.createdAtMs));
  }

  async countMadeSince(query: { userId: string; sinceMs: number }): Promise<RecentPasswordResets> {
    const [row] = await this.db
      .select({ sent: count(), latest: max(passwordResets.createdAtMs) })
      .from(passwordResets)
      .where(and(eq(passwordResets.userId, query.userId), gt(passwordResets.createdAtMs, query.sinceMs)));
    return row ?? { sent: 0, latest: null };
  }

  // The liveness guard is on the UPDATE itself: under READ COMMITTED a concurrent consume
  // re-checks it against the committed row, so exactly one of parallel calls changes it.
  async consume(query: { id: string; nowMs: number }): Promise<boolean> {
    const rows = await this.db
      .update(passwordResets)
      .set({ consumedAtMs: query.nowMs })
      .where(and(eq(passwordResets.id, query.id), isLive(query.nowMs)))
      .returning({ id: passwordResets.id });
    return rows.length === 1;
  }

  async consumeAllOfUser(query: { userId: string; nowMs: number }): Promise<void> {
    await this.db
      .update(passwordResets)
      .set({ consumedAtMs: query.nowMs })
      .where(and(eq(passwordResets.userId, query.userId), isNull(passwordResets.consumedAtMs)));
  }
}
