import { and, eq, type SQL, sql } from 'drizzle-orm';
import type {
  CounterLock,
  FailureCounterKey,
  FailureCounterRepository,
  FailureStreak,
  FailureToCount,
} from '../repositories/failure-counters.js';
import type { PgDb } from './db.js';
import { failureCounters } from './schema/index.js';

const isCounter = (key: FailureCounterKey) =>
  and(eq(failureCounters.scope, key.scope), eq(failureCounters.subject, key.subject));

export class PostgresFailureCounterRepository implements FailureCounterRepository {
  constructor(private readonly db: PgDb) {}

  async findLockedUntil(key: FailureCounterKey): Promise<number | undefined> {
    const [row] = await this.db
      .select({ lockedUntilSeconds: failureCounters.lockedUntilSeconds })
      .from(failureCounters)
      .where(isCounter(key));
    return row?.lockedUntilSeconds;
  }

  // One upsert: the increment happens in SQL on the row's current value, so parallel failures
  // (each waiting on the row lock the conflicting one holds) all count.
  async recordFailure(failure: FailureToCount): Promise<FailureStreak> {
    const { scope, subject, nowSec, quietSince } = failure;
    const isStale: SQL =
      quietSince === undefined
        ? sql`false`
        : sql`(${failureCounters.updatedAtSeconds} <= ${quietSince} AND ${failureCounters.lockedUntilSeconds} <= ${nowSec})`;
    const [row] = await this.db
      .insert(failureCounters)
      .values({ scope, subject, failures: 1, updatedAtSeconds: nowSec })
      .onConflictDoUpdate({
        target: [failureCounters.scope, failureCounters.subject],
        // SET expressions all read the row as it was, so the condition holds for both columns.
        set: {
          failures: sql`CASE WHEN ${isStale} THEN 1 ELSE ${failureCounters.failures} + 1 END`,
          lockCount: sql`CASE WHEN ${isStale} THEN 0 ELSE ${failureCounters.lockCount} END`,
          updatedAtSeconds: nowSec,
        },
      })
      .returning({
        failures: failureCounters.failures,
        lockCount: failureCounters.lockCount,
        lockedUntilSeconds: failureCounters.lockedUntilSeconds,
      });
    if (!row) throw new Error('failure counter upsert returned no row');
    return row;
  }

  async lock(lock: CounterLock): Promise<void> {
    await this.db
      .update(failureCounters)
      .set({ lockedUntilSeconds: lock.lockedUntilSeconds, lockCount: lock.lockCount })
      .where(isCounter(lock));
  }

  async reset(key: FailureCounterKey): Promise<void> {
    await this.db.delete(failureCounters).where(isCounter(key));
  }

  async resetAllWithPrefix(query: { scope: string; subjectPrefix: string }): Promise<number> {
    const deleted = await this.db
      .delete(failureCounters)
      .where(
        and(
          eq(failureCounters.scope, query.scope),
          sql`starts_with(${failureCounters.subject}, ${query.subjectPrefix})`,
        ),
      )
      .returning({ subject: failureCounters.subject });
    return deleted.length;
  }
}
