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
import type { Db } from './open.js';
import { outbox } from './schema/index.js';

const param = (name: string) => sql`${sql.placeholder(name)}`;

/** Pending and lease free at the `nowMs` placeholder. */
const isClaimable = () =>
  and(
    eq(outbox.status, 'pending'),
    or(isNull(outbox.leaseUntilMs), lte(outbox.leaseUntilMs, sql.placeholder('nowMs'))),
  );

/** Still held by the `owner` placeholder: the guard of every settling write. */
const isHeld = () =>
  and(
    eq(outbox.id, sql.placeholder('id')),
    eq(outbox.leaseOwner, sql.placeholder('owner')),
    eq(outbox.status, 'pending'),
  );

/** Settled as failed at the `nowMs` placeholder with the `lastError` placeholder: body wiped, lease released. */
const settledFailed = () => ({
  status: 'failed' as const,
  failedAtMs: param('nowMs'),
  lastError: param('lastError'),
  payloadCiphertext: null,
  keyId: null,
  leaseOwner: null,
  leaseUntilMs: null,
});

function prepare(db: Db) {
  return {
    insert: db
      .insert(outbox)
      .values({
        id: sql.placeholder('id'),
        kind: sql.placeholder('kind'),
        recipient: sql.placeholder('recipient'),
        userId: sql.placeholder('userId'),
        subject: sql.placeholder('subject'),
        payloadCiphertext: sql.placeholder('payloadCiphertext'),
        keyId: sql.placeholder('keyId'),
        status: sql.placeholder('status'),
        nextAttemptAtMs: sql.placeholder('nextAttemptAtMs'),
        createdAtMs: sql.placeholder('createdAtMs'),
      })
      .prepare(),
    anyDue: db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          isClaimable(),
          or(
            lte(outbox.nextAttemptAtMs, sql.placeholder('nowMs')),
            lte(outbox.createdAtMs, sql.placeholder('expiredAtOrBefore')),
          ),
        ),
      )
      .limit(1)
      .prepare(),
    giveUpExpired: db
      .update(outbox)
      .set(settledFailed())
      .where(and(isClaimable(), lte(outbox.createdAtMs, sql.placeholder('expiredAtOrBefore'))))
      .returning({ id: outbox.id, kind: outbox.kind })
      .prepare(),
    // The rows to take are picked in a subquery and taken in the same statement, guarded again
    // by the outer WHERE: no read-then-write gap in which another worker could take them.
    claimDue: db
      .update(outbox)
      .set({
        leaseOwner: param('owner'),
        leaseUntilMs: param('leaseUntilMs'),
        attempts: sql`${outbox.attempts} + 1`,
      })
      .where(
        and(
          isClaimable(),
          inArray(
            outbox.id,
            db
              .select({ id: outbox.id })
              .from(outbox)
              .where(and(isClaimable(), lte(outbox.nextAttemptAtMs, sql.placeholder('nowMs'))))
              .orderBy(asc(outbox.nextAttemptAtMs), asc(outbox.createdAtMs))
              .limit(sql.placeholder('limit')),
          ),
        ),
      )
      .returning()
      .prepare(),
    findHeld: db
      .select({ attempts: outbox.attempts, createdAtMs: outbox.createdAtMs })
      .from(outbox)
      .where(isHeld())
      .prepare(),
    markSent: db
      .update(outbox)
      .set({
        status: 'sent',
        sentAtMs: param('nowMs'),
        lastError: null,
        payloadCiphertext: null,
        keyId: null,
        leaseOwner: null,
        leaseUntilMs: null,
      })
      .where(isHeld())
      .prepare(),
    markFailed: db.update(outbox).set(settledFailed()).where(isHeld()).prepare(),
    scheduleRetry: db
      .update(outbox)
      .set({
        nextAttemptAtMs: param('nextAttemptAtMs'),
        lastError: param('lastError'),
        leaseOwner: null,
        leaseUntilMs: null,
      })
      .where(isHeld())
      .prepare(),
    // SQLite builds lack DELETE … LIMIT by default: pick the batch's ids in a subquery.
    deleteSettled: db
      .delete(outbox)
      .where(
        inArray(
          outbox.id,
          db
            .select({ id: outbox.id })
            .from(outbox)
            .where(
              and(
                inArray(outbox.status, ['sent', 'failed', 'kept']),
                lt(outbox.createdAtMs, sql.placeholder('createdBefore')),
              ),
            )
            .limit(sql.placeholder('limit')),
        ),
      )
      .prepare(),
    // rowid breaks ties between mails queued at the same millisecond (one transaction).
    listNewest: db
      .select()
      .from(outbox)
      .orderBy(desc(outbox.createdAtMs), desc(sql`rowid`))
      .limit(sql.placeholder('limit'))
      .prepare(),
    // Served by outbox_due_idx (status first).
    pendingBacklog: db
      .select({
        pending: sql<number>`count(*)`,
        oldestCreatedAt: sql<number | null>`min(${outbox.createdAtMs})`,
      })
      .from(outbox)
      .where(eq(outbox.status, 'pending'))
      .prepare(),
  };
}

export class SqliteOutboxRepository implements OutboxRepository {
  private prepared: ReturnType<typeof prepare> | undefined;

  constructor(private readonly db: Db) {}

  private get q() {
    this.prepared ??= prepare(this.db);
    return this.prepared;
  }

  async insert(mail: NewOutboxMail): Promise<void> {
    this.q.insert.run({ ...mail });
  }

  async hasWorkDue(query: DueMailQuery): Promise<boolean> {
    return this.q.anyDue.get({ ...query }) !== undefined;
  }

  async giveUpExpired(query: DueMailQuery & { reason: string }): Promise<{ id: string; kind: string }[]> {
    return this.q.giveUpExpired.all({ ...query, lastError: query.reason });
  }

  async claimDue(query: ClaimDueQuery): Promise<OutboxRow[]> {
    const rows = this.q.claimDue.all({ ...query });
    // RETURNING gives no order: restore the subquery's, oldest due first.
    return rows.sort((a, b) => a.nextAttemptAtMs - b.nextAttemptAtMs || a.createdAtMs - b.createdAtMs);
  }

  async findHeld(held: HeldMail): Promise<{ attempts: number; createdAtMs: number } | undefined> {
    return this.q.findHeld.get({ ...held });
  }

  async markSent(held: HeldMail & { nowMs: number }): Promise<boolean> {
    return this.q.markSent.run({ ...held }).changes === 1;
  }

  async markFailed(held: HeldMail & { nowMs: number; lastError: string }): Promise<boolean> {
    return this.q.markFailed.run({ ...held }).changes === 1;
  }

  async scheduleRetry(held: HeldMail & { nextAttemptAtMs: number; lastError: string }): Promise<boolean> {
    return this.q.scheduleRetry.run({ ...held }).changes === 1;
  }

  async deleteSettled(query: { createdBefore: number; limit: number }): Promise<number> {
    return this.q.deleteSettled.run(query).changes;
  }

  async listNewest(limit: number): Promise<OutboxRow[]> {
    return this.q.listNewest.all({ limit });
  }

  async pendingBacklog(): Promise<OutboxBacklog> {
    return this.q.pendingBacklog.get() ?? { pending: 0, oldestCreatedAt: null };
  }
}
