/** One counter: a throttle policy's scope and the subject it counts (a user id, an address, a hash). */
export interface FailureCounterKey {
  scope: string;
  subject: string;
}

export interface FailureToCount extends FailureCounterKey {
  /** Epoch seconds. */
  nowSec: number;
  /**
   * When set, a streak whose last failure is at or before this (epoch seconds) and whose lock
   * has ended starts over with this failure; the caller derives it from its policy.
   */
  quietSince?: number;
}

/** The streak after a counted failure. */
export interface FailureStreak {
  failures: number;
  /** Locks this streak has caused so far. */
  lockCount: number;
  /**
   * The counter's lock when this failure was counted (epoch seconds, 0 when it never locked):
   * a parallel count of the same counter is either committed before this one or waits for it.
   */
  lockedUntilSeconds: number;
}

export interface CounterLock extends FailureCounterKey {
  /** Epoch seconds. */
  lockedUntilSeconds: number;
  lockCount: number;
}

/**
 * Consecutive-failure counters with their lock (throttle/failure-counter.ts decides limits and
 * lock lengths; the counter only stores them).
 */
export interface FailureCounterRepository {
  /** The counter's `lockedUntilSeconds` in epoch seconds (0 when it never locked); undefined when there is no counter. */
  findLockedUntil(key: FailureCounterKey): Promise<number | undefined>;
  /** Counts one failure in SQL (creating the counter), restarting a quiet streak; returns the streak after it. */
  recordFailure(failure: FailureToCount): Promise<FailureStreak>;
  /** Sets the lock a streak has reached. */
  lock(lock: CounterLock): Promise<void>;
  /** Ends the streak: removes the counter. */
  reset(key: FailureCounterKey): Promise<void>;
  /** Deletes every counter of `scope` whose subject starts with `subjectPrefix`; returns how many. */
  resetAllWithPrefix(query: { scope: string; subjectPrefix: string }): Promise<number>;
}
