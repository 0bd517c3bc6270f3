import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Operators' API keys (docs/contract.md § Administration): only a keyed hash of the secret is kept. */
export const adminKeys = sqliteTable('admin_keys', {
  /** Public part of the key (`tfa_<id>_<secret>`), named in the security events of its actions. */
  id: text().primaryKey(),
  name: text().notNull(),
  /** HMAC-SHA-256 of the secret part under the token hash key, as for MFA and reset tokens. */
  secretHash: text().notNull(),
  /** Space-separated scopes (admin/scopes.ts). */
  scopes: text().notNull(),
  createdAtMs: integer().notNull(),
  /** Epoch ms after which the key is refused; null: no expiry. */
  expiresAtMs: integer(),
});
