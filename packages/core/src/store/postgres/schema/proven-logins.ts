import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

/** Where each user last completed a login from, by throttle subject. */
export const knownLoginAddresses = pgTable(
  'known_login_addresses',
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    address: text().notNull(),
    lastLoginAtMs: epoch().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.address] })],
);
