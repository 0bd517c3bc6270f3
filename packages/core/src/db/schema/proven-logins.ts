import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.js';

/**
 * Where each user last completed a login from (password and, with MFA, the second step),
 * by throttle subject (an IPv6 /64 counts as one address). A recent row lets that address
 * past the per-address login throttle for that user (docs/contract.md § MFA endpoints).
 */
export const knownLoginAddresses = sqliteTable(
  'known_login_addresses',
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    address: text().notNull(),
    lastLoginAtMs: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.address] })],
);

/**
 * Device tokens (OWASP "device cookies"), handed out after a complete login: the token itself
 * is never stored, only its keyed hash. It only lifts the per-address login throttle.
 */
export const deviceTokens = sqliteTable(
  'device_tokens',
  {
    tokenHash: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAtMs: integer().notNull(),
  },
  (t) => [index('device_tokens_user_expires_idx').on(t.userId, t.expiresAtMs)],
);
