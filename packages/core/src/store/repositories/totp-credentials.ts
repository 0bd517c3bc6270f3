/** A confirmed TOTP second factor: the user's sealed secret and the last time step it accepted. */
export interface TotpCredential {
  userId: string;
  /** AES-256-GCM ciphertext of the base32 secret. */
  secretCiphertext: string;
  /** Which encryption key sealed the secret. */
  keyId: string;
  /** Last accepted RFC 6238 time step; a code at or before it is a replay. */
  lastTimeStep: number;
  enabledAtMs: number;
}

/** TOTP credentials, one per user at most. */
export interface TotpCredentialRepository {
  findByUser(userId: string): Promise<TotpCredential | undefined>;
  /** Whether the user has one, without reading the secret. */
  exists(userId: string): Promise<boolean>;
  insert(credential: TotpCredential): Promise<void>;
  /** Records `timeStep` only if it is newer than the last accepted one; true when it did. */
  acceptTimeStep(query: { userId: string; timeStep: number }): Promise<boolean>;
  deleteOfUser(userId: string): Promise<void>;
}
