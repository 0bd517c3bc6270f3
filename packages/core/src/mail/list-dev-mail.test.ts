import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueTestMail, openTestCore, type StoreTestCore } from '../testing/index.js';
import { claimDueMail } from './claim-due.js';
import { DEV_MAILBOX_LIMIT, listDevMail, ZDevMailbox } from './list-dev-mail.js';
import { markMailSent } from './mark-sent.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const resetCode = (address: 'main' | 'recovery', code: string) =>
  ({
    kind: 'reset-code',
    to: `${address}@example.test`,
    username: 'alice',
    address,
    code,
    userId: 'user-1',
    expiresAtMs: t.clock.now() + 86_400_000,
  }) as const;

describe('listDevMail', () => {
  it('shows the outbox newest first, bodies opened, in the shape of ZDevMailbox', async () => {
    await enqueueTestMail(t.core, { kind: 'mfa-enabled', to: 'alice@example.test', username: 'alice' });
    t.clock.advanceSeconds(1);
    // Two mails queued at the same millisecond keep their queueing order (newest first).
    await enqueueTestMail(t.core, resetCode('main', 'AAAA2'));
    await enqueueTestMail(t.core, resetCode('recovery', 'BBBB3'));

    const mailbox = await listDevMail(t.core);
    expect(ZDevMailbox.parse(mailbox)).toEqual(mailbox);
    expect(mailbox.messages.map((m) => [m.kind, m.to])).toEqual([
      ['reset-code', 'recovery@example.test'],
      ['reset-code', 'main@example.test'],
      ['mfa-enabled', 'alice@example.test'],
    ]);
    const [newest] = mailbox.messages;
    expect(newest).toMatchObject({
      subject: 'Twofold: your MFA reset code',
      status: 'pending',
      createdAtMs: t.clock.now(),
    });
    expect(newest?.text.split('\n')).toContain('BBBB3');
    expect(newest?.html).toContain('BBBB3');
  });

  it('keeps subject and status of a delivered mail but no longer its body', async () => {
    await enqueueTestMail(t.core, resetCode('main', 'CCCC4'));
    const [mail] = (await claimDueMail(t.core, { owner: 'w' })).claimed;
    await markMailSent(t.core, mail?.id ?? '', 'w');
    expect((await listDevMail(t.core)).messages).toEqual([
      expect.objectContaining({
        status: 'sent',
        subject: 'Twofold: your MFA reset code',
        text: '',
        html: '',
      }),
    ]);
  });

  it(`lists at most the ${DEV_MAILBOX_LIMIT} newest`, async () => {
    for (let i = 0; i <= DEV_MAILBOX_LIMIT; i += 1) {
      await enqueueTestMail(t.core, { kind: 'mfa-enabled', to: `u${i}@example.test`, username: `u${i}` });
    }
    const { messages } = await listDevMail(t.core);
    expect(messages).toHaveLength(DEV_MAILBOX_LIMIT);
    expect(messages[0]?.to).toBe(`u${DEV_MAILBOX_LIMIT}@example.test`);
    expect(messages.some((m) => m.to === 'u0@example.test')).toBe(false);
  });
});
