import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Operator settings whose start matters to the rules: since when each has held its value
 * (`require_mfa`: the grace period of docs/contract.md § Required MFA counts from there).
 */
export const operatorSettings = sqliteTable('operator_settings', {
  name: text().primaryKey(),
  value: text().notNull(),
  /** Epoch milliseconds when a server first started with this value. */
  sinceMs: integer().notNull(),
});
