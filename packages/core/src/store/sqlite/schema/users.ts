import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const users = sqliteTable(
  'users',
  {
    id: text().primaryKey(),
    username: text().notNull(),
    /** Stored lowercase: addresses compare case-insensitively. */
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    /** Lowercase; null until the user sets one. Once set it cannot be emptied. */
    recoveryEmail: text(),
    isAdmin: integer({ mode: 'boolean' }).notNull().default(false),
    createdAtMs: integer().notNull(),
    /** Set by an operator (docs/contract.md § Administration): no session starts while it is. */
    disabledAtMs: integer(),
    /**
     * When the main email was verified (a verification of that address used, or an email change
     * confirmed from it); null while unverified (docs/contract.md § Verified addresses).
     */
    emailVerifiedAtMs: integer(),
    /** When the recovery email was verified; a new recovery email starts null. */
    recoveryEmailVerifiedAtMs: integer(),
    /**
     * The first login after registration, by any way in; null while there was none. With an
     * unverified email it decides whether the account releases its address after 7 days.
     */
    firstLoginAtMs: integer(),
  },
  (t) => [uniqueIndex('users_username_unique').on(t.username), uniqueIndex('users_email_unique').on(t.email)],
);
