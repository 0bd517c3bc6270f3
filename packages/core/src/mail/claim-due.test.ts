import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../context.js';
import { enqueueTestMail, openTestCore, type StoreTestCore } from '../testing/index.js';
import { outboxRows } from '../testing/read-outbox.js';
import { holdOutboxWriteLock } from '../testing/same-database.js';
import { claimDueMail } from './claim-due.js';
import { MAIL_DELIVERY_WINDOW_MS, MAIL_LEASE_MS } from './delivery-policy.js';
import { markMailFailed } from './mark-failed.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const lockedMail = (to = 'alice@example.test') =>
  ({ kind: 'account-locked', to, username: 'alice', lockedUntilSeconds: 1_800_000_000 }) as const;

const rowOf = async (id: string) => (await outboxRows(t.core, 'id = ?', id))[0];

describe('claimDueMail', () => {
  it('leases a due row to its owner with the body opened', async () => {
    await enqueueTestMail(t.core, lockedMail());
    const { claimed } = await claimDueMail(t.core, { owner: 'worker-a' });
    expect(claimed).toHaveLength(1);
    const [mail] = claimed;
    expect(mail).toMatchObject({ kind: 'account-locked', to: 'alice@example.test', attempts: 1 });
    expect(mail?.subject).toBe('Twofold: account locked');
    expect(mail?.text).toContain('alice');
    expect(mail?.html).toContain('</html>');
    expect(mail?.leaseUntilMs).toBe(t.clock.now() + MAIL_LEASE_MS);
    expect(await rowOf(mail?.id ?? '')).toMatchObject({
      leaseOwner: 'worker-a',
      status: 'pending',
      attempts: 1,
    });
  });

  it('takes at most `limit` rows, oldest due first', async () => {
    for (const to of ['a@example.test', 'b@example.test', 'c@example.test']) {
      await enqueueTestMail(t.core, lockedMail(to));
      t.clock.advanceSeconds(1);
    }
    expect((await claimDueMail(t.core, { owner: 'w', limit: 2 })).claimed.map((m) => m.to)).toEqual([
      'a@example.test',
      'b@example.test',
    ]);
    expect((await claimDueMail(t.core, { owner: 'w', limit: 2 })).claimed.map((m) => m.to)).toEqual([
      'c@example.test',
    ]);
  });

  it('does not hand a leased row to another worker until the lease has run out', async () => {
    await enqueueTestMail(t.core, lockedMail());
    expect((await claimDueMail(t.core, { owner: 'worker-a' })).claimed).toHaveLength(1);
    t.clock.advanceSeconds(MAIL_LEASE_MS / 1000 - 1);
    expect((await claimDueMail(t.core, { owner: 'worker-b' })).claimed).toHaveLength(0);
    // Worker A died mid-send: after its lease the row is retried, and the attempt counts.
    t.clock.advanceSeconds(1);
    const { claimed } = await claimDueMail(t.core, { owner: 'worker-b' });
    expect(claimed).toHaveLength(1);
    expect(claimed[0]?.attempts).toBe(2);
  });

  it('does not take a row before its next attempt is due', async () => {
    await enqueueTestMail(t.core, lockedMail());
    const [mail] = (await claimDueMail(t.core, { owner: 'w' })).claimed;
    const result = await markMailFailed(t.core, mail?.id ?? '', 'w', {
      reason: 'ESOCKET: connect ECONNREFUSED',
    });
    if (result.outcome !== 'retry') throw new Error(`expected a retry, got ${result.outcome}`);
    t.clock.set(result.nextAttemptAtMs - 1);
    expect((await claimDueMail(t.core, { owner: 'w' })).claimed).toHaveLength(0);
    t.clock.set(result.nextAttemptAtMs);
    expect((await claimDueMail(t.core, { owner: 'w' })).claimed).toHaveLength(1);
  });

  it('gives up, without sending, mail that waited longer than the delivery window', async () => {
    // Mail kept while no SMTP server was configured must not go out days later.
    await enqueueTestMail(t.core, lockedMail());
    const id = (await outboxRows(t.core))[0]?.id ?? '';
    t.clock.advanceSeconds(MAIL_DELIVERY_WINDOW_MS / 1000);
    const { claimed, givenUp } = await claimDueMail(t.core, { owner: 'w' });
    expect(claimed).toHaveLength(0);
    expect(givenUp).toEqual([{ id, kind: 'account-locked', reason: expect.stringContaining('window') }]);
    expect(await rowOf(id)).toMatchObject({
      status: 'failed',
      attempts: 0,
      payloadCiphertext: null,
      keyId: null,
      failedAtMs: t.clock.now(),
    });
  });

  it('gives up a row sealed with a key that is no longer configured instead of blocking the queue', async () => {
    await enqueueTestMail(t.core, lockedMail('old-key@example.test'));
    const rotated = createCore({
      store: t.store,
      clock: t.clock,
      config: { ...t.config, encryptionKeys: [new Uint8Array(32).fill(7)] },
    });
    await enqueueTestMail(rotated, lockedMail('new-key@example.test'));
    const { claimed, givenUp } = await claimDueMail(rotated, { owner: 'w', limit: 5 });
    expect(claimed.map((m) => m.to)).toEqual(['new-key@example.test']);
    expect(givenUp).toHaveLength(1);
    expect((await rowOf(givenUp[0]?.id ?? ''))?.status).toBe('failed');
  });

  it('polls without taking the write lock when nothing is due', async () => {
    await enqueueTestMail(t.core, lockedMail());
    await claimDueMail(t.core, { owner: 'w' });
    // Another process holds the write lock (a long request); an idle poll must not wait for it.
    const release = await holdOutboxWriteLock(t.store);
    try {
      const started = performance.now();
      expect(await claimDueMail(t.core, { owner: 'w' })).toEqual({ claimed: [], givenUp: [] });
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      await release();
    }
  });
});
