import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type {
  ClaimDueQuery,
  DueMailQuery,
  HeldMail,
  NewOutboxMail,
  OutboxBacklog,
  OutboxRepository,
  OutboxRow,
} from '../repositories/outbox.js';
import type { PgDb } from './db.js';
import { outbox } from './schema/index.js';

/** The columns of an outbox row as the repositories return it: all but `seq`, which is ordering only. */
const rowColumns = {
  id: outbox.id,
  kind: outbox.kind,
  recipient: outbox.recipient,
  userId: outbox.userId,
  subject: outbox.subject,
  payloadCiphertext: outbox.payloadCiphertext,
  keyId: outbox.keyId,
  status: outbox.status,
  attempts: outbox.attempts,
  nextAttemptAtMs: outbox.nextAttemptAtMs,
  leaseOwner: outbox.leaseOwner,
  leaseUntilMs: outbox.leaseUntilMs,
  lastError: outbox.lastError,
  sentAtMs: outbox.sentAtMs,
  failedAtMs: outbox.failedAtMs,
  createdAtMs: outbox.createdAtMs,
};

/** Pending and lease free at `nowMs`. */
const isClaimable = (nowMs: number) =>
  and(eq(outbox.status, 'pending'), or(isNull(outbox.leaseUntilMs), lte(outbox.leaseUntilMs, nowMs)));

/** Still held by `owner`: the guard of every settling write. */
const isHeld = (held: HeldMail) =>
  and(eq(outbox.id, held.id), eq(outbox.leaseOwner, held.owner), eq(outbox.status, 'pending'));

/** Settled as failed at `nowMs` with `lastError`: body wiped, lease released. */
const settledFailed = (nowMs: number, lastError: string) => ({
  status: 'failed' as const,
  failedAtMs: nowMs,
  lastError,
  payloadCiphertext: null,
  keyId: null,
  leaseOwner: null,
  leaseUntilMs: null,
});

export class PostgresOutboxRepository implements OutboxRepository {
  constructor(private readonly db: PgDb) {}

  async insert(mail: NewOutboxMail): Promise<void> {
    await this.db.insert(outbox).values(mail);
  }

  async hasWorkDue(query: DueMailQuery): Promise<boolean> {
    const rows = await this.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          isClaimable(query.nowMs),
          or(lte(outbox.nextAttemptAtMs, query.nowMs), lte(outbox.createdAtMs, query.expiredAtOrBefore)),
        ),
      )
      .limit(1);
    return rows.length > 0;
  }

  // Guarded on the UPDATE itself: a row a worker claims meanwhile is re-checked and left alone.
  async giveUpExpired(query: DueMailQuery & { reason: string }): Promise<{ id: string; kind: string }[]> {
    return this.db
      .update(outbox)
      .set(settledFailed(query.nowMs, query.reason))
      .where(and(isClaimable(query.nowMs), lte(outbox.createdAtMs, query.expiredAtOrBefore)))
      .returning({ id: outbox.id, kind: outbox.kind });
  }

  // One statement: the CTE picks due rows and locks them, skipping rows another worker is
  // claiming right now (so parallel workers take different rows instead of queueing), and the
  // UPDATE guards again, re-checked by PostgreSQL against any row committed meanwhile. A CTE
  // with FOR UPDATE runs once; as a plain IN subquery PostgreSQL may rescan it per row and
  // take more than `limit`.
  async claimDue(query: ClaimDueQuery): Promise<OutboxRow[]> {
    const due = this.db.$with('due').as(
      this.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(isClaimable(query.nowMs), lte(outbox.nextAttemptAtMs, query.nowMs)))
        .orderBy(asc(outbox.nextAttemptAtMs), asc(outbox.createdAtMs))
        .limit(query.limit)
        .for('update', { skipLocked: true }),
    );
    const rows = await this.db
      .with(due)
      .update(outbox)
      .set({
        leaseOwner: query.owner,
        leaseUntilMs: query.leaseUntilMs,
        attempts: sql`${outbox.attempts} + 1`,
      })
      .where(and(isClaimable(query.nowMs), inArray(outbox.id, this.db.select({ id: due.id }).from(due))))
      .returning(rowColumns);
    // RETURNING gives no order: restore the CTE's, oldest due first.
    return rows.sort((a, b) => a.nextAttemptAtMs - b.nextAttemptAtMs || a.createdAtMs - b.createdAtMs);
  }

  async findHeld(held: HeldMail): Promise<{ attempts: number; createdAtMs: number } | undefined> {
    const [row] = await this.db
      .select({ attempts: outbox.attempts, createdAtMs: outbox.createdAtMs })
      .from(outbox)
      .where(isHeld(held));
    return row;
  }

  async markSent(held: HeldMail & { nowMs: number }): Promise<boolean> {
    const rows = await this.db
      .update(outbox)
      .set({
        status: 'sent',
        sentAtMs: held.nowMs,
        lastError: null,
        payloadCiphertext: null,
        keyId: null,
        leaseOwner: null,
        leaseUntilMs: null,
      })
      .where(isHeld(held))
      .returning({ id: outbox.id });
    return rows.length === 1;
  }

  async markFailed(held: HeldMail & { nowMs: number; lastError: string }): Promise<boolean> {
    const rows = await this.db
      .update(outbox)
      .set(settledFailed(held.nowMs, held.lastError))
      .where(isHeld(held))
      .returning({ id: outbox.id });
    return rows.length === 1;
  }

  async scheduleRetry(held: HeldMail & { nextAttemptAtMs: number; lastError: string }): Promise<boolean> {
    const rows = await this.db
      .update(outbox)
      .set({
        nextAttemptAtMs: held.nextAttemptAtMs,
        lastError: held.lastError,
        leaseOwner: null,
        leaseUntilMs: null,
      })
      .where(isHeld(held))
      .returning({ id: outbox.id });
    return rows.length === 1;
  }

  // PostgreSQL has no DELETE … LIMIT: pick the batch's ids in a subquery.
  async deleteSettled(query: { createdBefore: number; limit: number }): Promise<number> {
    const rows = await this.db
      .delete(outbox)
      .where(
        inArray(
          outbox.id,
          this.db
            .select({ id: outbox.id })
            .from(outbox)
            .where(
              and(
                inArray(outbox.status, ['sent', 'failed', 'kept']),
                lt(outbox.createdAtMs, query.createdBefore),
              ),
            )
            .limit(query.limit),
        ),
      )
      .returning({ id: outbox.id });
    return rows.length;
  }

  // seq breaks ties between mails queued at the same millisecond (one transaction).
  async listNewest(limit: number): Promise<OutboxRow[]> {
    return this.db
      .select(rowColumns)
      .from(outbox)
      .orderBy(desc(outbox.createdAtMs), desc(outbox.seq))
      .limit(limit);
  }

  async pendingBacklog(): Promise<OutboxBacklog> {
    const [row] = await this.db
      .select({
        // count(*) is int8, which node-postgres hands over as a string unless told otherwise.
        pending: sql<number>`count(*)::int`,
        oldestCreatedAt: sql<number | null>`min(${outbox.createdAtMs})`,
      })
      .from(outbox)
      .where(eq(outbox.status, 'pending'));
    return { pending: row?.pending ?? 0, oldestCreatedAt: row?.oldestCreatedAt ?? null };
  }
}
