/**
 * Invariant: however many workers (processes, connections) poll one database, each outbox
 * row is held by at most one of them at a time, so no email is handed to SMTP twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../context.js';
import { enqueueTestMail, openTestCore, type StoreTestCore, testSql } from '../testing/index.js';
import { openSameDatabaseStore } from '../testing/same-database.js';
import { claimDueMail } from './claim-due.js';
import { MAIL_LEASE_MS } from './delivery-policy.js';
import { markMailFailed } from './mark-failed.js';
import { markMailSent } from './mark-sent.js';

let t: StoreTestCore;
let others: Core[];
beforeEach(async () => {
  t = await openTestCore();
  // Separate connections to the same database, as separate server processes would have.
  others = [1, 2, 3].map(() =>
    createCore({
      store: openSameDatabaseStore(t.store),
      clock: t.clock,
      config: t.config,
    }),
  );
});
afterEach(async () => {
  for (const other of others) await other.store.close();
  await t.close();
});

const MAILS = 40;

async function enqueueMany() {
  for (let i = 0; i < MAILS; i += 1) {
    await enqueueTestMail(t.core, { kind: 'mfa-disabled', to: `u${i}@example.test`, username: `u${i}` });
  }
}

describe('claimDueMail under competing workers', () => {
  it('hands every row to exactly one of four connections polling in turn', async () => {
    await enqueueMany();
    const workers = [t.core, ...others].map((core, i) => ({
      core,
      owner: `worker-${i}`,
      got: [] as string[],
    }));
    for (let round = 0; round < MAILS; round += 1) {
      for (const w of workers) {
        for (const mail of (await claimDueMail(w.core, { owner: w.owner, limit: 3 })).claimed)
          w.got.push(mail.id);
      }
    }
    const all = workers.flatMap((w) => w.got);
    expect(all).toHaveLength(MAILS);
    expect(new Set(all).size).toBe(MAILS);
    // Every worker got a share: the lease spreads work, it does not serialize it on one.
    for (const w of workers) expect(w.got.length).toBeGreaterThan(0);
  });

  it('lets only the lease holder settle a row, even after a takeover', async () => {
    await enqueueTestMail(t.core, { kind: 'mfa-enabled', to: 'a@example.test', username: 'a' });
    const [first] = (await claimDueMail(t.core, { owner: 'stalled' })).claimed;
    t.clock.advanceSeconds(MAIL_LEASE_MS / 1000);
    const [second] = (await claimDueMail(others[0] as Core, { owner: 'fresh' })).claimed;
    expect(second?.id).toBe(first?.id);
    const id = first?.id ?? '';
    expect(await markMailFailed(t.core, id, 'stalled', { reason: 'late failure' })).toEqual({
      outcome: 'lease-lost',
    });
    expect(await markMailSent(t.core, id, 'stalled')).toBe(false);
    expect(await markMailSent(others[0] as Core, id, 'fresh')).toBe(true);
    expect(await markMailSent(others[1] as Core, id, 'fresh')).toBe(false);
  });

  it('never settles a row twice when every worker tries to mark every row', async () => {
    await enqueueMany();
    const owners = [t.core, ...others].map((core, i) => ({ core, owner: `w${i}` }));
    const claims = [];
    for (const w of owners) {
      for (const m of (await claimDueMail(w.core, { owner: w.owner, limit: MAILS })).claimed)
        claims.push({ ...w, id: m.id });
    }
    let settled = 0;
    for (const claim of claims) {
      for (const w of owners) if (await markMailSent(w.core, claim.id, w.owner)) settled += 1;
    }
    expect(settled).toBe(MAILS);
    const rows = await testSql(t.core).all<{ status: string }>('SELECT status FROM outbox');
    expect(rows).toHaveLength(MAILS);
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
  });

  it('hands every row to exactly one of four workers claiming at the same time', async () => {
    await enqueueMany();
    const workers = [t.core, ...others].map((core, i) => ({ core, owner: `parallel-${i}` }));
    const got: string[] = [];
    // Rounds of simultaneous claims: on PostgreSQL they run on separate connections at once.
    for (let round = 0; round < MAILS && got.length < MAILS; round += 1) {
      const results = await Promise.all(
        workers.map((w) => claimDueMail(w.core, { owner: w.owner, limit: 3 })),
      );
      for (const result of results) got.push(...result.claimed.map((mail) => mail.id));
    }
    expect(got).toHaveLength(MAILS);
    expect(new Set(got).size).toBe(MAILS);
    const leased = await testSql(t.core).all<{ attempts: number }>(
      'SELECT attempts FROM outbox WHERE lease_owner IS NOT NULL',
    );
    expect(leased).toHaveLength(MAILS);
    expect(leased.every((row) => Number(row.attempts) === 1)).toBe(true);
  });
});
