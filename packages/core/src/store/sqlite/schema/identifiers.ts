import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

export const IDENTIFIER_KINDS = ['username', 'email'] as const;

/**
 * Usernames and emails are one namespace (docs/contract.md § Accounts): each lowercase
 * identifier is a primary key, so the database itself lets exactly one account claim it,
 * whichever role it is claimed in and however many registrations race for it.
 */
export const identifiers = sqliteTable(
  'identifiers',
  {
    identifier: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** An account whose username is its own email holds one row, of kind `username`. */
    kind: text({ enum: IDENTIFIER_KINDS }).notNull(),
  },
  (t) => [index('identifiers_user_idx').on(t.userId)],
);
