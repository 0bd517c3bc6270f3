import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

/**
 * Server-side sessions (docs/contract.md § Sessions): the JWT names its row (`sid`), and a
 * token whose row is gone (logout, ended, recover, reset, password change) is refused.
 */
export const sessions = pgTable(
  'sessions',
  {
    /** Random and opaque; the JWT's `sid`. */
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** How the login was proven (session/methods.ts). */
    method: text().notNull(),
    createdAtMs: epoch().notNull(),
    /** Written at most once a minute per session. */
    lastSeenAtMs: epoch().notNull(),
    expiresAtMs: epoch().notNull(),
    /** Truncated; null when the client sent none. */
    userAgent: text(),
    clientAddress: text().notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);
