import { and, eq, type SQL, sql } from 'drizzle-orm';
import type {
  CounterLock,
  FailureCounterKey,
  FailureCounterRepository,
  FailureStreak,
  FailureToCount,
} from '../repositories/failure-counters.js';
import type { Db } from './open.js';
import { failureCounters } from './schema/index.js';

/** Reads the `scope` and `subject` placeholders. */
const isCounter = () =>
  and(
    eq(failureCounters.scope, sql.placeholder('scope')),
    eq(failureCounters.subject, sql.placeholder('subject')),
  );

/** The upsert that counts one failure; `isStale` decides whether the streak starts over. */
function countFailure(db: Db, isStale: SQL) {
  const nowSec = sql`${sql.placeholder('nowSec')}`;
  return db
    .insert(failureCounters)
    .values({
      scope: sql.placeholder('scope'),
      subject: sql.placeholder('subject'),
      failures: 1,
      updatedAtSeconds: nowSec,
    })
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
    })
    .prepare();
}

function prepare(db: Db) {
  return {
    lockedUntilSeconds: db
      .select({ lockedUntilSeconds: failureCounters.lockedUntilSeconds })
      .from(failureCounters)
      .where(isCounter())
      .prepare(),
    countFailure: countFailure(db, sql`0`),
    countFailureRestartingQuiet: countFailure(
      db,
      sql`(${failureCounters.updatedAtSeconds} <= ${sql.placeholder('quietSince')} AND ${failureCounters.lockedUntilSeconds} <= ${sql.placeholder('nowSec')})`,
    ),
    lock: db
      .update(failureCounters)
      .set({
        lockedUntilSeconds: sql`${sql.placeholder('lockedUntilSeconds')}`,
        lockCount: sql`${sql.placeholder('lockCount')}`,
      })
      .where(isCounter())
      .prepare(),
    reset: db.delete(failureCounters).where(isCounter()).prepare(),
  };
}

export class SqliteFailureCounterRepository implements FailureCounterRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async findLockedUntil(key: FailureCounterKey): Promise<number | undefined> {
    return this.q.lockedUntilSeconds.get({ scope: key.scope, subject: key.subject })?.lockedUntilSeconds;
  }

  async recordFailure(failure: FailureToCount): Promise<FailureStreak> {
    const { scope, subject, nowSec, quietSince } = failure;
    const row =
      quietSince === undefined
        ? this.q.countFailure.get({ scope, subject, nowSec })
        : this.q.countFailureRestartingQuiet.get({ scope, subject, nowSec, quietSince });
    if (!row) throw new Error('failure counter upsert returned no row');
    return row;
  }

  async lock(lock: CounterLock): Promise<void> {
    this.q.lock.run({
      scope: lock.scope,
      subject: lock.subject,
      lockedUntilSeconds: lock.lockedUntilSeconds,
      lockCount: lock.lockCount,
    });
  }

  async reset(key: FailureCounterKey): Promise<void> {
    this.q.reset.run({ scope: key.scope, subject: key.subject });
  }

  async resetAllWithPrefix(query: { scope: string; subjectPrefix: string }): Promise<number> {
    // substr, not LIKE: a subject may hold `%` or `_` (an unknown identifier's hash never does, but no escaping to get wrong).
    return this.db
      .delete(failureCounters)
      .where(
        and(
          eq(failureCounters.scope, query.scope),
          sql`substr(${failureCounters.subject}, 1, ${query.subjectPrefix.length}) = ${query.subjectPrefix}`,
        ),
      )
      .run().changes;
  }
}
