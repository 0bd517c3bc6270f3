import { DomainError, type LockoutDetails } from '../errors.js';
import type { FailureStreak } from '../store/repositories/failure-counters.js';
import type { Repositories, Tx } from '../store/store.js';

export interface ThrottlePolicy {
  scope: string;
  /** Consecutive failures that lock. */
  maxFailures: number;
  /** First lock length; doubles with each further lock of the same streak. */
  baseLockSeconds: number;
  maxLockSeconds: number;
  /**
   * When set, a streak that has been quiet this long (no failure, no lock running) starts
   * over at the next failure. For counters a success never resets.
   */
  quietResetSeconds?: number;
}

/** docs/contract.md: 5 failed passwords per account and source; lock 1 min doubling to 1 h. */
export const PASSWORD_POLICY: ThrottlePolicy = {
  scope: 'password',
  maxFailures: 5,
  baseLockSeconds: 60,
  maxLockSeconds: 3600,
};

/**
 * Failed logins from one client address across all accounts (and unknown identifiers),
 * against password spraying: one guess at many accounts. A success does not reset it (an
 * attacker holding one account could otherwise clear it at will); 15 quiet minutes do.
 * 30 leaves room for a shared NAT's typos; past it, each further failure locks the
 * address out of the password step for 1 min, doubling to 1 h.
 */
export const LOGIN_ADDRESS_POLICY: ThrottlePolicy = {
  scope: 'login-address',
  maxFailures: 30,
  baseLockSeconds: 60,
  maxLockSeconds: 3600,
  quietResetSeconds: 15 * 60,
};

/**
 * docs/contract.md § MFA endpoints: 10 failed second factors per user, together on the endpoints
 * behind the password or a session (auth with an MFA token, enable, disable). The anonymous
 * ones (recover, reset) count elsewhere, with the same limits: throttle/anonymous-second-factor.ts.
 */
export const SECOND_FACTOR_POLICY: ThrottlePolicy = {
  scope: 'second-factor',
  maxFailures: 10,
  baseLockSeconds: 60,
  maxLockSeconds: 3600,
};

/**
 * Answers that tell whether an email or username is taken (the 409s of registration and of a
 * recovery-email change), per client address: 20 within 15 minutes leaves room for a family
 * behind one NAT picking a name; past it the address is refused (429) for 15 min, doubling to
 * 1 h, on every registration and recovery-email change. docs/contract.md § Accounts.
 */
export const IDENTIFIER_PROBE_POLICY: ThrottlePolicy = {
  scope: 'identifier-probe',
  maxFailures: 20,
  baseLockSeconds: 15 * 60,
  maxLockSeconds: 3600,
  quietResetSeconds: 15 * 60,
};

function lockoutOf(lockedUntilSeconds: number, nowSec: number): LockoutDetails {
  return { lockedUntilSeconds, retryAfterSeconds: Math.max(1, lockedUntilSeconds - nowSec) };
}

/**
 * Throws TOO_MANY_ATTEMPTS while `subject` is locked under `policy`. Inside a transaction
 * (`repos` is its `tx`) it is that transaction's read.
 */
export async function assertNotLocked(
  repos: Repositories,
  policy: ThrottlePolicy,
  subject: string,
  nowSec: number,
): Promise<void> {
  assertLockPassed(await repos.failureCounters.findLockedUntil({ scope: policy.scope, subject }), nowSec);
}

/** Whether `subject` is locked under `policy` now, for callers that answer a lock otherwise than 429. */
export async function isLocked(
  repos: Repositories,
  policy: ThrottlePolicy,
  subject: string,
  nowSec: number,
): Promise<boolean> {
  return ((await repos.failureCounters.findLockedUntil({ scope: policy.scope, subject })) ?? 0) > nowSec;
}

/** Throws TOO_MANY_ATTEMPTS while a counter's `lockedUntilSeconds` (undefined: no counter) is ahead. */
export function assertLockPassed(lockedUntilSeconds: number | null | undefined, nowSec: number): void {
  if (lockedUntilSeconds != null && lockedUntilSeconds > nowSec)
    throw tooManyAttempts(lockoutOf(lockedUntilSeconds, nowSec));
}

/** The lock running on `subject` under `policy`, if any. Reads like `assertNotLocked`. */
export async function currentLockout(
  repos: Repositories,
  policy: ThrottlePolicy,
  subject: string,
  nowSec: number,
): Promise<LockoutDetails | undefined> {
  const lockedUntilSeconds = await repos.failureCounters.findLockedUntil({ scope: policy.scope, subject });
  return lockedUntilSeconds != null && lockedUntilSeconds > nowSec
    ? lockoutOf(lockedUntilSeconds, nowSec)
    : undefined;
}

export function tooManyAttempts(lockout: LockoutDetails): DomainError {
  return new DomainError('TOO_MANY_ATTEMPTS', undefined, { lockout });
}

/**
 * Counts one failure. When the streak reaches the limit (and for every failure after
 * it, until a success) the subject is locked, each lock twice as long as the last.
 * Returns the lock it started, if any.
 */
export async function recordFailure(
  tx: Tx,
  policy: ThrottlePolicy,
  subject: string,
  nowSec: number,
): Promise<LockoutDetails | undefined> {
  return lockIfReached(tx, policy, subject, nowSec, await countFailure(tx, policy, subject, nowSec));
}

/**
 * Like `recordFailure`, but a failure counted while the subject is locked throws
 * TOO_MANY_ATTEMPTS instead, and the caller's transaction rolls the count back. The count
 * itself tells, not a read before it: a failure that raced the one that locked is counted after
 * it, so it answers 429 like the right proof would, and the lock is not doubled.
 */
export async function recordFailureUnlessLocked(
  tx: Tx,
  policy: ThrottlePolicy,
  subject: string,
  nowSec: number,
): Promise<LockoutDetails | undefined> {
  const streak = await countFailure(tx, policy, subject, nowSec);
  assertLockPassed(streak.lockedUntilSeconds, nowSec);
  return lockIfReached(tx, policy, subject, nowSec, streak);
}

function countFailure(
  tx: Tx,
  policy: ThrottlePolicy,
  subject: string,
  nowSec: number,
): Promise<FailureStreak> {
  return tx.failureCounters.recordFailure({
    scope: policy.scope,
    subject,
    nowSec,
    quietSince: policy.quietResetSeconds === undefined ? undefined : nowSec - policy.quietResetSeconds,
  });
}

async function lockIfReached(
  tx: Tx,
  policy: ThrottlePolicy,
  subject: string,
  nowSec: number,
  streak: FailureStreak,
): Promise<LockoutDetails | undefined> {
  if (streak.failures < policy.maxFailures) return undefined;
  const lockSeconds = Math.min(policy.baseLockSeconds * 2 ** streak.lockCount, policy.maxLockSeconds);
  const lockedUntilSeconds = nowSec + lockSeconds;
  await tx.failureCounters.lock({
    scope: policy.scope,
    subject,
    lockedUntilSeconds,
    lockCount: streak.lockCount + 1,
  });
  return lockoutOf(lockedUntilSeconds, nowSec);
}

/** A success ends the streak. */
export async function resetFailures(tx: Tx, policy: ThrottlePolicy, subject: string): Promise<void> {
  await tx.failureCounters.reset({ scope: policy.scope, subject });
}
