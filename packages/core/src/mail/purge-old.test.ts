import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../context.js';
import type { OutboxStatus } from '../store/sqlite/schema/index.js';
import type { Store } from '../store/store.js';
import { enqueueTestMail, openTestCore, type StoreTestCore, testSql } from '../testing/index.js';
import { outboxRows } from '../testing/read-outbox.js';
import { holdOutboxWriteLock } from '../testing/same-database.js';
import { claimDueMail } from './claim-due.js';
import { MAIL_DELIVERY_WINDOW_MS } from './delivery-policy.js';
import { markMailFailed } from './mark-failed.js';
import { markMailSent } from './mark-sent.js';
import { MAIL_RETENTION_MS, purgeOldMail } from './purge-old.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

let sequence = 0;

/** Queues one email now and returns its id. */
async function enqueue(): Promise<string> {
  sequence += 1;
  const username = `u${sequence}`;
  const to = `${username}@example.test`;
  await enqueueTestMail(t.core, { kind: 'mfa-enabled', to, username });
  const [row] = await outboxRows(t.core, 'recipient = ?', to);
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

const ids = async () => (await outboxRows(t.core)).map((row) => row.id).sort();

/**
 * `core` with a store whose second transaction waits until `resume()`: the test looks at the
 * database between the purge's first and second batch. `turnedBetween` tells whether a turn of
 * the event loop (a setImmediate queued when the first transaction ended) ran before the second.
 */
function pauseBeforeSecondTransaction(core: Core) {
  let transactions = 0;
  let turned = false;
  let turnedBeforeSecond = false;
  let reach = () => {};
  let resume = () => {};
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  const resumed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  const store: Store = {
    ...core.store,
    async transaction(fn) {
      transactions += 1;
      if (transactions === 2) {
        turnedBeforeSecond = turned;
        reach();
        await resumed;
      }
      const result = await core.store.transaction(fn);
      if (transactions === 1) setImmediate(() => (turned = true));
      return result;
    },
  };
  return { core: { ...core, store }, reached, resume, turnedBetween: () => turnedBeforeSecond };
}

describe('purgeOldMail', () => {
  it('deletes sent and failed mail older than 30 days and keeps younger mail', async () => {
    const oldSent = await settled('sent');
    const oldFailed = await settled('failed');
    t.clock.advanceSeconds(10 * 24 * 3600);
    const youngSent = await settled('sent');
    const youngFailed = await settled('failed');
    t.clock.advanceSeconds(MAIL_RETENTION_MS / 1000 - 10 * 24 * 3600 + 1);

    expect(await purgeOldMail(t.core)).toBe(2);
    expect(await ids()).toEqual([youngSent, youngFailed].sort());
    expect(await ids()).not.toContain(oldSent);
    expect(await ids()).not.toContain(oldFailed);
    expect(await purgeOldMail(t.core)).toBe(0);
  });

  it('keeps mail queued exactly 30 days ago, deletes it a millisecond later', async () => {
    const id = await settled('sent');
    t.clock.advanceSeconds(MAIL_RETENTION_MS / 1000);
    expect(await purgeOldMail(t.core)).toBe(0);
    expect(await ids()).toEqual([id]);
    t.clock.set(t.clock.now() + 1);
    expect(await purgeOldMail(t.core)).toBe(1);
    expect(await ids()).toEqual([]);
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
    const sql = testSql(t.core);
    await sql.run('UPDATE outbox SET lease_owner = NULL, lease_until_ms = NULL WHERE id = ?', pending);
    await sql.run(
      'UPDATE outbox SET lease_until_ms = ? WHERE id = ?',
      t.clock.now() + 2 * MAIL_RETENTION_MS,
      leased,
    );

    t.clock.advanceSeconds((2 * MAIL_RETENTION_MS) / 1000);
    expect(await purgeOldMail(t.core)).toBe(0);
    expect(await ids()).toEqual([pending, leased].sort());
    const statuses = (await outboxRows(t.core)).map((row) => ({ status: row.status, owner: row.leaseOwner }));
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
    expect(await ids()).toEqual([]);
  });

  it('deletes in batches, leaving the event loop and the write lock free between them', async () => {
    for (let i = 0; i < 7; i += 1) await settled(i % 2 === 0 ? 'sent' : 'failed');
    t.clock.advanceSeconds(MAIL_RETENTION_MS / 1000 + 1);

    const pause = pauseBeforeSecondTransaction(t.core);
    const purging = purgeOldMail(pause.core, { batchRows: 3 });
    await pause.reached;
    // The first batch committed; the purge yielded a turn of the event loop before the next.
    expect(pause.turnedBetween()).toBe(true);
    expect(await ids()).toHaveLength(4);
    // Another process can write meanwhile: no transaction is held open between batches.
    const release = await holdOutboxWriteLock(t.store);
    await release();
    pause.resume();
    expect(await purging).toBe(7);
    expect(await ids()).toEqual([]);
  });

  it('stops between batches when asked, leaving the rest for the next run', async () => {
    for (let i = 0; i < 7; i += 1) await settled('sent');
    t.clock.advanceSeconds(MAIL_RETENTION_MS / 1000 + 1);
    const stop = new AbortController();
    const purging = purgeOldMail(t.core, { batchRows: 3, signal: stop.signal });
    stop.abort();
    expect(await purging).toBe(3);
    expect(await ids()).toHaveLength(4);
    expect(await purgeOldMail(t.core, { batchRows: 3 })).toBe(4);
  });
});
