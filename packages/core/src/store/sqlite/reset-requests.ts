import { and, asc, count, eq, gt, isNull, max, sql } from 'drizzle-orm';
import type {
  NewResetRequest,
  RecentResetRequests,
  ResetRequestRepository,
  ResetRequestRow,
} from '../repositories/reset-requests.js';
import type { Db } from './open.js';
import { resetRequests } from './schema/index.js';

/** Reads the `nowMs` placeholder. */
const isLive = () =>
  and(isNull(resetRequests.consumedAtMs), gt(resetRequests.expiresAtMs, sql.placeholder('nowMs')));

function prepare(db: Db) {
  return {
    byTokenHash: db
      .select()
      .from(resetRequests)
      .where(eq(resetRequests.tokenHash, sql.placeholder('tokenHash')))
      .prepare(),
    liveOfUser: db
      .select()
      .from(resetRequests)
      .where(and(eq(resetRequests.userId, sql.placeholder('userId')), isLive()))
      .orderBy(asc(resetRequests.createdAtMs))
      .prepare(),
    madeSince: db
      .select({ sent: count(), latest: max(resetRequests.createdAtMs) })
      .from(resetRequests)
      .where(
        and(
          eq(resetRequests.userId, sql.placeholder('userId')),
          gt(resetRequests.createdAtMs, sql.placeholder('sinceMs')),
        ),
      )
      .prepare(),
    consume: db
      .update(resetRequests)
      .set({ consumedAtMs: sql`${sql.placeholder('nowMs')}` })
      .where(and(eq(resetRequests.id, sql.placeholder('id')), isLive()))
      .prepare(),
  };
}

export class SqliteResetRequestRepository implements ResetRequestRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async insert(request: NewResetRequest): Promise<void> {
    this.db.insert(resetRequests).values(request).run();
  }

  async findByTokenHash(tokenHash: string): Promise<ResetRequestRow | undefined> {
    return this.q.byTokenHash.get({ tokenHash });
  }

  async findLiveOfUser(query: { userId: string; nowMs: number }): Promise<ResetRequestRow[]> {
    return this.q.liveOfUser.all({ userId: query.userId, nowMs: query.nowMs });
  }

  async countMadeSince(query: { userId: string; sinceMs: number }): Promise<RecentResetRequests> {
    return (
      this.q.madeSince.get({ userId: query.userId, sinceMs: query.sinceMs }) ?? { sent: 0, latest: null }
    );
  }

  async consume(query: { id: string; nowMs: number }): Promise<boolean> {
    return this.q.consume.run({ id: query.id, nowMs: query.nowMs }).changes === 1;
  }

  async consumeAllOfUser(query: { userId: string; nowMs: number }): Promise<void> {
    this.db
      .update(resetRequests)
      .set({ consumedAtMs: query.nowMs })
      .where(and(eq(resetRequests.userId, query.userId), isNull(resetRequests.consumedAtMs)))
      .run();
  }
}
