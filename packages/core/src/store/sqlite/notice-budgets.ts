import { sql } from 'drizzle-orm';
import type { NoticeBudgetRepository } from '../repositories/notice-budgets.js';
import type { Db } from './open.js';
import { noticeBudgets } from './schema/index.js';

export class SqliteNoticeBudgetRepository implements NoticeBudgetRepository {
  constructor(private readonly db: Db) {}

  async take(query: { userId: string; family: string; nowMs: number; windowMs: number }) {
    const { windowStartedAtMs: started, taken } = noticeBudgets;
    // Every SET expression reads the row as it was before this statement.
    const isOver = sql`${started} <= ${query.nowMs - query.windowMs}`;
    const row = this.db
      .insert(noticeBudgets)
      .values({ userId: query.userId, family: query.family, windowStartedAtMs: query.nowMs, taken: 1 })
      .onConflictDoUpdate({
        target: [noticeBudgets.userId, noticeBudgets.family],
        set: {
          windowStartedAtMs: sql`CASE WHEN ${isOver} THEN ${query.nowMs} ELSE ${started} END`,
          taken: sql`CASE WHEN ${isOver} THEN 1 ELSE ${taken} + 1 END`,
        },
      })
      .returning({ ordinal: taken, windowStartedAtMs: started })
      .get();
    return row;
  }
}
