import { nowSeconds } from '../clock.js';
import type { Core, RequestMeta } from '../context.js';
import { type DomainError, isDomainError } from '../errors.js';
import { addressThrottleSubject } from './address-subject.js';
import { assertNotLocked, IDENTIFIER_PROBE_POLICY, recordFailure } from './failure-counter.js';

/** The answers that say an email or username belongs to some account. */
const isTakenAnswer = (error: unknown): error is DomainError =>
  isDomainError(error) && (error.code === 'EMAIL_TAKEN' || error.code === 'USERNAME_TAKEN');

function assertNotProbing(core: Core, meta: RequestMeta): Promise<void> {
  return assertNotLocked(
    core.store,
    IDENTIFIER_PROBE_POLICY,
    addressThrottleSubject(meta.clientAddress),
    nowSeconds(core.clock),
  );
}

async function countProbe(core: Core, meta: RequestMeta): Promise<void> {
  await core.store.transaction(async (tx) => {
    await recordFailure(
      tx,
      IDENTIFIER_PROBE_POLICY,
      addressThrottleSubject(meta.clientAddress),
      nowSeconds(core.clock),
    );
  });
}

/**
 * Runs a registration or recovery-email change under the identifier-probe throttle
 * (docs/contract.md § Accounts): every 409 counts for the client address, and while the
 * address is locked every such request answers 429, a free address too, so the lock tells
 * nothing about which addresses are taken. `work` runs outside any transaction (it opens its own).
 */
export async function throttleIdentifierProbes<T>(
  core: Core,
  meta: RequestMeta,
  work: () => Promise<T>,
): Promise<T> {
  await assertNotProbing(core, meta);
  try {
    return await work();
  } catch (error) {
    if (isTakenAnswer(error)) await countProbe(core, meta);
    throw error;
  }
}
