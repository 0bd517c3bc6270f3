import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/** A registered WebAuthn credential (passkey or security key): a second factor of its user. */
export const webauthnCredentials = sqliteTable(
  'webauthn_credentials',
  {
    /** Our id for the credential (the API names it by this), not the authenticator's. */
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The authenticator's credential id, base64url. */
    credentialId: text().notNull(),
    /** COSE public key, base64url. */
    publicKey: text().notNull(),
    /** Last signature counter accepted; a later one must be higher unless both are 0. */
    signCount: integer().notNull(),
    /** JSON array of the transports the browser reported. */
    transports: text().notNull(),
    name: text().notNull(),
    /** The user allows this credential to log in without the password. */
    isPasswordlessAllowed: integer({ mode: 'boolean' }).notNull(),
    /** The authenticator said the credential is synced (backup state). */
    isBackedUp: integer({ mode: 'boolean' }).notNull(),
    createdAtMs: integer().notNull(),
    lastUsedAtMs: integer(),
  },
  (t) => [
    uniqueIndex('webauthn_credentials_credential_id_idx').on(t.credentialId),
    index('webauthn_credentials_user_idx').on(t.userId),
  ],
);

/** A WebAuthn challenge handed out with ceremony options: single use, 5 minutes. */
export const webauthnChallenges = sqliteTable(
  'webauthn_challenges',
  {
    /** The challenge as sent to the browser, base64url (it comes back in clientDataJSON). */
    challenge: text().primaryKey(),
    /** `register`, `second-factor`, `session` or `passwordless`. */
    purpose: text().notNull(),
    /** Null for passwordless login, where the user is not known yet. */
    userId: text().references(() => users.id, { onDelete: 'cascade' }),
    /** Second factor only: keyed hash of the MFA token the options were asked with. */
    mfaTokenHash: text(),
    expiresAtMs: integer().notNull(),
    usedAtMs: integer(),
    createdAtMs: integer().notNull(),
  },
  (t) => [index('webauthn_challenges_expires_idx').on(t.expiresAtMs)],
);
