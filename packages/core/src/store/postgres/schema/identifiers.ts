import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

export const IDENTIFIER_KINDS = ['username', 'email', 'previous_email'] as const;

/** One namespace for usernames and emails (docs/contract.md § Accounts); see the SQLite schema. */
export const identifiers = pgTable(
  'identifiers',
  {
    identifier: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: IDENTIFIER_KINDS }).notNull(),
    /** When a held previous email is let go (housekeeping deletes the row); null for the others. */
    expiresAtMs: epoch(),
  },
  (t) => [index('identifiers_user_idx').on(t.userId), index('identifiers_expires_idx').on(t.expiresAtMs)],
);
