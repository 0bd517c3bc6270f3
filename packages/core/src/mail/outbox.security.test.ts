/**
 * Invariant: a reset code never lies in the database in clear, and once its email is
 * settled (sent or given up) the row no longer holds anything that opens to it; a sealed body
 * opens only as the mail to the recipient it was written for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../store/sqlite/schema/index.js';
import { createTestCore, enqueueTestMail, type TestCore } from '../testing/index.js';
import { claimDueMail } from './claim-due.js';
import { MAIL_DELIVERY_WINDOW_MS } from './delivery-policy.js';
import { listDevMail } from './list-dev-mail.js';
import { markMailSent } from './mark-sent.js';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.close());

const CODE = 'Q8W3Z';

async function enqueueCode(to: string) {
  await enqueueTestMail(t.core, {
    kind: 'reset-code',
    to,
    username: 'alice',
    address: 'main',
    code: CODE,
    userId: 'user-1',
    expiresAt: t.clock.now() + 86_400_000,
  });
}

/** Every byte SQLite wrote for this database: main file, WAL and shared memory. */
function databaseBytes(): string {
  const dir = dirname(t.databaseFile);
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name)).toString('latin1'))
    .join('');
}

const rowValues = () => JSON.stringify(t.store.db.select().from(outbox).all());

describe('outbox at rest', () => {
  it('holds no reset code in clear while the email waits', async () => {
    await enqueueCode('alice@example.test');
    expect(databaseBytes()).not.toContain(CODE);
    expect(rowValues()).not.toContain(CODE);
  });

  it('keeps no sealed body once the email is sent', async () => {
    await enqueueCode('alice@example.test');
    const [mail] = (await claimDueMail(t.core, { owner: 'w' })).claimed;
    expect(mail?.text).toContain(CODE);
    await markMailSent(t.core, mail?.id ?? '', 'w');
    const [row] = t.store.db.select().from(outbox).all();
    expect(row).toMatchObject({ payloadCiphertext: null, keyId: null, status: 'sent' });
    expect(databaseBytes()).not.toContain(CODE);
  });

  it('keeps no sealed body once the email is given up', async () => {
    await enqueueCode('alice@example.test');
    t.clock.advanceSeconds(MAIL_DELIVERY_WINDOW_MS / 1000);
    await claimDueMail(t.core, { owner: 'w' });
    expect(t.store.db.select().from(outbox).all()).toEqual([
      expect.objectContaining({ payloadCiphertext: null, keyId: null, status: 'failed' }),
    ]);
  });

  it('seals each email with a fresh IV: two mails with the same code do not share ciphertext', async () => {
    await enqueueCode('alice@example.test');
    await enqueueCode('alice@example.test');
    const [a, b] = t.store.db.select({ c: outbox.payloadCiphertext }).from(outbox).all();
    expect(a?.c).not.toBe(b?.c);
  });
});

describe('an outbox body is bound to its mail and its recipient', () => {
  const rowTo = (to: string) => {
    const row = t.store.db.select().from(outbox).where(eq(outbox.recipient, to)).get();
    if (!row) throw new Error(`no mail to ${to}`);
    return row;
  };
  const textTo = async (to: string) => (await listDevMail(t.core)).messages.find((m) => m.to === to)?.text;

  it("does not open the victim's body copied into a mail to someone else", async () => {
    await enqueueCode('victim@example.test');
    await enqueueCode('attacker@example.test');
    expect(await textTo('victim@example.test')).toContain(CODE);
    const { payloadCiphertext, keyId } = rowTo('victim@example.test');
    t.store.db
      .update(outbox)
      .set({ payloadCiphertext, keyId })
      .where(eq(outbox.recipient, 'attacker@example.test'))
      .run();
    expect(await textTo('attacker@example.test')).toBe('');
  });

  it('does not open a body whose recipient was changed', async () => {
    await enqueueCode('victim@example.test');
    t.store.db
      .update(outbox)
      .set({ recipient: 'attacker@example.test' })
      .where(eq(outbox.recipient, 'victim@example.test'))
      .run();
    expect(await textTo('attacker@example.test')).toBe('');
  });
});
