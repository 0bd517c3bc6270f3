import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

/** The enabled TOTP credential of a user. */
export const mfaCredentials = pgTable('mfa_credentials', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretCiphertext: text().notNull(),
  keyId: text().notNull(),
  /** Last accepted RFC 6238 time step; a code at or before it is a replay. */
  lastTimeStep: epoch().notNull(),
  enabledAtMs: epoch().notNull(),
});

/** A generated but not yet confirmed enrollment (one per user, 15 minutes). */
export const mfaEnrollments = pgTable('mfa_enrollments', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretCiphertext: text().notNull(),
  keyId: text().notNull(),
  /** JSON array of the six recovery-code hashes, in the order they were shown. */
  recoveryCodeHashes: text().notNull(),
  expiresAtMs: epoch().notNull(),
  createdAtMs: epoch().notNull(),
});

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text().notNull(),
    usedAtMs: epoch(),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** Issued after the password step for MFA users; the token itself is never stored. */
export const mfaTokens = pgTable(
  'mfa_tokens',
  {
    tokenHash: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAtMs: epoch().notNull(),
    failedAttempts: integer().notNull().default(0),
    usedAtMs: epoch(),
    createdAtMs: epoch().notNull(),
  },
  (t) => [index('mfa_tokens_user_idx').on(t.userId), index('mfa_tokens_expires_idx').on(t.expiresAtMs)],
);

/** Opened by a successful recover: disable accepts `{}` once until it expires. */
export const recoveryWindows = pgTable('recovery_windows', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  recoveryCodeId: text().notNull(),
  expiresAtMs: epoch().notNull(),
  usedAtMs: epoch(),
});
