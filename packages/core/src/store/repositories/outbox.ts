import type { outbox } from '../sqlite/schema/outbox.js';

/** One outbox row as stored (the body sealed, null once the row is settled). */
export type OutboxRow = typeof outbox.$inferSelect;

export interface NewOutboxMail {
  id: string;
  kind: string;
  recipient: string;
  /** The account the mail is about (it goes with the account); null for none. */
  userId: string | null;
  subject: string;
  payloadCiphertext: string;
  keyId: string;
  /** `kept` when the development mailbox settles it at once. */
  status: 'pending' | 'kept';
  nextAttemptAtMs: number;
  createdAtMs: number;
}

export interface DueMailQuery {
  nowMs: number;
  /** A pending row created at or before this (epoch ms) is past the delivery window. */
  expiredAtOrBefore: number;
}

export interface ClaimDueQuery {
  owner: string;
  nowMs: number;
  /** Epoch ms until which the claimed rows are the owner's. */
  leaseUntilMs: number;
  limit: number;
}

/** A lease held by `owner` on row `id`. */
export interface HeldMail {
  id: string;
  owner: string;
}

/**
 * The mail outbox. "Pending and lease free at `nowMs`" means status `pending` and no lease,
 * or a lease that ended at or before `nowMs`. Settling a row (sent, failed) wipes its sealed
 * body and releases its lease; the metadata stays.
 */
export interface OutboxRepository {
  insert(mail: NewOutboxMail): Promise<void>;
  /** Whether a pending, lease-free row is due or past the delivery window: a read only. */
  hasWorkDue(query: DueMailQuery): Promise<boolean>;
  /** Settles as failed with `reason` every pending, lease-free row past the delivery window; returns them. */
  giveUpExpired(query: DueMailQuery & { reason: string }): Promise<{ id: string; kind: string }[]>;
  /**
   * Leases up to `limit` pending, lease-free rows due at `nowMs` to `owner`, oldest due first,
   * counting the attempt: one guarded UPDATE, so of two workers only one gets a row.
   */
  claimDue(query: ClaimDueQuery): Promise<OutboxRow[]>;
  /** The attempt count and age of a pending row `owner` holds; undefined when it does not hold it. */
  findHeld(held: HeldMail): Promise<{ attempts: number; createdAtMs: number } | undefined>;
  /** Settles a held row as sent; false when `owner` no longer holds it. */
  markSent(held: HeldMail & { nowMs: number }): Promise<boolean>;
  /** Settles a held row as failed; false when `owner` no longer holds it. */
  markFailed(held: HeldMail & { nowMs: number; lastError: string }): Promise<boolean>;
  /** Releases a held row until `nextAttemptAtMs`; false when `owner` no longer holds it. */
  scheduleRetry(held: HeldMail & { nextAttemptAtMs: number; lastError: string }): Promise<boolean>;
  /** Deletes up to `limit` settled (sent, failed, kept) rows created before `createdBefore`; returns how many. */
  deleteSettled(query: { createdBefore: number; limit: number }): Promise<number>;
  /** The newest `limit` rows, newest first; rows queued at the same millisecond newest-queued first. */
  listNewest(limit: number): Promise<OutboxRow[]>;
  /** How many rows are pending (queued, not settled) and when the oldest was queued (epoch ms). */
  pendingBacklog(): Promise<OutboxBacklog>;
}

export interface OutboxBacklog {
  pending: number;
  /** Epoch ms of the oldest pending row; null when none is pending. */
  oldestCreatedAt: number | null;
}
