/** A table whose rows hold a user's sealed TOTP secret. */
export type SealedSecretTable = 'totp-credentials' | 'enrollments';

export interface UnboundQuery {
  /** Rows after this key, in key order (keyset paging). */
  after: string;
  limit: number;
  /** Prefix of a ciphertext sealed with associated data: rows with it are skipped. */
  boundPrefix: string;
}

export interface UnboundSecret {
  userId: string;
  ciphertext: string;
  keyId: string;
}

export interface UnboundMailBody {
  id: string;
  recipient: string;
  ciphertext: string;
  keyId: string;
}

/** Where a re-sealed ciphertext goes: only where the row still holds `fromCiphertext`. */
export interface CiphertextChange {
  fromCiphertext: string;
  ciphertext: string;
  keyId: string;
}

/**
 * Start-up code migrations (the ones that need the keys): their completion record, and the
 * one-off reads and writes they make.
 */
export interface CodeMigrationRepository {
  hasCompleted(name: string): Promise<boolean>;
  /** Records a completed migration; recording it twice keeps the first record. */
  recordCompleted(migration: { name: string; completedAtMs: number }): Promise<void>;
  /** Sealed TOTP secrets (user id order) not bound to their purpose, skipping rows with `boundPrefix`. */
  findUnboundSecrets(table: SealedSecretTable, query: UnboundQuery): Promise<UnboundSecret[]>;
  /** False when the row changed meanwhile (its ciphertext is no longer `fromCiphertext`). */
  replaceSecret(table: SealedSecretTable, userId: string, change: CiphertextChange): Promise<boolean>;
  /** Outbox bodies (id order) still sealed and not bound to their mail. */
  findUnboundMailBodies(query: UnboundQuery): Promise<UnboundMailBody[]>;
  /** False when the row changed meanwhile (settled, or its body replaced). */
  replaceMailBody(id: string, change: CiphertextChange): Promise<boolean>;
}
