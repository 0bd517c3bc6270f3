import { desc } from 'drizzle-orm';
import type { Core } from '../context.js';
import { open } from '../crypto/seal.js';
import { outbox } from '../db/schema/index.js';
import type { RenderedMail } from '../mail/messages.js';

export interface OutboxMail extends RenderedMail {
  id: string;
  kind: string;
  to: string;
  status: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/**
 * Every email in the outbox, opened with the core's keys, newest first. For tests that
 * read what a user would receive (reset codes) without an SMTP server.
 */
export function readOutbox(core: Core): OutboxMail[] {
  const rows = core.db.select().from(outbox).orderBy(desc(outbox.createdAt), desc(outbox.id)).all();
  return rows.map((row) => {
    const rendered = JSON.parse(
      open(core.keyring, { ciphertext: row.payloadCiphertext, keyId: row.keyId }),
    ) as RenderedMail;
    return {
      id: row.id,
      kind: row.kind,
      to: row.recipient,
      status: row.status,
      createdAt: row.createdAt,
      ...rendered,
    };
  });
}
