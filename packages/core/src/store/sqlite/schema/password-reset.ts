import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * A forgotten-password request (password-reset/*): one mail carries a code to type and a link
 * with a token; either sets a new password once. Wrong codes count per request and client
 * address in failure_counters, not here.
 */
export const passwordResets = sqliteTable(
  'password_resets',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Keyed hash of the link's token (256 bits). */
    tokenHash: text().notNull(),
    /** argon2id of the typed code (40 bits: a slow KDF, docs/contract.md § Conventions). */
    codeHash: text().notNull(),
    expiresAtMs: integer().notNull(),
    consumedAtMs: integer(),
    createdAtMs: integer().notNull(),
  },
  (t) => [index('password_resets_token_idx').on(t.tokenHash), index('password_resets_user_idx').on(t.userId)],
);
