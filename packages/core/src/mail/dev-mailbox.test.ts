import { afterEach, describe, expect, it } from 'vitest';
import { enqueueTestMail, openTestCore, type StoreTestCore, testSql } from '../testing/index.js';
import { claimDueMail } from './claim-due.js';
import { isDevMailboxAllowed } from './dev-mailbox.js';
import { listDevMail } from './list-dev-mail.js';
import { MAIL_RETENTION_MS, purgeOldMail } from './purge-old.js';

let t: StoreTestCore | undefined;
afterEach(() => t?.close());

const lockedMail = {
  kind: 'account-locked',
  to: 'alice@example.test',
  username: 'alice',
  lockedUntilSeconds: 1,
} as const;

describe('isDevMailboxAllowed', () => {
  it('only without SMTP, outside production and without a trusted proxy', async () => {
    const open = { isSmtpConfigured: false, isProduction: false, isProxyTrusted: false };
    expect(isDevMailboxAllowed(open)).toBe(true);
    for (const flag of ['isSmtpConfigured', 'isProduction', 'isProxyTrusted'] as const) {
      expect(isDevMailboxAllowed({ ...open, [flag]: true }), flag).toBe(false);
    }
  });
});

describe('mail kept by the development mailbox', () => {
  it('is queued settled as kept, shown in the mailbox, never claimed for delivery', async () => {
    t = await openTestCore({ isDevMailboxOn: true });
    await enqueueTestMail(t.core, lockedMail);
    expect(await testSql(t.core).all('SELECT status FROM outbox')).toEqual([{ status: 'kept' }]);
    expect((await listDevMail(t.core)).messages[0]).toMatchObject({
      status: 'kept',
      to: 'alice@example.test',
    });
    expect((await listDevMail(t.core)).messages[0]?.text).toContain('alice');

    // The same database under a core that delivers (SMTP configured later): nothing to send.
    const delivering = { ...t.core, config: { ...t.core.config, isDevMailboxOn: false } };
    expect(await claimDueMail(delivering, { owner: 'worker' })).toEqual({ claimed: [], givenUp: [] });
  });

  it('is purged after the retention like sent mail', async () => {
    t = await openTestCore({ isDevMailboxOn: true });
    await enqueueTestMail(t.core, lockedMail);
    t.clock.set(t.clock.now() + MAIL_RETENTION_MS + 1);
    expect(await purgeOldMail(t.core)).toBe(1);
  });

  it('without the mailbox, mail is queued pending for the worker', async () => {
    t = await openTestCore();
    await enqueueTestMail(t.core, lockedMail);
    expect((await claimDueMail(t.core, { owner: 'worker' })).claimed).toHaveLength(1);
  });
});
