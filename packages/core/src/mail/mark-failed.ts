import { and, eq } from 'drizzle-orm';
import type { Core } from '../context.js';
import { outbox } from '../db/schema/index.js';
import { writeTransaction } from '../db/transaction.js';
import { MAIL_DELIVERY_WINDOW_MS, retryDelayMs } from './delivery-policy.js';

export type MarkMailFailedResult =
  | { outcome: 'retry'; nextAttemptAt: number; attempts: number }
  | { outcome: 'gave-up'; attempts: number }
  | { outcome: 'lease-lost' };

const MAX_ERROR_CHARS = 300;

/**
 * Records a failed attempt and releases the lease: the row is retried after an
 * exponential, jittered delay, or given up (body wiped, reason kept) when the next
 * attempt would fall outside the delivery window.
 */
export function markMailFailed(core: Core, id: string, owner: string, reason: string): MarkMailFailedResult {
  const now = core.clock.now();
  return writeTransaction(core.db, (tx) => {
    const row = tx
      .select({ attempts: outbox.attempts, createdAt: outbox.createdAt })
      .from(outbox)
      .where(and(eq(outbox.id, id), eq(outbox.leaseOwner, owner), eq(outbox.status, 'pending')))
      .get();
    if (!row) return { outcome: 'lease-lost' };
    const lastError = reason.slice(0, MAX_ERROR_CHARS);
    const nextAttemptAt = now + retryDelayMs(row.attempts, core.random);
    if (nextAttemptAt >= row.createdAt + MAIL_DELIVERY_WINDOW_MS) {
      tx.update(outbox)
        .set({
          status: 'failed',
          failedAt: now,
          lastError,
          payloadCiphertext: null,
          keyId: null,
          leaseOwner: null,
          leaseUntil: null,
        })
        .where(eq(outbox.id, id))
        .run();
      return { outcome: 'gave-up', attempts: row.attempts };
    }
    tx.update(outbox)
      .set({ nextAttemptAt, lastError, leaseOwner: null, leaseUntil: null })
      .where(eq(outbox.id, id))
      .run();
    return { outcome: 'retry', nextAttemptAt, attempts: row.attempts };
  });
}
