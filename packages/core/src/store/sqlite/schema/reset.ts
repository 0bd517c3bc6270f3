import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * An MFA reset by email: two codes, one per address, both needed. Wrong tries count per request
 * and client address in failure_counters (reset/live-request.ts), not here.
 */
export const resetRequests = sqliteTable(
  'reset_requests',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Keyed hash of the opaque token returned to the requester. */
    tokenHash: text().notNull(),
    mainCodeHash: text().notNull(),
    recoveryCodeHash: text().notNull(),
    expiresAtMs: integer().notNull(),
    consumedAtMs: integer(),
    createdAtMs: integer().notNull(),
  },
  (t) => [index('reset_requests_token_idx').on(t.tokenHash), index('reset_requests_user_idx').on(t.userId)],
);
