import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';
import { users } from './users.js';

/** Browsers a user trusted at the second login step (see the SQLite schema). */
export const trustedDevices = pgTable(
  'trusted_devices',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull(),
    createdAtMs: epoch().notNull(),
    lastUsedAtMs: epoch(),
    expiresAtMs: epoch().notNull(),
    userAgent: text(),
    clientAddress: text().notNull(),
  },
  (t) => [
    uniqueIndex('trusted_devices_token_hash_idx').on(t.tokenHash),
    index('trusted_devices_user_idx').on(t.userId),
  ],
);
