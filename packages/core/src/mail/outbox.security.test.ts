/**
 * Invariant: a reset code never lies in the database in clear, and once its email is
 * settled (sent or given up) the row no longer holds anything that opens to it; a sealed body
 * opens only as the mail to the recipient it was written for. (The bytes of the SQLite files
 * themselves: store/sqlite/outbox-at-rest.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  enqueueTestResetCode,
  openTestCore,
  type StoreTestCore,
  TEST_RESET_CODE,
  testSql,
} from '../testing/index.js';
import { outboxRows } from '../testing/read-outbox.js';
import { claimDueMail } from './claim-due.js';
import { MAIL_DELIVERY_WINDOW_MS } from './delivery-policy.js';
import { listDevMail } from './list-dev-mail.js';
import { markMailSent } from './mark-sent.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const CODE = TEST_RESET_CODE;
const enqueueCode = (to: string) => enqueueTestResetCode(t.core, to);

/** Every column of every outbox row, as text. */
const rowValues = async () => JSON.stringify(await testSql(t.core).all('SELECT * FROM outbox'));

describe('outbox at rest', () => {
  it('holds no reset code in clear while the email waits', async () => {
    await enqueueCode('alice@example.test');
    expect(await rowValues()).not.toContain(CODE);
  });

  it('keeps no sealed body once the email is sent', async () => {
    await enqueueCode('alice@example.test');
    const [mail] = (await claimDueMail(t.core, { owner: 'w' })).claimed;
    expect(mail?.text).toContain(CODE);
    await markMailSent(t.core, mail?.id ?? '', 'w');
    const [row] = await outboxRows(t.core);
    expect(row).toMatchObject({ payloadCiphertext: null, keyId: null, status: 'sent' });
    expect(await rowValues()).not.toContain(CODE);
  });

  it('keeps no sealed body once the email is given up', async () => {
    await enqueueCode('alice@example.test');
    t.clock.advanceSeconds(MAIL_DELIVERY_WINDOW_MS / 1000);
    await claimDueMail(t.core, { owner: 'w' });
    expect(await outboxRows(t.core)).toEqual([
      expect.objectContaining({ payloadCiphertext: null, keyId: null, status: 'failed' }),
    ]);
  });

  it('seals each email with a fresh IV: two mails with the same code do not share ciphertext', async () => {
    await enqueueCode('alice@example.test');
    await enqueueCode('alice@example.test');
    const [a, b] = await outboxRows(t.core);
    expect(a?.payloadCiphertext).not.toBe(b?.payloadCiphertext);
  });
});

describe('an outbox body is bound to its mail and its recipient', () => {
  const rowTo = async (to: string) => {
    const [row] = await outboxRows(t.core, 'recipient = ?', to);
    if (!row) throw new Error(`no mail to ${to}`);
    return row;
  };
  const textTo = async (to: string) => (await listDevMail(t.core)).messages.find((m) => m.to === to)?.text;

  it("does not open the victim's body copied into a mail to someone else", async () => {
    await enqueueCode('victim@example.test');
    await enqueueCode('attacker@example.test');
    expect(await textTo('victim@example.test')).toContain(CODE);
    const { payloadCiphertext, keyId } = await rowTo('victim@example.test');
    await testSql(t.core).run(
      'UPDATE outbox SET payload_ciphertext = ?, key_id = ? WHERE recipient = ?',
      payloadCiphertext,
      keyId,
      'attacker@example.test',
    );
    expect(await textTo('attacker@example.test')).toBe('');
  });

  it('does not open a body whose recipient was changed', async () => {
    await enqueueCode('victim@example.test');
    await testSql(t.core).run(
      'UPDATE outbox SET recipient = ? WHERE recipient = ?',
      'attacker@example.test',
      'victim@example.test',
    );
    expect(await textTo('attacker@example.test')).toBe('');
  });
});
