import type { Core } from '../context.js';
import { enqueueMail } from '../mail/enqueue.js';
import type { MailMessage } from '../mail/messages.js';

/** Queues one email in its own transaction, for tests of delivery that need mail without a flow. */
export function enqueueTestMail(core: Core, message: MailMessage): Promise<void> {
  return core.store.transaction((tx) => enqueueMail(core, tx, null, message));
}

/** The reset code `enqueueTestResetCode` mails, for tests that look for it where it must not be. */
export const TEST_RESET_CODE = 'Q8W3Z';

/** Queues one reset-code mail to `to` carrying TEST_RESET_CODE, live for a day. */
export function enqueueTestResetCode(core: Core, to: string): Promise<void> {
  return enqueueTestMail(core, {
    kind: 'reset-code',
    to,
    username: 'alice',
    address: 'main',
    code: TEST_RESET_CODE,
    userId: 'user-1',
    expiresAtMs: core.clock.now() + 86_400_000,
  });
}
