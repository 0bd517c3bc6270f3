import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

export const securityEvents = sqliteTable(
  'security_events',
  {
    // A random UUID, unique by construction; no index of its own: events are only read by user,
    // and each index is one more page written by every login (the table itself is keyed by rowid).
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
    createdAtMs: integer().notNull(),
  },
  (t) => [index('security_events_user_idx').on(t.userId, t.createdAtMs)],
);
