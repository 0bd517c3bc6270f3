import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Start-up migrations that need the keys, which SQL migrations do not have: a row once one
 * has run to the end, so it never runs again.
 */
export const codeMigrations = sqliteTable('code_migrations', {
  name: text().primaryKey(),
  completedAtMs: integer().notNull(),
});
