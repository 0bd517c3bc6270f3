import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

/** An MFA reset by email: two codes, one per address, both needed. */
export const resetRequests = pgTable(
  'reset_requests',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull(),
    mainCodeHash: text().notNull(),
    recoveryCodeHash: text().notNull(),
    expiresAtMs: epoch().notNull(),
    consumedAtMs: epoch(),
    createdAtMs: epoch().notNull(),
  },
  (t) => [index('reset_requests_token_idx').on(t.tokenHash), index('reset_requests_user_idx').on(t.userId)],
);
