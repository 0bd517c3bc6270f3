/** An open recovery window and the hash of the recovery code that opened it. */
export interface OpenRecoveryWindow {
  recoveryCodeId: string;
  codeHash: string;
}

/**
 * Recovery windows (one per user at most). "Open" means unexpired at `nowMs` and unused.
 */
export interface RecoveryWindowRepository {
  findOpen(query: { userId: string; nowMs: number }): Promise<OpenRecoveryWindow | undefined>;
  /** Opens the user's window, replacing any earlier one (open, used or expired). */
  open(window: { userId: string; recoveryCodeId: string; expiresAtMs: number }): Promise<void>;
  /**
   * Closes the user's open window (only if it was opened by `recoveryCodeId`, when given);
   * true only for the one call that closed it.
   */
  use(query: { userId: string; nowMs: number; recoveryCodeId?: string }): Promise<boolean>;
  deleteOfUser(userId: string): Promise<void>;
}
