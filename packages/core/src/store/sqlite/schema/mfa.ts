import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/** The enabled TOTP credential of a user; its presence means MFA is on. */
export const mfaCredentials = sqliteTable('mfa_credentials', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** AES-256-GCM ciphertext of the base32 secret (iv|tag|data, base64url). */
  secretCiphertext: text().notNull(),
  /** Which encryption key sealed the secret, so keys can rotate. */
  keyId: text().notNull(),
  /** Last accepted RFC 6238 time step; a code at or before it is a replay. */
  lastTimeStep: integer().notNull(),
  enabledAtMs: integer().notNull(),
});

/** A generated but not yet confirmed enrollment (one per user, 15 minutes). */
export const mfaEnrollments = sqliteTable('mfa_enrollments', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretCiphertext: text().notNull(),
  keyId: text().notNull(),
  /** JSON array of the six recovery-code hashes, in the order they were shown. */
  recoveryCodeHashes: text().notNull(),
  expiresAtMs: integer().notNull(),
  createdAtMs: integer().notNull(),
});

export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text().notNull(),
    usedAtMs: integer(),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** Issued after the password step for MFA users; the token itself is never stored. */
export const mfaTokens = sqliteTable(
  'mfa_tokens',
  {
    tokenHash: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAtMs: integer().notNull(),
    failedAttempts: integer().notNull().default(0),
    usedAtMs: integer(),
    createdAtMs: integer().notNull(),
  },
  (t) => [index('mfa_tokens_user_idx').on(t.userId), index('mfa_tokens_expires_idx').on(t.expiresAtMs)],
);

/** Opened by a successful recover: disable accepts `{}` once until it expires. */
export const recoveryWindows = sqliteTable('recovery_windows', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  recoveryCodeId: text().notNull(),
  expiresAtMs: integer().notNull(),
  usedAtMs: integer(),
});
