import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueTestMail, openTestCore, type StoreTestCore } from '../testing/index.js';
import { outboxRows } from '../testing/read-outbox.js';
import { claimDueMail } from './claim-due.js';
import { MAIL_LEASE_MS } from './delivery-policy.js';
import { markMailSent } from './mark-sent.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const rowOf = async (id: string) => (await outboxRows(t.core, 'id = ?', id))[0];

async function claimOne(owner: string) {
  const [mail] = (await claimDueMail(t.core, { owner })).claimed;
  if (!mail) throw new Error('nothing claimed');
  return mail;
}

describe('markMailSent', () => {
  beforeEach(async () => {
    await enqueueTestMail(t.core, {
      kind: 'reset-code',
      to: 'alice@example.test',
      username: 'alice',
      address: 'main',
      code: 'K7M2Q',
      userId: 'user-1',
      expiresAtMs: t.clock.now() + 86_400_000,
    });
  });

  it('records the delivery, wipes the sealed body and keeps the metadata', async () => {
    const mail = await claimOne('w');
    t.clock.advanceSeconds(3);
    expect(await markMailSent(t.core, mail.id, 'w')).toBe(true);
    expect(await rowOf(mail.id)).toMatchObject({
      status: 'sent',
      sentAtMs: t.clock.now(),
      kind: 'reset-code',
      recipient: 'alice@example.test',
      subject: 'Twofold: your MFA reset code',
      attempts: 1,
      payloadCiphertext: null,
      keyId: null,
      leaseOwner: null,
    });
    expect((await claimDueMail(t.core, { owner: 'w' })).claimed).toHaveLength(0);
  });

  it('is refused to a worker that does not hold the row', async () => {
    const mail = await claimOne('w');
    expect(await markMailSent(t.core, mail.id, 'intruder')).toBe(false);
    expect((await rowOf(mail.id))?.status).toBe('pending');
  });

  it('is refused to a worker whose lease another worker took over', async () => {
    const mail = await claimOne('slow');
    t.clock.advanceSeconds(MAIL_LEASE_MS / 1000);
    await claimOne('fast');
    expect(await markMailSent(t.core, mail.id, 'slow')).toBe(false);
    expect(await markMailSent(t.core, mail.id, 'fast')).toBe(true);
  });

  it('still succeeds when the lease ran out but nobody took the row over', async () => {
    const mail = await claimOne('w');
    t.clock.advanceSeconds(MAIL_LEASE_MS / 1000 + 60);
    expect(await markMailSent(t.core, mail.id, 'w')).toBe(true);
  });
});
