import type { emailVerifications } from '../sqlite/schema/index.js';

/** A verification mail for one address (email-verification/*); times in epoch milliseconds. */
export type EmailVerificationRow = typeof emailVerifications.$inferSelect;

export type NewEmailVerification = Omit<EmailVerificationRow, 'consumedAt'>;

/** Verification mails. "Live" means not consumed and unexpired at `nowMs`; the rules stay in email-verification/*. */
export interface EmailVerificationRepository {
  insert(verification: NewEmailVerification): Promise<void>;
  /** The verification with this keyed link-token hash, live or not. */
  findByTokenHash(tokenHash: string): Promise<EmailVerificationRow | undefined>;
  /** The user's live verifications, oldest first. */
  findLiveOfUser(query: { userId: string; nowMs: number }): Promise<EmailVerificationRow[]>;
  /** When the user's newest verification mail was made; null when none. */
  latestOfUser(userId: string): Promise<number | null>;
  /** Marks a live verification consumed (the address verified); true only for the one call that changed it. */
  consume(query: { id: string; nowMs: number }): Promise<boolean>;
}
