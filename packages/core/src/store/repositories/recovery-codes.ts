/** A recovery code as stored: only its argon2id hash. */
export interface StoredRecoveryCode {
  id: string;
  codeHash: string;
}

export interface NewRecoveryCode extends StoredRecoveryCode {
  userId: string;
}

/** The user's recovery codes; a used one keeps its row with `usedAtMs` set. */
export interface RecoveryCodeRepository {
  findUnusedOfUser(userId: string): Promise<StoredRecoveryCode[]>;
  insertMany(codes: readonly NewRecoveryCode[]): Promise<void>;
  /** Marks an unused code used; true only for the one call that changed it. */
  consume(query: { id: string; nowMs: number }): Promise<boolean>;
  deleteOfUser(userId: string): Promise<void>;
}
