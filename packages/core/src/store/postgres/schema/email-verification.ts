import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

/** A verification mail for one address of a user; consumed means the address was verified. */
export const emailVerifications = pgTable(
  'email_verifications',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    purpose: text({ enum: ['address', 'email_change'] })
      .notNull()
      .default('address'),
    tokenHash: text().notNull(),
    codeHash: text().notNull(),
    expiresAtMs: epoch().notNull(),
    consumedAtMs: epoch(),
    createdAtMs: epoch().notNull(),
  },
  (t) => [
    index('email_verifications_token_idx').on(t.tokenHash),
    index('email_verifications_user_idx').on(t.userId),
  ],
);
