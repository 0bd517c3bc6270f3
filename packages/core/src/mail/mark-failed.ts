import type { Core } from '../context.js';
import {
  classifyMailFailure,
  MAIL_DELIVERY_WINDOW_MS,
  type MailSendFailure,
  retryDelayMs,
} from './delivery-policy.js';

export type MarkMailFailedResult =
  | { outcome: 'retry'; nextAttemptAtMs: number; attempts: number }
  /** The delivery window ran out. */
  | { outcome: 'gave-up'; attempts: number }
  /** The server refused the message for good (5yz): no retry. */
  | { outcome: 'rejected'; attempts: number }
  | { outcome: 'lease-lost' };

const MAX_ERROR_CHARS = 300;

/**
 * Records a failed attempt and releases the lease. A permanent rejection settles the row at
 * once; a transient failure is retried after an exponential, jittered delay, or given up
 * when the next attempt would fall outside the delivery window. A settled row keeps its
 * reason and loses its body (it will never be sent).
 */
export async function markMailFailed(
  core: Core,
  id: string,
  owner: string,
  failure: MailSendFailure,
): Promise<MarkMailFailedResult> {
  const now = core.clock.now();
  return core.store.transaction(async (tx): Promise<MarkMailFailedResult> => {
    const row = await tx.outbox.findHeld({ id, owner });
    if (!row) return { outcome: 'lease-lost' };
    const lastError = failure.reason.slice(0, MAX_ERROR_CHARS);
    const isPermanent = classifyMailFailure(failure) === 'permanent';
    const nextAttemptAtMs = now + retryDelayMs(row.attempts, core.random);
    if (isPermanent || nextAttemptAtMs >= row.createdAtMs + MAIL_DELIVERY_WINDOW_MS) {
      await tx.outbox.markFailed({ id, owner, nowMs: now, lastError });
      return { outcome: isPermanent ? 'rejected' : 'gave-up', attempts: row.attempts };
    }
    await tx.outbox.scheduleRetry({ id, owner, nextAttemptAtMs, lastError });
    return { outcome: 'retry', nextAttemptAtMs, attempts: row.attempts };
  });
}
