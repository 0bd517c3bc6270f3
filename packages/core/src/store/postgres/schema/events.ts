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
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text().notNull(),
    clientAddress: text(),
    /** The admin key that did it, for actions of an operator (docs/contract.md § Administration). */
    adminKeyId: text(),
    createdAt: epoch().notNull(),
  },
  (t) => [index('security_events_user_idx').on(t.userId, t.createdAt)],
);
