import { pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';

/** Start-up migrations that need the keys: a row once one has run to the end. */
export const codeMigrations = pgTable('code_migrations', {
  name: text().primaryKey(),
  completedAtMs: epoch().notNull(),
});
