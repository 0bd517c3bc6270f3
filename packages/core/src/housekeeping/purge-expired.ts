import { setImmediate as nextTurn } from 'node:timers/promises';
import { PROVEN_LOGIN_TTL_SECONDS } from '../auth/proven-login.js';
import { nowSeconds } from '../clock.js';
import type { Core } from '../context.js';
import { NOTICE_WINDOW_MS } from '../notices/budget.js';
import { PURGE_KINDS, type PurgeKind } from '../store/repositories/housekeeping.js';
import { releaseUnverifiedAccounts } from './release-unverified.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** docs/contract.md § Housekeeping: security events are kept a year unless the operator says otherwise. */
export const SECURITY_EVENTS_RETENTION_DAYS = 365;
/**
 * A failure counter untouched this long (and not locked) is forgotten. Far longer than any lock
 * (1 h) or quiet reset (15 min), so forgetting costs a guesser a month per fresh budget.
 */
export const FAILURE_COUNTER_RETENTION_SECONDS = 30 * 24 * 3600;
/**
 * Expired emailed-code requests (MFA reset, forgotten password, address verification) stay a
 * day past their end: the daily caps count the requests made in the last day
 * (docs/contract.md § Reset by email, § Forgotten password), so none of those may go.
 */
const EMAILED_REQUEST_KEEP_AFTER_EXPIRY_MS = DAY_MS;
/** Rows deleted per write transaction: a backlog never holds the write lock for long. */
export const HOUSEKEEPING_BATCH_ROWS = 500;

export interface PurgeExpiredOptions {
  /** Days security events are kept (`SECURITY_EVENTS_RETENTION_DAYS`). */
  securityEventsRetentionDays?: number;
  batchRows?: number;
  /** Stops between batches (server shutdown); what is left goes on the next run. */
  signal?: AbortSignal;
}

/** Rows deleted per kind, and `released-accounts`: accounts that gave their unverified address back. */
export type PurgeCounts = Record<PurgeKind | 'released-accounts', number>;

/** The cutoff of each kind, in the unit its column holds (see the housekeeping repository). */
function cutoffsOf(core: Core, eventsRetentionDays: number): Record<PurgeKind, number> {
  const now = core.clock.now();
  return {
    'mfa-tokens': now,
    'mfa-enrollments': now,
    'webauthn-challenges': now,
    'recovery-windows': now,
    'reset-requests': now - EMAILED_REQUEST_KEEP_AFTER_EXPIRY_MS,
    sessions: now,
    'trusted-devices': now,
    'password-resets': now - EMAILED_REQUEST_KEEP_AFTER_EXPIRY_MS,
    'email-verifications': now - EMAILED_REQUEST_KEEP_AFTER_EXPIRY_MS,
    'email-changes': now,
    'held-previous-emails': now,
    'failure-counters': nowSeconds(core.clock) - FAILURE_COUNTER_RETENTION_SECONDS,
    'known-login-addresses': now - PROVEN_LOGIN_TTL_SECONDS * 1000,
    // A window over counts nothing: the next notice starts a new one.
    'notice-budgets': now - NOTICE_WINDOW_MS,
    'security-events': now - eventsRetentionDays * DAY_MS,
  };
}

/**
 * Deletes what no rule reads any more: expired single-use rows (MFA tokens, enrollments,
 * WebAuthn challenges, recovery windows, reset requests, password resets, address
 * verifications), expired sessions and trusted devices, stale failure counters, known
 * login addresses and notice windows, and security events past their retention; first, the
 * accounts that release their unverified address (docs/contract.md § Verified addresses). Each
 * kind goes in batches, each its own short write transaction, yielding to the event loop between
 * them. Idempotent, so several instances may run it at once. Answers the rows deleted per kind.
 */
export async function purgeExpired(core: Core, options: PurgeExpiredOptions = {}): Promise<PurgeCounts> {
  const batchRows = Math.max(1, options.batchRows ?? HOUSEKEEPING_BATCH_ROWS);
  const cutoffs = cutoffsOf(core, options.securityEventsRetentionDays ?? SECURITY_EVENTS_RETENTION_DAYS);
  const counts = Object.fromEntries(PURGE_KINDS.map((kind) => [kind, 0])) as PurgeCounts;
  counts['released-accounts'] = await releaseUnverifiedAccounts(core, { batchRows, signal: options.signal });
  for (const kind of PURGE_KINDS) {
    while (!options.signal?.aborted) {
      const deleted = await core.store.transaction((tx) =>
        tx.housekeeping.deleteBatch(kind, cutoffs[kind], batchRows),
      );
      counts[kind] += deleted;
      if (deleted < batchRows) break;
      await nextTurn();
    }
  }
  return counts;
}
