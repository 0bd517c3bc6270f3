import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Core } from '../context.js';
import { outbox } from '../db/schema/index.js';
import { writeTransaction } from '../db/transaction.js';
import { MAIL_DELIVERY_WINDOW_MS, MAIL_LEASE_MS } from './delivery-policy.js';
import type { MailKind } from './messages.js';
import { tryOpenMailPayload } from './open-payload.js';

/** A row leased to one worker, with its body opened, ready to hand to SMTP. */
export interface ClaimedMail {
  id: string;
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Attempts including this one. */
  attempts: number;
  /** Epoch ms until which no other worker may take the row. */
  leaseUntil: number;
}

export interface ClaimDueMailOptions {
  /** Unique per worker (process). */
  owner: string;
  limit?: number;
}

export interface ClaimDueMailResult {
  claimed: ClaimedMail[];
  /**
   * Rows given up without an attempt: aged out of the delivery window, or sealed with a
   * key no longer configured.
   */
  givenUp: { id: string; kind: MailKind; reason: string }[];
}

const EXPIRED_REASON = 'not delivered within the delivery window';
const UNREADABLE_REASON = 'body cannot be opened with the configured encryption keys';

const isLeaseFree = (now: number) => or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now));

function hasWorkDue(core: Core, now: number): boolean {
  const row = core.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.status, 'pending'),
        or(lte(outbox.nextAttemptAt, now), lte(outbox.createdAt, now - MAIL_DELIVERY_WINDOW_MS)),
        isLeaseFree(now),
      ),
    )
    .limit(1)
    .get();
  return row !== undefined;
}

/**
 * Leases due rows to `owner`. Each row is taken by a conditional UPDATE (pending and lease
 * free) whose affected-row count decides the winner, so two workers on one database never
 * both hold a row. Rows older than the delivery window are given up instead (mail queued
 * while no SMTP server was configured is not sent days later).
 */
export function claimDueMail(core: Core, options: ClaimDueMailOptions): ClaimDueMailResult {
  const now = core.clock.now();
  const limit = options.limit ?? 1;
  const giveUp = (reason: string) => ({
    status: 'failed' as const,
    failedAt: now,
    lastError: reason,
    payloadCiphertext: null,
    keyId: null,
    leaseOwner: null,
    leaseUntil: null,
  });
  // Idle polls stay reads: the write lock is taken only when there is something to take.
  if (!hasWorkDue(core, now)) return { claimed: [], givenUp: [] };
  return writeTransaction(core.db, (tx) => {
    const givenUp = tx
      .update(outbox)
      .set(giveUp(EXPIRED_REASON))
      .where(
        and(
          eq(outbox.status, 'pending'),
          lte(outbox.createdAt, now - MAIL_DELIVERY_WINDOW_MS),
          isLeaseFree(now),
        ),
      )
      .returning({ id: outbox.id, kind: outbox.kind })
      .all()
      .map((row) => ({ id: row.id, kind: row.kind as MailKind, reason: EXPIRED_REASON }));

    const due = tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now), isLeaseFree(now)))
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.createdAt))
      .limit(limit)
      .all();

    const claimed: ClaimedMail[] = [];
    const leaseUntil = now + MAIL_LEASE_MS;
    for (const { id } of due) {
      const row = tx
        .update(outbox)
        .set({ leaseOwner: options.owner, leaseUntil, attempts: sql`${outbox.attempts} + 1` })
        .where(and(eq(outbox.id, id), eq(outbox.status, 'pending'), isLeaseFree(now)))
        .returning()
        .get();
      if (!row) continue;
      const body = tryOpenMailPayload(core, row);
      if (!body) {
        tx.update(outbox).set(giveUp(UNREADABLE_REASON)).where(eq(outbox.id, id)).run();
        givenUp.push({ id, kind: row.kind as MailKind, reason: UNREADABLE_REASON });
        continue;
      }
      claimed.push({
        id: row.id,
        kind: row.kind as MailKind,
        to: row.recipient,
        subject: body.subject,
        text: body.text,
        html: body.html,
        attempts: row.attempts,
        leaseUntil,
      });
    }
    return { claimed, givenUp };
  });
}
