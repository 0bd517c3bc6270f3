import { pgTable, text } from 'drizzle-orm/pg-core';
import { epoch } from './columns.js';

/** The keys session JWTs are signed with (see the SQLite schema). */
export const signingKeys = pgTable('signing_keys', {
  kid: text().primaryKey(),
  algorithm: text().notNull(),
  publicJwk: text().notNull(),
  privateKeySealed: text().notNull(),
  privateKeyKeyId: text().notNull(),
  createdAtMs: epoch().notNull(),
  activatesAtMs: epoch().notNull(),
});
