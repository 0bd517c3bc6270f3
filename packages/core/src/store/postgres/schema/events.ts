import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

export const securityEvents = pgTable(
  'security_events',
  {
    /** Insertion order, which SQLite's rowid gives its table: breaks ties between events of one millisecond. */
    seq: bigint({ mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    // No key of its own, as in SQLite: events are only read by user.
    id: text().notNull(),
    /**
     * Null once the account is gone: its events are kept without personal data
     * (docs/contract.md § Leaving).
     */
    userId: text().references(() => users.id, { onDelete: 'set null' }),
    type: text().notNull(),
    clientAddress: text(),
    /** The admin key that did it, for actions of an operator (docs/contract.md § Administration). */
    adminKeyId: text(),
    createdAtMs: epoch().notNull(),
  },
  (t) => [index('security_events_user_idx').on(t.userId, t.createdAtMs)],
);
