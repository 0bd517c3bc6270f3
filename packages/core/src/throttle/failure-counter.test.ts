import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nowSeconds } from '../clock.js';
import type { Tx } from '../store/store.js';
import { createUser, openTestCore, outcomeOf, type StoreTestCore } from '../testing/index.js';
import { RESET_POLICY, recordAnonymousFailure } from './anonymous-second-factor.js';
import { assertNotLocked, SECOND_FACTOR_POLICY, type ThrottlePolicy } from './failure-counter.js';
import { recordSecondFactorFailure } from './second-factor.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

/**
 * Counts `policy.maxFailures - 1` failures, then the locking one in a transaction held open
 * while a second failure starts: on PostgreSQL the second really runs beside it (its reads see
 * only the committed streak), on SQLite it waits for the first to end.
 */
async function raceTheLockingFailure(
  policy: ThrottlePolicy,
  subject: string,
  fail: (tx: Tx) => Promise<void>,
): Promise<string> {
  for (let i = 0; i < policy.maxFailures - 1; i++) await t.core.store.transaction(fail);
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let counted = () => {};
  const lockingCounted = new Promise<void>((resolve) => {
    counted = resolve;
  });
  const locking = t.core.store.transaction(async (tx) => {
    await fail(tx);
    counted();
    await held;
  });
  await lockingCounted;
  const racing = outcomeOf(t.core.store.transaction(fail));
  // Time for the racing failure to read the streak and reach the counter's row.
  await sleep(200);
  release();
  await locking;
  const outcome = await racing;
  // Locked once: the first lock's length, not a doubled one.
  t.clock.advanceSeconds(policy.baseLockSeconds);
  await expect(assertNotLocked(t.core.store, policy, subject, nowSeconds(t.clock))).resolves.toBeUndefined();
  return outcome;
}

describe('a failure that raced the locking one', () => {
  it('answers 429 like the right proof would, and counts nothing (anonymous counters)', async () => {
    const subject = 'an identifier at an address';
    const outcome = await raceTheLockingFailure(RESET_POLICY, subject, (tx) =>
      recordAnonymousFailure(t.core, tx, RESET_POLICY, subject),
    );
    expect(outcome).toBe('TOO_MANY_ATTEMPTS');
  });

  it('answers 429 like the right proof would, and counts nothing (the per-user counter)', async () => {
    const { auth, input } = await createUser(t.core);
    const user = { id: auth.id, email: input.email, username: input.username };
    const outcome = await raceTheLockingFailure(SECOND_FACTOR_POLICY, auth.id, (tx) =>
      recordSecondFactorFailure(t.core, tx, user, 'second_factor_failed', undefined),
    );
    expect(outcome).toBe('TOO_MANY_ATTEMPTS');
  });
});
