import { pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';

/** A fingerprint of each key the database was written with (see the SQLite schema). */
export const keyFingerprints = pgTable('key_fingerprints', {
  name: text().primaryKey(),
  fingerprint: text().notNull(),
  recordedAtMs: epoch().notNull(),
});
