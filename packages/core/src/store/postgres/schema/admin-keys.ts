import { pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';

/** Operators' API keys (see the SQLite schema). */
export const adminKeys = pgTable('admin_keys', {
  id: text().primaryKey(),
  name: text().notNull(),
  secretHash: text().notNull(),
  scopes: text().notNull(),
  createdAtMs: epoch().notNull(),
  expiresAtMs: epoch(),
});
