import type { Core } from '../context.js';
import { seal } from '../crypto/seal.js';
import type { Tx } from '../store/store.js';
import type { MailMessage } from './messages.js';
import { renderMail } from './render.js';

/**
 * Queues an email inside the caller's transaction: it is sent if and only if the change
 * that caused it commits. The body is sealed because reset mails carry codes. With the
 * development mailbox on, the email is settled as `kept` at once: it was shown to whoever ran
 * the server, and a later start with SMTP_URL must not send test mail to real addresses.
 */
export async function enqueueMail(
  core: Core,
  tx: Tx,
  /** The account the mail is about: it goes with the account (docs/contract.md § Leaving). */
  userId: string | null,
  message: MailMessage,
): Promise<void> {
  const rendered = renderMail({ issuer: core.config.issuer, publicUrl: core.config.publicUrl }, message);
  const id = core.random.uuid();
  const sealed = seal(core.keyring, JSON.stringify(rendered), {
    purpose: 'outbox-mail',
    mailId: id,
    recipient: message.to,
  });
  const now = core.clock.now();
  await tx.outbox.insert({
    id,
    kind: message.kind,
    recipient: message.to,
    userId,
    subject: rendered.subject,
    payloadCiphertext: sealed.ciphertext,
    keyId: sealed.keyId,
    status: core.config.isDevMailboxOn === true ? 'kept' : 'pending',
    nextAttemptAtMs: now,
    createdAtMs: now,
  });
}
