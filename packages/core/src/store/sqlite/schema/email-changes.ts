import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * A confirmed change of a user's main email (email-change/*): the old address was mailed a link
 * that undoes it for 7 days (docs/contract.md § Changing the email).
 */
export const emailChanges = sqliteTable(
  'email_changes',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    oldEmail: text().notNull(),
    newEmail: text().notNull(),
    /** Keyed hash of the undo link's token (256 bits). */
    undoTokenHash: text().notNull(),
    undoExpiresAtMs: integer().notNull(),
    /** Set once the change was undone, or once another undo of the user's made it moot. */
    undoneAtMs: integer(),
    createdAtMs: integer().notNull(),
  },
  (t) => [
    index('email_changes_undo_token_idx').on(t.undoTokenHash),
    index('email_changes_user_idx').on(t.userId),
  ],
);
