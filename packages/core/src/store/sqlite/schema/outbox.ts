import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * `kept`: held by the development mailbox and settled there (docs/contract.md § Email), so a
 * server started later with SMTP_URL never sends it.
 */
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'kept'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Durable mail outbox: a row is written in the transaction that causes the mail and
 * delivered later by a worker that leases it. Bodies may hold reset codes, so they are
 * stored sealed and wiped once the row is settled (sent or given up); metadata stays.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text().primaryKey(),
    kind: text().notNull(),
    recipient: text().notNull(),
    /**
     * The account the mail is about; its mail goes with it (docs/contract.md § Leaving). Null
     * for mail about no account any more (the notice that one was deleted).
     */
    userId: text().references(() => users.id, { onDelete: 'cascade' }),
    /** Never holds a code (codes go only into the sealed body). */
    subject: text().notNull().default(''),
    /** AES-256-GCM ciphertext of the JSON { subject, text, html }; null once settled. */
    payloadCiphertext: text(),
    keyId: text(),
    status: text({ enum: OUTBOX_STATUSES }).notNull().default('pending'),
    /** Delivery attempts started (counted at claim, so a crash mid-send still counts). */
    attempts: integer().notNull().default(0),
    /** Epoch ms; the row is due from then on. */
    nextAttemptAtMs: integer().notNull(),
    /** Worker holding the row; another worker may take it only after `leaseUntilMs` (epoch ms). */
    leaseOwner: text(),
    leaseUntilMs: integer(),
    /** Short reason of the last failed attempt (SMTP reply or network error code). */
    lastError: text(),
    sentAtMs: integer(),
    failedAtMs: integer(),
    createdAtMs: integer().notNull(),
  },
  (t) => [
    index('outbox_due_idx').on(t.status, t.nextAttemptAtMs),
    index('outbox_created_idx').on(t.createdAtMs),
    index('outbox_user_idx').on(t.userId),
  ],
);
