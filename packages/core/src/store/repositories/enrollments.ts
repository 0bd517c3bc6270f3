/** A generated, not yet confirmed TOTP enrollment (one per user). */
export interface Enrollment {
  userId: string;
  secretCiphertext: string;
  keyId: string;
  /** JSON array of the recovery-code hashes, in the order they were shown. */
  recoveryCodeHashes: string;
  expiresAtMs: number;
  createdAtMs: number;
}

/** Pending MFA enrollments. */
export interface EnrollmentRepository {
  /** The user's enrollment if it is unexpired at `nowMs`. */
  findPending(query: { userId: string; nowMs: number }): Promise<Enrollment | undefined>;
  /** Stores the user's enrollment in place of any earlier one. */
  replace(enrollment: Enrollment): Promise<void>;
  /**
   * Deletes the user's enrollment only if it is still the one sealed as `secretCiphertext`
   * (no generate in between); true when it did.
   */
  take(query: { userId: string; secretCiphertext: string }): Promise<boolean>;
  deleteOfUser(userId: string): Promise<void>;
}
