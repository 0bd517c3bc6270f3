import { boolean, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

/** A registered WebAuthn credential (passkey or security key): a second factor of its user. */
export const webauthnCredentials = pgTable(
  'webauthn_credentials',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    credentialId: text().notNull(),
    publicKey: text().notNull(),
    /** An unsigned 32-bit counter: past PostgreSQL's `integer`. */
    signCount: epoch().notNull(),
    transports: text().notNull(),
    name: text().notNull(),
    isPasswordlessAllowed: boolean().notNull(),
    isBackedUp: boolean().notNull(),
    createdAtMs: epoch().notNull(),
    lastUsedAtMs: epoch(),
  },
  (t) => [
    uniqueIndex('webauthn_credentials_credential_id_idx').on(t.credentialId),
    index('webauthn_credentials_user_idx').on(t.userId),
  ],
);

/** A WebAuthn challenge handed out with ceremony options: single use, 5 minutes. */
export const webauthnChallenges = pgTable(
  'webauthn_challenges',
  {
    challenge: text().primaryKey(),
    purpose: text().notNull(),
    userId: text().references(() => users.id, { onDelete: 'cascade' }),
    mfaTokenHash: text(),
    expiresAtMs: epoch().notNull(),
    usedAtMs: epoch(),
    createdAtMs: epoch().notNull(),
  },
  (t) => [index('webauthn_challenges_expires_idx').on(t.expiresAtMs)],
);
