import type { Core, RequestMeta } from '../context.js';
import { EMAIL_VERIFICATION_POLICY } from '../email-verification/policy.js';
import { recordSecurityEvent } from '../events/record.js';
import type { Tx } from '../store/store.js';
import { PASSWORD_POLICY, SECOND_FACTOR_POLICY } from '../throttle/failure-counter.js';

/**
 * Removes an account inside the caller's transaction, which holds the user's row lock
 * (docs/contract.md § Leaving). Its security events stay, without user id or client address,
 * closed by `event`; the failure counters keyed by its id go; deleting the row takes every
 * other row of the account with it (factors, recovery codes, sessions, tokens, reset and
 * verification requests, identifiers, known login addresses, its mail in the outbox) by the
 * schema's ON DELETE CASCADE.
 */
export async function eraseAccount(
  core: Core,
  tx: Tx,
  userId: string,
  event: 'account_deleted' | 'account_released',
  meta: RequestMeta | undefined,
): Promise<void> {
  await recordSecurityEvent(core, tx, userId, event, meta);
  await tx.events.anonymiseOfUser(userId);
  await tx.failureCounters.resetAllWithPrefix({ scope: PASSWORD_POLICY.scope, subjectPrefix: `${userId}|` });
  for (const scope of [SECOND_FACTOR_POLICY.scope, EMAIL_VERIFICATION_POLICY.scope])
    await tx.failureCounters.reset({ scope, subject: userId });
  await tx.users.delete(userId);
}
