import type { passwordResets } from '../sqlite/schema/index.js';

/** A forgotten-password request (password-reset/*); times in epoch milliseconds. */
export type PasswordResetRow = typeof passwordResets.$inferSelect;

export type NewPasswordReset = Omit<PasswordResetRow, 'consumedAtMs'>;

/** Requests the account made since a moment, for the sending limits of password-reset/request.ts. */
export interface RecentPasswordResets {
  sent: number;
  /** When the newest of them was made; null when none. */
  latest: number | null;
}

/**
 * Forgotten-password requests. "Live" means not consumed and unexpired at `nowMs`. The limits
 * (how many live, how often) stay in password-reset/*.
 */
export interface PasswordResetRepository {
  insert(request: NewPasswordReset): Promise<void>;
  /** The request with this keyed link-token hash, live or not. */
  findByTokenHash(tokenHash: string): Promise<PasswordResetRow | undefined>;
  /** The user's live requests, oldest first. */
  findLiveOfUser(query: { userId: string; nowMs: number }): Promise<PasswordResetRow[]>;
  /** How many requests the user made after `sinceMs`, and when the newest was made. */
  countMadeSince(query: { userId: string; sinceMs: number }): Promise<RecentPasswordResets>;
  /** Marks a live request consumed; true only for the one call that changed it. */
  consume(query: { id: string; nowMs: number }): Promise<boolean>;
  /** Marks every unconsumed request of the user consumed (the password was just set). */
  consumeAllOfUser(query: { userId: string; nowMs: number }): Promise<void>;
}
