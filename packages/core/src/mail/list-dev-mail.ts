import { z } from 'zod';
import type { Core } from '../context.js';
import { OUTBOX_STATUSES } from '../store/sqlite/schema/index.js';
import { MAIL_KINDS, type MailKind } from './messages.js';
import { tryOpenMailPayload } from './open-payload.js';

/** The development mailbox shows the newest messages only. */
export const DEV_MAILBOX_LIMIT = 200;

export const ZDevMailMessage = z.object({
  id: z.string(),
  kind: z.enum(MAIL_KINDS),
  to: z.string(),
  subject: z.string(),
  /** Empty once the message was delivered or given up: settled bodies are wiped. */
  text: z.string(),
  html: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  /** Epoch milliseconds. */
  createdAtMs: z.number(),
});
export type TDevMailMessage = z.infer<typeof ZDevMailMessage>;

export const ZDevMailbox = z.object({ messages: z.array(ZDevMailMessage) });
export type TDevMailbox = z.infer<typeof ZDevMailbox>;

/**
 * The outbox as a mailbox, newest first (rowid breaks ties between mails queued in one
 * transaction). For development only: it shows codes, so the transport must gate it.
 */
export async function listDevMail(core: Core): Promise<TDevMailbox> {
  const rows = await core.store.outbox.listNewest(DEV_MAILBOX_LIMIT);
  return {
    messages: rows.map((row) => {
      const body = tryOpenMailPayload(core, row);
      return {
        id: row.id,
        kind: row.kind as MailKind,
        to: row.recipient,
        subject: body?.subject ?? row.subject,
        text: body?.text ?? '',
        html: body?.html ?? '',
        status: row.status,
        createdAtMs: row.createdAtMs,
      };
    }),
  };
}
