import type { Core } from '../context.js';
import { enqueueMail } from '../mail/enqueue.js';
import type { MailMessage } from '../mail/messages.js';

/** Queues one email in its own transaction, for tests of delivery that need mail without a flow. */
export function enqueueTestMail(core: Core, message: MailMessage): Promise<void> {
  return core.store.transaction((tx) => enqueueMail(core, tx, message));
}
