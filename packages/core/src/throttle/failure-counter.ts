import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { preparedPerDb } from '../db/prepared.js';
import { failureCounters } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';
import { DomainError, type LockoutDetails } from '../errors.js';

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

function lockoutOf(lockedUntil: number, nowSec: number): LockoutDetails {
  return { lockedUntil, retryAfter: Math.max(1, lockedUntil - nowSec) };
}

const queries = preparedPerDb((db) => {
  const isCounter = and(
    eq(failureCounters.scope, sql.placeholder('scope')),
    eq(failureCounters.subject, sql.placeholder('subject')),
  );
  return {
    lockedUntil: db
      .select({ lockedUntil: failureCounters.lockedUntil })
      .from(failureCounters)
      .where(isCounter)
      .prepare(),
    reset: db.delete(failureCounters).where(isCounter).prepare(),
  };
});

/**
 * Throws TOO_MANY_ATTEMPTS while `subject` is locked under `policy`. Runs on `db`'s
 * connection: inside a write transaction there, it is that transaction's read.
 */
export function assertNotLocked(db: Db, policy: ThrottlePolicy, subject: string, nowSec: number): void {
  assertLockPassed(queries(db).lockedUntil.get({ scope: policy.scope, subject })?.lockedUntil, nowSec);
}

/** Whether `subject` is locked under `policy` now, for callers that answer a lock otherwise than 429. */
export function isLocked(db: Db, policy: ThrottlePolicy, subject: string, nowSec: number): boolean {
  return (queries(db).lockedUntil.get({ scope: policy.scope, subject })?.lockedUntil ?? 0) > nowSec;
}

/** Throws TOO_MANY_ATTEMPTS while a counter's `lockedUntil` (undefined: no counter) is ahead. */
export function assertLockPassed(lockedUntil: number | null | undefined, nowSec: number): void {
  if (lockedUntil != null && lockedUntil > nowSec) throw tooManyAttempts(lockoutOf(lockedUntil, nowSec));
}

/** The lock running on `subject` under `policy`, if any. Runs on `db`'s connection, like `assertNotLocked`. */
export function currentLockout(
  db: Db,
  policy: ThrottlePolicy,
  subject: string,
  nowSec: number,
): LockoutDetails | undefined {
  const lockedUntil = queries(db).lockedUntil.get({ scope: policy.scope, subject })?.lockedUntil;
  return lockedUntil != null && lockedUntil > nowSec ? lockoutOf(lockedUntil, nowSec) : undefined;
}

export function tooManyAttempts(lockout: LockoutDetails): DomainError {
  return new DomainError('TOO_MANY_ATTEMPTS', 'too many failed attempts; try again later', { lockout });
}

/**
 * Counts one failure. When the streak reaches the limit (and for every failure after
 * it, until a success) the subject is locked, each lock twice as long as the last.
 * Returns the lock it started, if any.
 */
export function recordFailure(
  tx: Tx,
  policy: ThrottlePolicy,
  subject: string,
  nowSec: number,
): LockoutDetails | undefined {
  // SET expressions all read the row as it was, so the condition holds for both columns.
  const isStale =
    policy.quietResetSeconds === undefined
      ? sql`0`
      : sql`(${failureCounters.updatedAt} <= ${nowSec - policy.quietResetSeconds} AND ${failureCounters.lockedUntil} <= ${nowSec})`;
  const row = tx
    .insert(failureCounters)
    .values({ scope: policy.scope, subject, failures: 1, updatedAt: nowSec })
    .onConflictDoUpdate({
      target: [failureCounters.scope, failureCounters.subject],
      set: {
        failures: sql`CASE WHEN ${isStale} THEN 1 ELSE ${failureCounters.failures} + 1 END`,
        lockCount: sql`CASE WHEN ${isStale} THEN 0 ELSE ${failureCounters.lockCount} END`,
        updatedAt: nowSec,
      },
    })
    .returning()
    .get();
  if (row.failures < policy.maxFailures) return undefined;
  const lockSeconds = Math.min(policy.baseLockSeconds * 2 ** row.lockCount, policy.maxLockSeconds);
  const lockedUntil = nowSec + lockSeconds;
  tx.update(failureCounters)
    .set({ lockedUntil, lockCount: row.lockCount + 1 })
    .where(and(eq(failureCounters.scope, policy.scope), eq(failureCounters.subject, subject)))
    .run();
  return lockoutOf(lockedUntil, nowSec);
}

/** A success ends the streak. Run inside a write transaction on `db`. */
export function resetFailures(db: Db, policy: ThrottlePolicy, subject: string): void {
  queries(db).reset.run({ scope: policy.scope, subject });
}
