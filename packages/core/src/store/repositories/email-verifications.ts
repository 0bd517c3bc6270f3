import type { emailVerifications } from '../sqlite/schema/index.js';

/** A verification mail for one address (email-verification/*); times in epoch milliseconds. */
export type EmailVerificationRow = typeof emailVerifications.$inferSelect;

export type NewEmailVerification = Omit<EmailVerificationRow, 'consumedAtMs'>;
export type EmailVerificationPurpose = EmailVerificationRow['purpose'];

/** Verification mails. "Live" means not consumed and unexpired at `nowMs`; the rules stay in email-verification/*. */
export interface EmailVerificationRepository {
  insert(verification: NewEmailVerification): Promise<void>;
  /** The verification with this keyed link-token hash, live or not. */
  findByTokenHash(tokenHash: string): Promise<EmailVerificationRow | undefined>;
  /** The user's live verifications, oldest first. */
  findLiveOfUser(query: { userId: string; nowMs: number }): Promise<EmailVerificationRow[]>;
  /** When the user's newest verification mail of `purpose` was made; null when none. */
  latestOfUser(query: { userId: string; purpose: EmailVerificationPurpose }): Promise<number | null>;
  /** Marks a live verification consumed (the address verified); true only for the one call that changed it. */
  consume(query: { id: string; nowMs: number }): Promise<boolean>;
  /** The user's newest live verification of `purpose`; undefined when none. */
  findNewestLive(query: {
    userId: string;
    purpose: EmailVerificationPurpose;
    nowMs: number;
  }): Promise<EmailVerificationRow | undefined>;
  /** Marks every live verification of the user with `purpose` consumed (a newer one replaces them). */
  consumeAllLive(query: { userId: string; purpose: EmailVerificationPurpose; nowMs: number }): Promise<void>;
}
