import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * Server-side sessions (docs/contract.md § Sessions): the JWT names its row (`sid`), and a
 * token whose row is gone (logout, ended, recover, reset, password change) is refused.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    /** Random and opaque; the JWT's `sid`. */
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** How the login was proven (session/methods.ts). */
    method: text().notNull(),
    createdAtMs: integer().notNull(),
    /** Written at most once a minute per session. */
    lastSeenAtMs: integer().notNull(),
    expiresAtMs: integer().notNull(),
    /** Truncated; null when the client sent none. */
    userAgent: text(),
    clientAddress: text().notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);
