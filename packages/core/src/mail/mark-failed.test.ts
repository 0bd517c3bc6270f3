import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../context.js';
import { cryptoRandom, type Random } from '../random.js';
import { enqueueTestMail, openTestCore, type StoreTestCore, testSql } from '../testing/index.js';
import { outboxRows } from '../testing/read-outbox.js';
import { claimDueMail } from './claim-due.js';
import {
  classifyMailFailure,
  MAIL_DELIVERY_WINDOW_MS,
  MAIL_RETRY_MAX_DELAY_MS,
  type MailSendFailure,
  retryDelayMs,
} from './delivery-policy.js';
import { markMailFailed } from './mark-failed.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
  await enqueueTestMail(t.core, { kind: 'mfa-enabled', to: 'alice@example.test', username: 'alice' });
});
afterEach(() => t.close());

const lowest: Random = { ...cryptoRandom, int: () => 0 };
const highest: Random = { ...cryptoRandom, int: (max) => max - 1 };
const withRandom = (random: Random): Core => ({ ...t.core, random });
const onlyRow = async () => (await outboxRows(t.core))[0];

const SERVICE_UNAVAILABLE: MailSendFailure = {
  reason: '421 4.3.2 service not available',
  responseCode: 421,
  command: 'RCPT TO',
};
const MAILBOX_UNAVAILABLE: MailSendFailure = {
  reason: 'EENVELOPE 550: 550 5.1.1 mailbox unavailable',
  responseCode: 550,
  command: 'RCPT TO',
};

/** One delivery attempt that fails; returns the outcome. */
async function failOnce(core: Core, failure: MailSendFailure = SERVICE_UNAVAILABLE) {
  const [mail] = (await claimDueMail(core, { owner: 'w' })).claimed;
  if (!mail) throw new Error('nothing due');
  return markMailFailed(core, mail.id, 'w', failure);
}

describe('retryDelayMs', () => {
  it('retries the first failure within 10 s, never sooner than 5 s', async () => {
    expect(retryDelayMs(1, lowest)).toBe(5_000);
    expect(retryDelayMs(1, highest)).toBe(10_000);
  });

  it('doubles with each failure up to one hour', async () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, highest))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(30, highest)).toBe(MAIL_RETRY_MAX_DELAY_MS);
    expect(retryDelayMs(30, lowest)).toBe(MAIL_RETRY_MAX_DELAY_MS / 2);
  });

  it('spreads retries of workers that failed together', async () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(6, cryptoRandom)));
    expect(delays.size).toBeGreaterThan(40);
  });
});

describe('classifyMailFailure', () => {
  it('treats a 5yz reply as permanent: the server refused this message for good', async () => {
    for (const responseCode of [500, 550, 551, 552, 553, 554]) {
      expect(classifyMailFailure({ responseCode, command: 'RCPT TO' })).toBe('permanent');
    }
    expect(classifyMailFailure({ responseCode: 554, command: 'DATA' })).toBe('permanent');
    expect(classifyMailFailure({ responseCode: 550 })).toBe('permanent');
  });

  it('treats a 4yz reply as transient', async () => {
    for (const responseCode of [421, 450, 451, 452, 454]) {
      expect(classifyMailFailure({ responseCode, command: 'RCPT TO' })).toBe('transient');
    }
  });

  it('treats a failure without an SMTP reply (refused, timed out, TLS) as transient', async () => {
    expect(classifyMailFailure({})).toBe('transient');
    expect(classifyMailFailure({ command: 'CONN' })).toBe('transient');
  });

  it('treats an unknown or malformed code as transient', async () => {
    for (const responseCode of [0, 250, 354, 600, 999, 550.5, Number.NaN]) {
      expect(classifyMailFailure({ responseCode })).toBe('transient');
    }
  });

  it('keeps retrying 5yz replies that are not about the message: 503 and a refused AUTH', async () => {
    expect(classifyMailFailure({ responseCode: 503, command: 'RCPT TO' })).toBe('transient');
    expect(classifyMailFailure({ responseCode: 535, command: 'AUTH PLAIN' })).toBe('transient');
    expect(classifyMailFailure({ responseCode: 530, command: 'AUTH LOGIN' })).toBe('transient');
  });
});

