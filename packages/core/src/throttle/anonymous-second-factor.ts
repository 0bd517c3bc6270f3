import { nowSeconds } from '../clock.js';
import type { Core } from '../context.js';
import { hashToken } from '../crypto/token-hash.js';
import type { Repositories, Tx } from '../store/store.js';
import { addressThrottleSubject } from './address-subject.js';
import {
  assertNotLocked,
  recordFailureUnlessLocked,
  resetFailures,
  SECOND_FACTOR_POLICY,
  type ThrottlePolicy,
} from './failure-counter.js';

/**
 * docs/contract.md § MFA endpoints: anonymous second-factor attempts (recover, reset) count per
 * identifier as sent and client address, with the per-user limits, and never touch the per-user
 * counter, so nobody can lock an owner out by naming them. Recovery codes (80 bits) and email
 * codes (a request dies after 5 wrong tries per address) need no tighter cap.
 */
const { maxFailures, baseLockSeconds, maxLockSeconds } = SECOND_FACTOR_POLICY;
export const RECOVER_POLICY: ThrottlePolicy = {
  scope: 'recover',
  maxFailures,
  baseLockSeconds,
  maxLockSeconds,
};
export const RESET_POLICY: ThrottlePolicy = { scope: 'reset', maxFailures, baseLockSeconds, maxLockSeconds };
/** Forgotten-password completions (docs/contract.md § Forgotten password), counted the same way. */
export const PASSWORD_RESET_POLICY: ThrottlePolicy = {
  scope: 'password-reset',
  maxFailures,
  baseLockSeconds,
  maxLockSeconds,
};

/**
 * The counter of one identifier as sent (username, email, reset token or user id; compared
 * case-insensitively) from one client address (an IPv6 /64 counts as one). Never the account:
 * a lock on the username must not tell that the email names the same account, and unknown
 * identifiers are counted exactly like known ones. Keyed hash: a reset token is a secret.
 */
export function anonymousSubject(core: Core, identifier: string, clientAddress: string): string {
  return hashToken(core.keyring, `${identifier.toLowerCase()}|${addressThrottleSubject(clientAddress)}`);
}

/** 429 while the subject is locked; with a transaction's `tx` it is that transaction's read. */
export async function assertAnonymousNotLocked(
  core: Core,
  repos: Repositories,
  policy: ThrottlePolicy,
  subject: string,
): Promise<void> {
  await assertNotLocked(repos, policy, subject, nowSeconds(core.clock));
}

/**
 * Counts one failure. Parallel guesses may have locked the subject while this one was being
 * checked: then it answers 429 like a right proof would, or the one 429 among 401s would
 * point at the right code.
 */
export async function recordAnonymousFailure(
  core: Core,
  tx: Tx,
  policy: ThrottlePolicy,
  subject: string,
): Promise<void> {
  await recordFailureUnlessLocked(tx, policy, subject, nowSeconds(core.clock));
}

/** A success ends the streak of this identifier and address only. */
export async function resetAnonymousFailures(
  _core: Core,
  tx: Tx,
  policy: ThrottlePolicy,
  subject: string,
): Promise<void> {
  await resetFailures(tx, policy, subject);
}
