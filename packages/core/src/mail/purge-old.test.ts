import { setImmediate as nextTurn } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../store/sqlite/open.js';
import { type OutboxStatus, outbox } from '../store/sqlite/schema/index.js';
import { createTestCore, enqueueTestMail, type TestCore } from '../testing/index.js';
import { claimDueMail } from './claim-due.js';
import { MAIL_DELIVERY_WINDOW_MS } from './delivery-policy.js';
import { markMailFailed } from './mark-failed.js';
import { markMailSent } from './mark-sent.js';
import { MAIL_RETENTION_MS, purgeOldMail } from './purge-old.js';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.close());

let sequence = 0;

/** Queues one email now and returns its id. */
async function enqueue(): Promise<string> {
  sequence += 1;
  const username = `u${sequence}`;
  const to = `${username}@example.test`;
  await enqueueTestMail(t.core, { kind: 'mfa-enabled', to, username });
  const row = t.store.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.recipient, to)).get();
  if (!row) throw new Error('not queued');
  return row.id;
}

/** Queues one email now and settles it the way the worker would. */
async function settled(status: Extract<OutboxStatus, 'sent' | 'failed'>): Promise<string> {
  const id = await enqueue();
  const owner = `w-${id}`;
  // Claim exactly this row: everything else queued earlier is settled or leased already.
  const [mail] = (await claimDueMail(t.core, { owner })).claimed;
  if (mail?.id !== id) throw new Error('claimed another row');
  if (status === 'sent') await markMailSent(t.core, id, owner);
  else
    await markMailFailed(t.core, id, owner, { reason: '550 5.1.1 mailbox unavailable', responseCode: 550 });
  return id;
}

const ids = () =>
  t.store.db
    .select({ id: outbox.id })
    .from(outbox)
    .all()
    .map((row) => row.id)
    .sort();

describe('purgeOldMail', () => {
  it('deletes sent and failed mail older than 30 days and keeps younger mail', async () => {
    const oldSent = await settled('sent');
    const oldFailed = await settled('failed');
    t.clock.advanceSeconds(10 * 24 * 3600);
    const youngSent = await settled('sent');
    const youngFailed = await settled('failed');
    t.clock.advanceSeconds(MAIL_RETENTION_MS / 1000 - 10 * 24 * 3600 + 1);

    expect(await purgeOldMail(t.core)).toBe(2);
    expect(ids()).toEqual([youngSent, youngFailed].sort());
    expect(ids()).not.toContain(oldSent);
    expect(ids()).not.toContain(oldFailed);
    expect(await purgeOldMail(t.core)).toBe(0);
  });

  it('keeps mail queued exactly 30 days ago, deletes it a millisecond later', async () => {
    const id = await settled('sent');
    t.clock.advanceSeconds(MAIL_RETENTION_MS / 1000);
    expect(await purgeOldMail(t.core)).toBe(0);
    expect(ids()).toEqual([id]);
    t.clock.set(t.clock.now() + 1);
    expect(await purgeOldMail(t.core)).toBe(1);
    expect(ids()).toEqual([]);
  });

  it('never deletes pending or leased mail, however old', async () => {
    const pending = await enqueue();
    const leased = await enqueue();
    // `pending` is due first (oldest): lease it away, then hold `leased` with a second claim.
    const [first] = (await claimDueMail(t.core, { owner: 'stalled', limit: 1 })).claimed;
    expect(first?.id).toBe(pending);
    const [second] = (await claimDueMail(t.core, { owner: 'stalled', limit: 1 })).claimed;
    expect(second?.id).toBe(leased);
    // Release the first, so one row is plainly pending and one is still leased.
    t.store.db.update(outbox).set({ leaseOwner: null, leaseUntil: null }).where(eq(outbox.id, pending)).run();
    t.store.db
      .update(outbox)
      .set({ leaseUntil: t.clock.now() + 2 * MAIL_RETENTION_MS })
      .where(eq(outbox.id, leased))
      .run();

    t.clock.advanceSeconds((2 * MAIL_RETENTION_MS) / 1000);
    expect(await purgeOldMail(t.core)).toBe(0);
    expect(ids()).toEqual([pending, leased].sort());
    const statuses = t.store.db
      .select({ status: outbox.status, owner: outbox.leaseOwner })
      .from(outbox)
      .all();
    expect(statuses).toEqual(
      expect.arrayContaining([
        { status: 'pending', owner: null },
        { status: 'pending', owner: 'stalled' },
      ]),
    );
  });

  it('deletes old mail that the delivery window gave up, once it is past retention', async () => {
    await enqueue();
    t.clock.advanceSeconds(MAIL_DELIVERY_WINDOW_MS / 1000);
    expect((await claimDueMail(t.core, { owner: 'w' })).givenUp).toHaveLength(1);
    t.clock.advanceSeconds(MAIL_RETENTION_MS / 1000);
    expect(await purgeOldMail(t.core)).toBe(1);
    expect(ids()).toEqual([]);
  });

  it('deletes in batches, leaving the event loop and the write lock free between them', async () => {
    for (let i = 0; i < 7; i += 1) await settled(i % 2 === 0 ? 'sent' : 'failed');
    t.clock.advanceSeconds(MAIL_RETENTION_MS / 1000 + 1);

    const purging = purgeOldMail(t.core, { batchRows: 3 });
    // One turn of the event loop: the first batch ran and committed; the purge now waits for its next turn.
    await nextTurn();
    expect(ids()).toHaveLength(4);
    // Another process can write meanwhile: no transaction is held open between batches.
    const other = openDatabase(t.databaseFile);
    try {
      other.$client.exec('BEGIN IMMEDIATE');
      other.$client.exec('COMMIT');
    } finally {
      closeDatabase(other);
    }
    expect(await purging).toBe(7);
    expect(ids()).toEqual([]);
  });

  it('stops between batches when asked, leaving the rest for the next run', async () => {
    for (let i = 0; i < 7; i += 1) await settled('sent');
    t.clock.advanceSeconds(MAIL_RETENTION_MS / 1000 + 1);
    const stop = new AbortController();
    const purging = purgeOldMail(t.core, { batchRows: 3, signal: stop.signal });
    stop.abort();
    expect(await purging).toBe(3);
    expect(ids()).toHaveLength(4);
    expect(await purgeOldMail(t.core, { batchRows: 3 })).toBe(4);
  });
});
