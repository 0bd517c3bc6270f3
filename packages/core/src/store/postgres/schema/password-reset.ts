import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

/** A forgotten-password request: a code and a link token, either sets a new password once. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull(),
    codeHash: text().notNull(),
    expiresAtMs: epoch().notNull(),
    consumedAtMs: epoch(),
    createdAtMs: epoch().notNull(),
  },
  (t) => [index('password_resets_token_idx').on(t.tokenHash), index('password_resets_user_idx').on(t.userId)],
);
