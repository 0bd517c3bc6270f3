import type { resetRequests } from '../sqlite/schema/index.js';

/** A reset-by-email request (reset/live-request.ts); times in epoch milliseconds. */
export type ResetRequestRow = typeof resetRequests.$inferSelect;

export type NewResetRequest = Omit<ResetRequestRow, 'consumedAtMs'>;

/** Requests the account made since a moment, for the sending limits of reset/request.ts. */
export interface RecentResetRequests {
  sent: number;
  /** When the newest of them was made; null when none. */
  latest: number | null;
}

/**
 * Reset-by-email requests. "Live" means not consumed and unexpired at `nowMs`. The limits (how
 * many live, how often) stay in reset/*.
 */
export interface ResetRequestRepository {
  insert(request: NewResetRequest): Promise<void>;
  /** The request with this keyed token hash, live or not. */
  findByTokenHash(tokenHash: string): Promise<ResetRequestRow | undefined>;
  /** The user's live requests, oldest first. */
  findLiveOfUser(query: { userId: string; nowMs: number }): Promise<ResetRequestRow[]>;
  /** How many requests the user made after `sinceMs`, and when the newest was made. */
  countMadeSince(query: { userId: string; sinceMs: number }): Promise<RecentResetRequests>;
  /** Marks a live request consumed; true only for the one call that changed it. */
  consume(query: { id: string; nowMs: number }): Promise<boolean>;
  /** Marks every unconsumed request of the user consumed (MFA is off: none may be used). */
  consumeAllOfUser(query: { userId: string; nowMs: number }): Promise<void>;
}
