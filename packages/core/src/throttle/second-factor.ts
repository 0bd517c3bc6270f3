import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { recordSecurityEvent, type SecurityEventType } from '../events/record.js';
import { enqueueMail } from '../mail/enqueue.js';
import type { Repositories, Tx } from '../store/store.js';
import type { User } from '../users/find.js';
import {
  assertNotLocked,
  recordFailureUnlessLocked,
  resetFailures,
  SECOND_FACTOR_POLICY,
} from './failure-counter.js';

/**
 * One counter per user for every second factor (TOTP, recovery codes, email codes) on the
 * endpoints behind the password or a session (auth with an MFA token, enable, disable), so
 * spreading guesses across them gains nothing. Anonymous endpoints never touch it, or anyone
 * knowing a username could lock its owner out (docs/contract.md § MFA endpoints). The password
 * step has its own counter: a second-factor lock never blocks issuing an MFA token.
 */
/**
 * Outside a transaction (`core.store`) this is a plain read (the deciding re-check runs inside
 * the write transaction); with a transaction's `tx` it reads in that transaction.
 */
export async function assertSecondFactorNotLocked(
  core: Core,
  repos: Repositories,
  userId: string,
): Promise<void> {
  await assertNotLocked(repos, SECOND_FACTOR_POLICY, userId, nowSeconds(core.clock));
}

/**
 * Counts one failed proof; the failure that reaches the limit starts a lock and tells the owner.
 * If parallel guesses locked the user while this one was being checked, it answers 429 like
 * the right proof would: otherwise the one 429 among 401s would point at the right code.
 */
export async function recordSecondFactorFailure(
  core: Core,
  tx: Tx,
  user: Pick<User, 'id' | 'email' | 'username'>,
  type: SecurityEventType,
  meta: RequestMeta | undefined,
): Promise<void> {
  const lock = await recordFailureUnlessLocked(tx, SECOND_FACTOR_POLICY, user.id, nowSeconds(core.clock));
  await recordSecurityEvent(core, tx, user.id, type, meta);
  if (lock) {
    await recordSecurityEvent(core, tx, user.id, 'second_factor_locked', meta);
    await enqueueMail(core, tx, user.id, {
      kind: 'second-factor-locked',
      to: user.email,
      username: user.username,
      lockedUntilSeconds: lock.lockedUntilSeconds,
    });
  }
}

/** A success ends the user's streak, in the transaction of that success. */
export async function resetSecondFactorFailures(_core: Core, tx: Tx, userId: string): Promise<void> {
  await resetFailures(tx, SECOND_FACTOR_POLICY, userId);
}
