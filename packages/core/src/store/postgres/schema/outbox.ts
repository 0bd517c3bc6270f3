import { bigint, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'kept'] as const;

/** Durable mail outbox; see the SQLite schema for what each column holds. */
export const outbox = pgTable(
  'outbox',
  {
    /** Insertion order, which SQLite's rowid gives its table: breaks ties between mails of one millisecond. */
    seq: bigint({ mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    id: text().primaryKey(),
    kind: text().notNull(),
    recipient: text().notNull(),
    userId: text().references(() => users.id, { onDelete: 'cascade' }),
    subject: text().notNull().default(''),
    payloadCiphertext: text(),
    keyId: text(),
    status: text({ enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAtMs: epoch().notNull(),
    leaseOwner: text(),
    leaseUntilMs: epoch(),
    lastError: text(),
    sentAtMs: epoch(),
    failedAtMs: epoch(),
    createdAtMs: epoch().notNull(),
  },
  (t) => [
    index('outbox_due_idx').on(t.status, t.nextAttemptAtMs),
    index('outbox_created_idx').on(t.createdAtMs),
    index('outbox_user_idx').on(t.userId),
  ],
);
