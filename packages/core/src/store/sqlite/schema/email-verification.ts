import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * A verification mail for one address of a user (email-verification/*): a code to type in a
 * session and a link token. Consumed means the address was verified; it stays verified while
 * the user's main or recovery email is still that address.
 */
export const EMAIL_VERIFICATION_PURPOSES = ['address', 'email_change'] as const;

export const emailVerifications = sqliteTable(
  'email_verifications',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The address the mail went to, lowercase. */
    email: text().notNull(),
    /**
     * `address`: verifies one of the user's addresses; `email_change`: confirms `email` as the
     * user's new main address (docs/contract.md § Changing the email).
     */
    purpose: text({ enum: EMAIL_VERIFICATION_PURPOSES }).notNull().default('address'),
    /** Keyed hash of the link's token (256 bits). */
    tokenHash: text().notNull(),
    /** argon2id of the typed code (docs/contract.md § Conventions). */
    codeHash: text().notNull(),
    expiresAtMs: integer().notNull(),
    consumedAtMs: integer(),
    createdAtMs: integer().notNull(),
  },
  (t) => [
    index('email_verifications_token_idx').on(t.tokenHash),
    index('email_verifications_user_idx').on(t.userId),
  ],
);
