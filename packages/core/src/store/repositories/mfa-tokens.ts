import type { User } from '../../users/find.js';

/** What the second login step reads about a pending MFA token, in one joined read. */
export interface MfaChallengeRow {
  tokenHash: string;
  /** When the password step that issued the token ran (epoch ms). */
  passwordProvenAt: number;
  user: User;
  /** The user's TOTP credential; null when the user's second factors are WebAuthn only. */
  credential: { secretCiphertext: string; keyId: string; lastTimeStep: number } | null;
  /** Null when the user has no second-factor counter: nothing to lift on success. */
  lockedUntilSeconds: number | null;
}

export type NewMfaToken = {
  tokenHash: string;
  userId: string;
  createdAtMs: number;
  expiresAtMs: number;
};

export type LiveMfaTokenQuery = {
  tokenHash: string;
  nowMs: number;
  maxFailures: number;
};

/**
 * MFA tokens (the X-MFA-Token of the password step), stored by keyed hash. "Live" means
 * unexpired at `nowMs`, unused and with fewer than `maxFailures` wrong codes.
 */
export interface MfaTokenRepository {
  insert(token: NewMfaToken): Promise<void>;
  /**
   * The live token's challenge: its user, the user's TOTP credential (if any), and the `lockedUntilSeconds` of
   * the user's failure counter in `counterScope`. Inside a transaction it first holds the
   * user's row (as `UserRepository.lock`), so the counter it reads is the one every other
   * second-factor attempt of that user committed (they hold the row too).
   */
  findChallenge(query: LiveMfaTokenQuery & { counterScope: string }): Promise<MfaChallengeRow | undefined>;
  /** Marks a live token used; true only for the one call that changed it. */
  consume(query: LiveMfaTokenQuery): Promise<boolean>;
  /** Counts a wrong code against a live token; false when it died meanwhile. */
  recordFailure(query: LiveMfaTokenQuery): Promise<boolean>;
}
