import { and, eq } from 'drizzle-orm';
import type { Core } from '../context.js';
import { outbox } from '../db/schema/index.js';
import { writeTransaction } from '../db/transaction.js';

/**
 * Records a delivery and wipes the sealed body (it may hold a reset code); the metadata
 * stays. Returns false when `owner` no longer holds the row.
 */
export function markMailSent(core: Core, id: string, owner: string): boolean {
  const now = core.clock.now();
  return writeTransaction(core.db, (tx) => {
    const result = tx
      .update(outbox)
      .set({
        status: 'sent',
        sentAt: now,
        lastError: null,
        payloadCiphertext: null,
        keyId: null,
        leaseOwner: null,
        leaseUntil: null,
      })
      .where(and(eq(outbox.id, id), eq(outbox.leaseOwner, owner), eq(outbox.status, 'pending')))
      .run();
    return result.changes === 1;
  });
}
