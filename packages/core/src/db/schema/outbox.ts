import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Durable mail outbox: a row is written in the transaction that causes the mail and
 * delivered later. Bodies may hold reset codes, so they are stored encrypted.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text().primaryKey(),
    kind: text().notNull(),
    recipient: text().notNull(),
    /** AES-256-GCM ciphertext of the JSON { subject, text, html }. */
    payloadCiphertext: text().notNull(),
    keyId: text().notNull(),
    status: text({ enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: integer().notNull(),
    leaseOwner: text(),
    leaseUntil: integer(),
    lastError: text(),
    sentAt: integer(),
    createdAt: integer().notNull(),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt), index('outbox_created_idx').on(t.createdAt)],
);
