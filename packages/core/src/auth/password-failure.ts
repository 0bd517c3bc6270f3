import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import type { LockoutDetails } from '../errors.js';
import { recordSecurityEvent, type SecurityEventType } from '../events/record.js';
import { enqueueNotice } from '../notices/budget.js';
import type { Tx } from '../store/store.js';
import { addressThrottleSubject } from '../throttle/address-subject.js';
import { PASSWORD_POLICY, recordFailureUnlessLocked } from '../throttle/failure-counter.js';
import type { User } from '../users/find.js';

/**
 * The password counter's subject: an account (or an unknown identifier's key) at one client
 * address, an IPv6 /64 counting as one. Login and re-authentication share it, so guesses at
 * either spend one budget of 5 (docs/contract.md § Failed attempts and lockouts).
 */
export function passwordSubjectOf(accountKey: string, meta: RequestMeta): string {
  return `${accountKey}|${addressThrottleSubject(meta.clientAddress)}`;
}

/**
 * Counts one wrong password; for a known account it records `event` and, when this failure
 * starts a lock, the lock event and the owner's lockout mail. Returns the lock it started.
 * Counted while the subject is locked (a parallel guess locked it), it throws TOO_MANY_ATTEMPTS
 * and the caller's transaction rolls back: 429, as the right password would get.
 */
export async function recordPasswordFailure(
  core: Core,
  tx: Tx,
  subject: string,
  user: User | undefined,
  event: SecurityEventType,
  meta: RequestMeta,
): Promise<LockoutDetails | undefined> {
  const lock = await recordFailureUnlessLocked(tx, PASSWORD_POLICY, subject, nowSeconds(core.clock));
  if (!user) return lock;
  await recordSecurityEvent(core, tx, user.id, event, meta);
  if (lock) {
    await recordSecurityEvent(core, tx, user.id, 'login_locked', meta);
    // Anyone can set off a lock by guessing from many addresses: its notice is capped.
    await enqueueNotice(core, tx, user, 'lockout', {
      kind: 'account-locked',
      to: user.email,
      username: user.username,
      lockedUntilSeconds: lock.lockedUntilSeconds,
    });
  }
  return lock;
}
