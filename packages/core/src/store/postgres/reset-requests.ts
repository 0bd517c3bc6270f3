import { and, asc, count, eq, gt, isNull, max } from 'drizzle-orm';
import type {
  NewResetRequest,
  RecentResetRequests,
  ResetRequestRepository,
  ResetRequestRow,
} from '../repositories/reset-requests.js';
import type { PgDb } from './db.js';
import { resetRequests } from './schema/index.js';

const isLive = (nowMs: number) =>
  and(isNull(resetRequests.consumedAtMs), gt(resetRequests.expiresAtMs, nowMs));

export class PostgresResetRequestRepository implements ResetRequestRepository {
  constructor(private readonly db: PgDb) {}

  async insert(request: NewResetRequest): Promise<void> {
    await this.db.insert(resetRequests).values(request);
  }

  async findByTokenHash(tokenHash: string): Promise<ResetRequestRow | undefined> {
    const [row] = await this.db.select().from(resetRequests).where(eq(resetRequests.tokenHash, tokenHash));
    return row;
  }

  async findLiveOfUser(query: { userId: string; nowMs: number }): Promise<ResetRequestRow[]> {
    return this.db
      .select()
      .from(resetRequests)
      .where(and(eq(resetRequests.userId, query.userId), isLive(query.nowMs)))
      .orderBy(asc(resetRequests.createdAtMs));
  }

  async countMadeSince(query: { userId: string; sinceMs: number }): Promise<RecentResetRequests> {
    const [row] = await this.db
      .select({ sent: count(), latest: max(resetRequests.createdAtMs) })
      .from(resetRequests)
      .where(and(eq(resetRequests.userId, query.userId), gt(resetRequests.createdAtMs, query.sinceMs)));
    return row ?? { sent: 0, latest: null };
  }

  // The liveness guard is on the UPDATE itself: under READ COMMITTED a concurrent consume
  // re-checks it against the committed row, so exactly one of parallel calls changes it.
  async consume(query: { id: string; nowMs: number }): Promise<boolean> {
    const rows = await this.db
      .update(resetRequests)
      .set({ consumedAtMs: query.nowMs })
      .where(and(eq(resetRequests.id, query.id), isLive(query.nowMs)))
      .returning({ id: resetRequests.id });
    return rows.length === 1;
  }

  async consumeAllOfUser(query: { userId: string; nowMs: number }): Promise<void> {
    await this.db
      .update(resetRequests)
      .set({ consumedAtMs: query.nowMs })
      .where(and(eq(resetRequests.userId, query.userId), isNull(resetRequests.consumedAtMs)));
  }
}
