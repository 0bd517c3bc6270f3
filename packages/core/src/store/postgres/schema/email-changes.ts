import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

/** A confirmed change of a user's main email; see the SQLite schema. */
export const emailChanges = pgTable(
  'email_changes',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    oldEmail: text().notNull(),
    newEmail: text().notNull(),
    undoTokenHash: text().notNull(),
    undoExpiresAtMs: epoch().notNull(),
    undoneAtMs: epoch(),
    createdAtMs: epoch().notNull(),
  },
  (t) => [
    index('email_changes_undo_token_idx').on(t.undoTokenHash),
    index('email_changes_user_idx').on(t.userId),
  ],
);
