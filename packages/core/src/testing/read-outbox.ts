import { desc, sql } from 'drizzle-orm';
import type { Core } from '../context.js';
import type { RenderedMail } from '../mail/messages.js';
import { openMailPayload } from '../mail/open-payload.js';
import { outbox } from '../store/sqlite/schema/index.js';
import { sqliteDbOf } from './create-test-core.js';

export interface OutboxMail extends RenderedMail {
  id: string;
  kind: string;
  to: string;
  status: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/**
 * Every email in the outbox, opened with the core's keys, newest first (rowid breaks ties
 * within one transaction). For tests that read what a user would receive (reset codes)
 * without an SMTP server. Delivered mail has its body wiped: text and html read empty.
 * Reads the SQLite rows directly, so tests can call it synchronously between steps.
 */
export function readOutbox(core: Core): OutboxMail[] {
  const rows = sqliteDbOf(core).select().from(outbox).orderBy(desc(outbox.createdAt), desc(sql`rowid`)).all();
  return rows.map((row) => {
    const rendered = openMailPayload(core, row) ?? { subject: row.subject, text: '', html: '' };
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
