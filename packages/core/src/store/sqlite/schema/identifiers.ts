import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * `previous_email`: the email an account had before a change, held for it while the change may
 * be undone (docs/contract.md § Changing the email): nobody can register it meanwhile, and it
 * names the account for nothing else (no login, no reset).
 */
export const IDENTIFIER_KINDS = ['username', 'email', 'previous_email'] as const;

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
    /** When a held previous email is let go (housekeeping deletes the row); null for the others. */
    expiresAtMs: integer(),
  },
  (t) => [index('identifiers_user_idx').on(t.userId), index('identifiers_expires_idx').on(t.expiresAtMs)],
);