describe('markMailFailed', () => {
  it('schedules a retry within 10 s, keeps the body and records a short reason', async () => {
    const result = await failOnce(withRandom(highest));
    expect(result).toEqual({ outcome: 'retry', attempts: 1, nextAttemptAtMs: t.clock.now() + 10_000 });
    expect(await onlyRow()).toMatchObject({
      status: 'pending',
      leaseOwner: null,
      leaseUntilMs: null,
      lastError: '421 4.3.2 service not available',
      nextAttemptAtMs: t.clock.now() + 10_000,
    });
    expect((await onlyRow())?.payloadCiphertext).not.toBeNull();
  });

  it('keeps retrying for 24 h, then gives up, wipes the body and records the failure', async () => {
    const core = withRandom(highest);
    const created = t.clock.now();
    let attempts = 0;
    for (;;) {
      const result = await failOnce(core);
      attempts += 1;
      if (result.outcome === 'gave-up') break;
      if (result.outcome !== 'retry') throw new Error(result.outcome);
      expect(result.nextAttemptAtMs).toBeLessThan(created + MAIL_DELIVERY_WINDOW_MS);
      t.clock.set(result.nextAttemptAtMs);
    }
    // 10 s, 20 s, … doubling to the 1 h cap, then hourly: a bounded number of attempts.
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(40);
    expect(t.clock.now()).toBeGreaterThan(created + MAIL_DELIVERY_WINDOW_MS - MAIL_RETRY_MAX_DELAY_MS);
    expect(await onlyRow()).toMatchObject({
      status: 'failed',
      attempts,
      failedAtMs: t.clock.now(),
      payloadCiphertext: null,
      keyId: null,
      lastError: '421 4.3.2 service not available',
    });
    expect((await claimDueMail(core, { owner: 'w' })).claimed).toHaveLength(0);
  });

  it('fails a permanent rejection after one attempt, wipes the body and never retries it', async () => {
    const result = await failOnce(t.core, MAILBOX_UNAVAILABLE);
    expect(result).toEqual({ outcome: 'rejected', attempts: 1 });
    expect(await onlyRow()).toMatchObject({
      status: 'failed',
      attempts: 1,
      failedAtMs: t.clock.now(),
      lastError: MAILBOX_UNAVAILABLE.reason,
      payloadCiphertext: null,
      keyId: null,
      leaseOwner: null,
      leaseUntilMs: null,
    });
    t.clock.advanceSeconds(MAIL_RETRY_MAX_DELAY_MS / 1000);
    expect(await claimDueMail(t.core, { owner: 'w' })).toEqual({ claimed: [], givenUp: [] });
    expect((await onlyRow())?.attempts).toBe(1);
  });

  it('rejects on a later attempt too, once transient failures turn permanent', async () => {
    const first = await failOnce(t.core);
    if (first.outcome !== 'retry') throw new Error(first.outcome);
    t.clock.set(first.nextAttemptAtMs);
    expect(await failOnce(t.core, MAILBOX_UNAVAILABLE)).toEqual({ outcome: 'rejected', attempts: 2 });
    expect(await onlyRow()).toMatchObject({ status: 'failed', attempts: 2, payloadCiphertext: null });
  });

  it('keeps the backoff for failures without a reply', async () => {
    const result = await failOnce(withRandom(highest), {
      reason: 'ESOCKET: connect ECONNREFUSED 127.0.0.1:25',
    });
    expect(result).toEqual({ outcome: 'retry', attempts: 1, nextAttemptAtMs: t.clock.now() + 10_000 });
    expect((await onlyRow())?.payloadCiphertext).not.toBeNull();
  });

  it('truncates a long reason', async () => {
    await failOnce(t.core, { reason: 'x'.repeat(5_000) });
    expect((await onlyRow())?.lastError?.length).toBeLessThanOrEqual(300);
  });

  it('changes nothing for a worker that does not hold the row', async () => {
    const [mail] = (await claimDueMail(t.core, { owner: 'w' })).claimed;
    expect(await markMailFailed(t.core, mail?.id ?? '', 'other', MAILBOX_UNAVAILABLE)).toEqual({
      outcome: 'lease-lost',
    });
    expect(await onlyRow()).toMatchObject({ leaseOwner: 'w', lastError: null });
  });

  it('does not touch a row that was already sent', async () => {
    const [mail] = (await claimDueMail(t.core, { owner: 'w' })).claimed;
    const id = mail?.id ?? '';
    await testSql(t.core).run("UPDATE outbox SET status = 'sent' WHERE id = ?", id);
    expect((await markMailFailed(t.core, id, 'w', MAILBOX_UNAVAILABLE)).outcome).toBe('lease-lost');
    expect((await onlyRow())?.status).toBe('sent');
  });
});
