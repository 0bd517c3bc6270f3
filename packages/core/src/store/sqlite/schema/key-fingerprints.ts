import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * A fingerprint of each key the database was written with (never the key), so an instance
 * started with other keys refuses at start instead of failing logins one by one.
 */
export const keyFingerprints = sqliteTable('key_fingerprints', {
  /** `jwt`, `token-hash` or `encryption`. */
  name: text().primaryKey(),
  fingerprint: text().notNull(),
  recordedAtMs: integer().notNull(),
});
