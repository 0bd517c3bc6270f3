import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../context.js';
import { outbox } from '../db/schema/index.js';
import { cryptoRandom, type Random } from '../random.js';
import { createTestCore, enqueueTestMail, type TestCore } from '../testing/index.js';
import { claimDueMail } from './claim-due.js';
import { MAIL_DELIVERY_WINDOW_MS, MAIL_RETRY_MAX_DELAY_MS, retryDelayMs } from './delivery-policy.js';
import { markMailFailed } from './mark-failed.js';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
  enqueueTestMail(t.core, { kind: 'mfa-enabled', to: 'alice@example.test', username: 'alice' });
});
afterEach(() => t.close());

const lowest: Random = { ...cryptoRandom, int: () => 0 };
const highest: Random = { ...cryptoRandom, int: (max) => max - 1 };
const withRandom = (random: Random): Core => ({ ...t.core, random });
const onlyRow = () => t.core.db.select().from(outbox).get();

/** One delivery attempt that fails; returns the outcome. */
function failOnce(core: Core, reason = '421 4.3.2 service not available') {
  const [mail] = claimDueMail(core, { owner: 'w' }).claimed;
  if (!mail) throw new Error('nothing due');
  return markMailFailed(core, mail.id, 'w', reason);
}

describe('retryDelayMs', () => {
  it('retries the first failure within 10 s, never sooner than 5 s', () => {
    expect(retryDelayMs(1, lowest)).toBe(5_000);
    expect(retryDelayMs(1, highest)).toBe(10_000);
  });

  it('doubles with each failure up to one hour', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, highest))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(30, highest)).toBe(MAIL_RETRY_MAX_DELAY_MS);
    expect(retryDelayMs(30, lowest)).toBe(MAIL_RETRY_MAX_DELAY_MS / 2);
  });

  it('spreads retries of workers that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(6, cryptoRandom)));
    expect(delays.size).toBeGreaterThan(40);
  });
});

describe('markMailFailed', () => {
  it('schedules a retry within 10 s, keeps the body and records a short reason', () => {
    const result = failOnce(withRandom(highest));
    expect(result).toEqual({ outcome: 'retry', attempts: 1, nextAttemptAt: t.clock.now() + 10_000 });
    expect(onlyRow()).toMatchObject({
      status: 'pending',
      leaseOwner: null,
      leaseUntil: null,
      lastError: '421 4.3.2 service not available',
      nextAttemptAt: t.clock.now() + 10_000,
    });
    expect(onlyRow()?.payloadCiphertext).not.toBeNull();
  });

  it('keeps retrying for 24 h, then gives up, wipes the body and records the failure', () => {
    const core = withRandom(highest);
    const created = t.clock.now();
    let attempts = 0;
    for (;;) {
      const result = failOnce(core);
      attempts += 1;
      if (result.outcome === 'gave-up') break;
      if (result.outcome !== 'retry') throw new Error(result.outcome);
      expect(result.nextAttemptAt).toBeLessThan(created + MAIL_DELIVERY_WINDOW_MS);
      t.clock.set(result.nextAttemptAt);
    }
    // 10 s, 20 s, … doubling to the 1 h cap, then hourly: a bounded number of attempts.
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(40);
    expect(t.clock.now()).toBeGreaterThan(created + MAIL_DELIVERY_WINDOW_MS - MAIL_RETRY_MAX_DELAY_MS);
    expect(onlyRow()).toMatchObject({
      status: 'failed',
      attempts,
      failedAt: t.clock.now(),
      payloadCiphertext: null,
      keyId: null,
      lastError: '421 4.3.2 service not available',
    });
    expect(claimDueMail(core, { owner: 'w' }).claimed).toHaveLength(0);
  });

  it('truncates a long reason', () => {
    failOnce(t.core, 'x'.repeat(5_000));
    expect(onlyRow()?.lastError?.length).toBeLessThanOrEqual(300);
  });

  it('changes nothing for a worker that does not hold the row', () => {
    const [mail] = claimDueMail(t.core, { owner: 'w' }).claimed;
    expect(markMailFailed(t.core, mail?.id ?? '', 'other', 'boom')).toEqual({ outcome: 'lease-lost' });
    expect(onlyRow()).toMatchObject({ leaseOwner: 'w', lastError: null });
  });

  it('does not touch a row that was already sent', () => {
    const [mail] = claimDueMail(t.core, { owner: 'w' }).claimed;
    const id = mail?.id ?? '';
    t.core.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.id, id)).run();
    expect(markMailFailed(t.core, id, 'w', 'late').outcome).toBe('lease-lost');
    expect(onlyRow()?.status).toBe('sent');
  });
});
