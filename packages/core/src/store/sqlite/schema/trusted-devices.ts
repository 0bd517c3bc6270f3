import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * Browsers a user trusted at the second login step (docs/contract.md § Trusted devices): on
 * them the password alone logs that user in until `expiresAtMs`. Only a keyed hash of the
 * cookie's token is kept; revoking deletes the row.
 */
export const trustedDevices = sqliteTable(
  'trusted_devices',
  {
    /** Random and public: names the device in the list and when revoking it. */
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** HMAC-SHA-256 of the cookie's token under the token-hash key (trusted-devices/token.ts). */
    tokenHash: text().notNull(),
    createdAtMs: integer().notNull(),
    /** The last login it let skip the second step; null until the first. */
    lastUsedAtMs: integer(),
    /** 30 days after it was trusted; never extended. */
    expiresAtMs: integer().notNull(),
    /** Truncated; null when the client sent none. */
    userAgent: text(),
    clientAddress: text().notNull(),
  },
  (t) => [
    uniqueIndex('trusted_devices_token_hash_idx').on(t.tokenHash),
    index('trusted_devices_user_idx').on(t.userId),
  ],
);
