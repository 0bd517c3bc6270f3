import { and, asc, count, eq, gt, isNull, max, sql } from 'drizzle-orm';
import type {
  NewPasswordReset,
  PasswordResetRepository,
  PasswordResetRow,
  RecentPasswordResets,
} from '../repositories/password-resets.js';
import type { Db } from './open.js';
import { passwordResets } from './schema/index.js';

/** Reads the `nowMs` placeholder. */
const isLive = () =>
  and(isNull(passwordResets.consumedAtMs), gt(passwordResets.expiresAtMs, sql.placeholder('nowMs')));

function prepare(db: Db) {
  return {
    byTokenHash: db
      .select()
      .from(passwordResets)
      .where(eq(passwordResets.tokenHash, sql.placeholder('tokenHash')))
      .prepare(),
    liveOfUser: db
      .select()
      .from(passwordResets)
      .where(and(eq(passwordResets.userId, sql.placeholder('userId')), isLive()))
      .orderBy(asc(passwordResets.createdAtMs))
      .prepare(),
    madeSince: db
      .select({ sent: count(), latest: max(passwordResets.createdAtMs) })
      .from(passwordResets)
      .where(
        and(
          eq(passwordResets.userId, sql.placeholder('userId')),
          gt(passwordResets.createdAtMs, sql.placeholder('sinceMs')),
        ),
      )
      .prepare(),
    consume: db
      .update(passwordResets)
      .set({ consumedAtMs: sql`${sql.placeholder('nowMs')}` })
      .where(and(eq(passwordResets.id, sql.placeholder('id')), isLive()))
      .prepare(),
  };
}

export class SqlitePasswordResetRepository implements PasswordResetRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async insert(request: NewPasswordReset): Promise<void> {
    this.db.insert(passwordResets).values(request).run();
  }

  async findByTokenHash(tokenHash: string): Promise<PasswordResetRow | undefined> {
    return this.q.byTokenHash.get({ tokenHash });
  }

  async findLiveOfUser(query: { userId: string; nowMs: number }): Promise<PasswordResetRow[]> {
    return this.q.liveOfUser.all({ userId: query.userId, nowMs: query.nowMs });
  }

  async countMadeSince(query: { userId: string; sinceMs: number }): Promise<RecentPasswordResets> {
    return (
      this.q.madeSince.get({ userId: query.userId, sinceMs: query.sinceMs }) ?? { sent: 0, latest: null }
    );
  }

  async consume(query: { id: string; nowMs: number }): Promise<boolean> {
    return this.q.consume.run({ id: query.id, nowMs: query.nowMs }).changes === 1;
  }

  async consumeAllOfUser(query: { userId: string; nowMs: number }): Promise<void> {
    this.db
      .update(passwordResets)
      .set({ consumedAtMs: query.nowMs })
      .where(and(eq(passwordResets.userId, query.userId), isNull(passwordResets.consumedAtMs)))
      .run();
  }
}
