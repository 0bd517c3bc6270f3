import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './users.js';

export const IDENTIFIER_KINDS = ['username', 'email'] as const;

/** One namespace for usernames and emails (docs/contract.md § Accounts); see the SQLite schema. */
export const identifiers = pgTable(
  'identifiers',
  {
    identifier: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: IDENTIFIER_KINDS }).notNull(),
  },
  (t) => [index('identifiers_user_idx').on(t.userId)],
);
