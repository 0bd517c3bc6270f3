import type { Random } from '../random.js';

/**
 * How long a worker owns a claimed row. It must outlast one SMTP send (the worker aborts a
 * send after MAIL_SEND_TIMEOUT_MS), so a row is never taken over while still being sent.
 */
export const MAIL_LEASE_MS = 2 * 60_000;
export const MAIL_SEND_TIMEOUT_MS = 60_000;

/** Mail not delivered within a day is given up: reset codes expire after 24 h anyway. */
export const MAIL_DELIVERY_WINDOW_MS = 24 * 60 * 60_000;

/** First retry within 10 s, doubling up to an hour between attempts. */
export const MAIL_RETRY_BASE_DELAY_MS = 10_000;
export const MAIL_RETRY_MAX_DELAY_MS = 60 * 60_000;

/**
 * Delay before the next attempt after `failedAttempts` failures (≥ 1): exponential backoff
 * with "equal jitter" (half fixed, half random), so workers that failed together against
 * one outage do not all retry at the same instant, and the first retry stays within 10 s.
 */
export function retryDelayMs(failedAttempts: number, random: Random): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const ceiling = Math.min(MAIL_RETRY_BASE_DELAY_MS * 2 ** exponent, MAIL_RETRY_MAX_DELAY_MS);
  const half = Math.floor(ceiling / 2);
  return half + random.int(ceiling - half + 1);
}

/** What the transport reported about one failed send. */
export interface MailSendFailure {
  /** Short reason for the outbox row (SMTP reply or error code); may quote the stored recipient. */
  reason: string;
  /** SMTP reply code, when the server answered (nodemailer's `responseCode`). */
  responseCode?: number | undefined;
  /** SMTP command the reply answered (`RCPT TO`, `DATA`, `AUTH PLAIN`, …), when known. */
  command?: string | undefined;
}

export type MailFailureKind = 'permanent' | 'transient';

/**
 * A 5yz reply is a permanent rejection (RFC 5321 §4.2.1): the same message would get it
 * again, so retrying only delays the operator seeing it. Everything else is transient and
 * keeps the backoff: 4yz replies, network and TLS errors, anything without a reply. Two 5yz
 * replies are not about the message: 503 (bad sequence of commands, a session state that a
 * new connection clears) and a refused AUTH (our credentials, which the operator can fix
 * while the mail waits).
 */
export function classifyMailFailure(failure: Omit<MailSendFailure, 'reason'>): MailFailureKind {
  const { responseCode, command } = failure;
  if (responseCode === undefined || !Number.isInteger(responseCode)) return 'transient';
  if (responseCode < 500 || responseCode > 599 || responseCode === 503) return 'transient';
  if (command?.toUpperCase().startsWith('AUTH')) return 'transient';
  return 'permanent';
}
