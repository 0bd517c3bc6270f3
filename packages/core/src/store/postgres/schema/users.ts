import { boolean, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';

export const users = pgTable(
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
    isAdmin: boolean().notNull().default(false),
    createdAtMs: epoch().notNull(),
    /** Set by an operator (docs/contract.md § Administration): no session starts while it is. */
    disabledAtMs: epoch(),
    emailVerifiedAtMs: epoch(),
    recoveryEmailVerifiedAtMs: epoch(),
    firstLoginAtMs: epoch(),
  },
  (t) => [uniqueIndex('users_username_unique').on(t.username), uniqueIndex('users_email_unique').on(t.email)],
);
