import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
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
