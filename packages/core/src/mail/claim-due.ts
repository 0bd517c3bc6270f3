import type { Core } from '../context.js';
import { MAIL_DELIVERY_WINDOW_MS, MAIL_LEASE_MS } from './delivery-policy.js';
import type { MailKind } from './messages.js';
import { tryOpenMailPayload } from './open-payload.js';

/** A row leased to one worker, with its body opened, ready to hand to SMTP. */
export interface ClaimedMail {
  id: string;
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Attempts including this one. */
  attempts: number;
  /** Epoch ms until which no other worker may take the row. */
  leaseUntilMs: number;
}

export interface ClaimDueMailOptions {
  /** Unique per worker (process). */
  owner: string;
  limit?: number;
}

export interface ClaimDueMailResult {
  claimed: ClaimedMail[];
  /**
   * Rows given up without an attempt: aged out of the delivery window, or sealed with a
   * key no longer configured.
   */
  givenUp: { id: string; kind: MailKind; reason: string }[];
}

const EXPIRED_REASON = 'not delivered within the delivery window';
const UNREADABLE_REASON = 'body cannot be opened with the configured encryption keys';

/**
 * Leases due rows to `owner`. The rows are taken by one guarded UPDATE (pending and lease
 * free) that decides the winner, so two workers on one database never both hold a row.
 * Rows older than the delivery window are given up instead (mail queued while no SMTP
 * server was configured is not sent days later).
 */
export async function claimDueMail(core: Core, options: ClaimDueMailOptions): Promise<ClaimDueMailResult> {
  const nowMs = core.clock.now();
  const due = { nowMs, expiredAtOrBefore: nowMs - MAIL_DELIVERY_WINDOW_MS };
  // Idle polls stay reads: the write lock is taken only when there is something to take.
  if (!(await core.store.outbox.hasWorkDue(due))) return { claimed: [], givenUp: [] };
  return core.store.transaction(async (tx) => {
    const givenUp = (await tx.outbox.giveUpExpired({ ...due, reason: EXPIRED_REASON })).map((row) => ({
      id: row.id,
      kind: row.kind as MailKind,
      reason: EXPIRED_REASON,
    }));
    const leaseUntilMs = nowMs + MAIL_LEASE_MS;
    const leased = await tx.outbox.claimDue({
      owner: options.owner,
      nowMs,
      leaseUntilMs,
      limit: options.limit ?? 1,
    });
    const claimed: ClaimedMail[] = [];
    for (const row of leased) {
      const body = tryOpenMailPayload(core, row);
      if (!body) {
        await tx.outbox.markFailed({ id: row.id, owner: options.owner, nowMs, lastError: UNREADABLE_REASON });
        givenUp.push({ id: row.id, kind: row.kind as MailKind, reason: UNREADABLE_REASON });
        continue;
      }
      claimed.push({
        id: row.id,
        kind: row.kind as MailKind,
        to: row.recipient,
        subject: body.subject,
        text: body.text,
        html: body.html,
        attempts: row.attempts,
        leaseUntilMs,
      });
    }
    return { claimed, givenUp };
  });
}
