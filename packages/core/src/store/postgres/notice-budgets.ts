import { sql } from 'drizzle-orm';
import type { NoticeBudgetRepository } from '../repositories/notice-budgets.js';
import type { PgDb } from './db.js';
import { noticeBudgets } from './schema/index.js';

export class PostgresNoticeBudgetRepository implements NoticeBudgetRepository {
  constructor(private readonly db: PgDb) {}

  // One statement: a parallel take waits on the row's lock, then counts on from the committed row.
  async take(query: { userId: string; family: string; nowMs: number; windowMs: number }) {
    const { windowStartedAtMs: started, taken } = noticeBudgets;
    const isOver = sql`${started} <= ${query.nowMs - query.windowMs}`;
    const [row] = await this.db
      .insert(noticeBudgets)
      .values({ userId: query.userId, family: query.family, windowStartedAtMs: query.nowMs, taken: 1 })
      .onConflictDoUpdate({
        target: [noticeBudgets.userId, noticeBudgets.family],
        set: {
          windowStartedAtMs: sql`CASE WHEN ${isOver} THEN ${query.nowMs}::bigint ELSE ${started} END`,
          taken: sql`CASE WHEN ${isOver} THEN 1 ELSE ${taken} + 1 END`,
        },
      })
      .returning({ ordinal: taken, windowStartedAtMs: started });
    if (!row) throw new Error('notice budget upsert returned no row');
    return row;
  }
}
