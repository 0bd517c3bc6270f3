import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The asymmetric keys session JWTs are signed with (docs/contract.md § Sessions other services
 * verify). A handful of rows, one per rotation: kept, as an old key costs nothing.
 */
export const signingKeys = sqliteTable('signing_keys', {
  /** RFC 7638 thumbprint of the public key, the JWT header's `kid`. */
  kid: text().primaryKey(),
  /** JWS `alg` this key signs and verifies with, and no other (never HS256). */
  algorithm: text().notNull(),
  /** The public key as a JWK (JSON). */
  publicJwk: text().notNull(),
  /** The private key (PKCS#8 PEM), sealed with the encryption keyring. */
  privateKeySealed: text().notNull(),
  /** Id of the encryption key that sealed it. */
  privateKeyKeyId: text().notNull(),
  createdAtMs: integer().notNull(),
  /** Published from creation, signing from this instant (relying services fetch it first). */
  activatesAtMs: integer().notNull(),
});
