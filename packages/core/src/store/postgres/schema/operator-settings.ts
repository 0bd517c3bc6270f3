import { pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';

/** Since when each operator setting has held its value (see the SQLite schema). */
export const operatorSettings = pgTable('operator_settings', {
  name: text().primaryKey(),
  value: text().notNull(),
  sinceMs: epoch().notNull(),
});
