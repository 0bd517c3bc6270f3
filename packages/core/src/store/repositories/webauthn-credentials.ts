/** A registered WebAuthn credential, as stored. */
export interface WebAuthnCredential {
  id: string;
  userId: string;
  /** The authenticator's credential id, base64url. */
  credentialId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  signCount: number;
  /** JSON array of transports. */
  transports: string;
  name: string;
  isPasswordlessAllowed: boolean;
  isBackedUp: boolean;
  createdAtMs: number;
  lastUsedAtMs: number | null;
}

/** WebAuthn credentials, any number per user; a credential id names one row in the whole store. */
export interface WebAuthnCredentialRepository {
  /** The user's credentials, oldest first. */
  listOfUser(userId: string): Promise<WebAuthnCredential[]>;
  /** Whether the user has one. */
  existsForUser(userId: string): Promise<boolean>;
  findByCredentialId(credentialId: string): Promise<WebAuthnCredential | undefined>;
  /** False when the credential id is registered already (to anyone). */
  insert(credential: WebAuthnCredential): Promise<boolean>;
  /** Changes the name and/or the passwordless choice of the user's credential; false when it has none by that id. */
  update(change: {
    id: string;
    userId: string;
    name?: string;
    isPasswordlessAllowed?: boolean;
  }): Promise<boolean>;
  /** Deletes the user's credential; false when it has none by that id. */
  delete(query: { id: string; userId: string }): Promise<boolean>;
  /**
   * Compare-and-set of the signature counter: records `next` (and the use) only while the
   * stored counter is still `expected`; true when it did.
   */
  advanceSignCount(query: { id: string; expected: number; next: number; nowMs: number }): Promise<boolean>;
  deleteOfUser(userId: string): Promise<void>;
}
