/** A session-signing key as stored (store/sqlite/schema/signing-keys.ts). */
export interface SigningKeyRow {
  kid: string;
  algorithm: string;
  publicJwk: string;
  privateKeySealed: string;
  privateKeyKeyId: string;
  createdAtMs: number;
  activatesAtMs: number;
}

/** The keys session JWTs are signed with; a handful of rows, read whole. */
export interface SigningKeyRepository {
  /** Every key, oldest first. */
  findAll(): Promise<SigningKeyRow[]>;
  insert(row: SigningKeyRow): Promise<void>;
}
