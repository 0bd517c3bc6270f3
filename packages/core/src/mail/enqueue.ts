import type { Core } from '../context.js';
import { seal } from '../crypto/seal.js';
import { outbox } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';
import type { MailMessage } from './messages.js';
import { renderMail } from './render.js';

/**
 * Queues an email inside the caller's transaction: it is sent if and only if the change
 * that caused it commits. The body is sealed because reset mails carry codes.
 */
export function enqueueMail(core: Core, tx: Tx, message: MailMessage): void {
  const rendered = renderMail({ issuer: core.config.issuer, publicUrl: core.config.publicUrl }, message);
  const id = core.random.uuid();
  const sealed = seal(core.keyring, JSON.stringify(rendered), {
    purpose: 'outbox-mail',
    mailId: id,
    recipient: message.to,
  });
  const now = core.clock.now();
  tx.insert(outbox)
    .values({
      id,
      kind: message.kind,
      recipient: message.to,
      subject: rendered.subject,
      payloadCiphertext: sealed.ciphertext,
      keyId: sealed.keyId,
      nextAttemptAt: now,
      createdAt: now,
    })
    .run();
}
