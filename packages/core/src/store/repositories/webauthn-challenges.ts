/** What a WebAuthn ceremony's challenge was issued for. */
export type WebAuthnChallengePurpose = 'register' | 'second-factor' | 'session' | 'passwordless';

export interface WebAuthnChallengeRow {
  challenge: string;
  purpose: WebAuthnChallengePurpose;
  /** Null for passwordless login. */
  userId: string | null;
  /** Second factor only: the keyed hash of the MFA token it was issued under. */
  mfaTokenHash: string | null;
  expiresAtMs: number;
  createdAtMs: number;
}

export interface ConsumeChallengeQuery {
  challenge: string;
  purpose: WebAuthnChallengePurpose;
  /** The user it must have been issued to; null: issued to nobody (passwordless). */
  userId: string | null;
  nowMs: number;
}

/** Challenges handed out with ceremony options; each is single use. */
export interface WebAuthnChallengeRepository {
  insert(row: WebAuthnChallengeRow): Promise<void>;
  /**
   * Marks a live challenge (unused, unexpired, of this purpose and user) used, in one guarded
   * UPDATE, and returns it; undefined for every other call, so of parallel uses one wins.
   */
  consume(query: ConsumeChallengeQuery): Promise<WebAuthnChallengeRow | undefined>;
  /**
   * Inserts a challenge that is used as it is stored (a passkey login's, issued without a row);
   * false when the challenge is there already, so of parallel claims one wins.
   */
  insertUsed(row: WebAuthnChallengeRow & { usedAtMs: number }): Promise<boolean>;
  /** Deletes challenges that ended at or before `beforeMs`. */
  deleteExpired(beforeMs: number): Promise<void>;
}
