import { and, type Column, lte, type SQL } from 'drizzle-orm';
import type { PurgeKind } from './repositories/housekeeping.js';

/** A table of either store whose rows end at one time column. */
type Ending<TTable, TColumn extends string> = TTable & Record<TColumn, Column>;

/** The tables housekeeping purges, as both stores' schema modules export them. */
export interface PurgeSchema<TTable> {
  mfaTokens: Ending<TTable, 'expiresAtMs'>;
  mfaEnrollments: Ending<TTable, 'expiresAtMs'>;
  webauthnChallenges: Ending<TTable, 'expiresAtMs'>;
  recoveryWindows: Ending<TTable, 'expiresAtMs'>;
  resetRequests: Ending<TTable, 'expiresAtMs'>;
  sessions: Ending<TTable, 'expiresAtMs'>;
  trustedDevices: Ending<TTable, 'expiresAtMs'>;
  passwordResets: Ending<TTable, 'expiresAtMs'>;
  emailVerifications: Ending<TTable, 'expiresAtMs'>;
  emailChanges: Ending<TTable, 'undoExpiresAtMs'>;
  identifiers: Ending<TTable, 'expiresAtMs'>;
  failureCounters: Ending<TTable, 'updatedAtSeconds' | 'lockedUntilSeconds'>;
  knownLoginAddresses: Ending<TTable, 'lastLoginAtMs'>;
  noticeBudgets: Ending<TTable, 'windowStartedAtMs'>;
  securityEvents: Ending<TTable, 'createdAtMs'>;
}

export interface PurgeTarget<TTable> {
  table: TTable;
  /** The rows of `table` that ended at or before `cutoff`, in the unit of its column. */
  endedBy(cutoff: number): SQL | undefined;
}

/**
 * Each kind's table and the condition "ended at or before the cutoff" (see the repository), one
 * map for both stores: the rules read a row as live only while its end is after now
 * (`expiresAtMs > now`), so a row whose end is now is already over for them, and for housekeeping.
 */
export function purgeTargets<TTable>(s: PurgeSchema<TTable>): Record<PurgeKind, PurgeTarget<TTable>> {
  const endsAt = (table: TTable, column: Column): PurgeTarget<TTable> => ({
    table,
    endedBy: (cutoff) => lte(column, cutoff),
  });
  return {
    'mfa-tokens': endsAt(s.mfaTokens, s.mfaTokens.expiresAtMs),
    'mfa-enrollments': endsAt(s.mfaEnrollments, s.mfaEnrollments.expiresAtMs),
    'webauthn-challenges': endsAt(s.webauthnChallenges, s.webauthnChallenges.expiresAtMs),
    'recovery-windows': endsAt(s.recoveryWindows, s.recoveryWindows.expiresAtMs),
    'reset-requests': endsAt(s.resetRequests, s.resetRequests.expiresAtMs),
    sessions: endsAt(s.sessions, s.sessions.expiresAtMs),
    'trusted-devices': endsAt(s.trustedDevices, s.trustedDevices.expiresAtMs),
    'password-resets': endsAt(s.passwordResets, s.passwordResets.expiresAtMs),
    'email-verifications': endsAt(s.emailVerifications, s.emailVerifications.expiresAtMs),
    'email-changes': endsAt(s.emailChanges, s.emailChanges.undoExpiresAtMs),
    // Only held previous emails have an end: the other identifiers' is null, never older.
    'held-previous-emails': endsAt(s.identifiers, s.identifiers.expiresAtMs),
    'failure-counters': {
      table: s.failureCounters,
      endedBy: (cutoff) =>
        and(
          lte(s.failureCounters.updatedAtSeconds, cutoff),
          lte(s.failureCounters.lockedUntilSeconds, cutoff),
        ),
    },
    'known-login-addresses': endsAt(s.knownLoginAddresses, s.knownLoginAddresses.lastLoginAtMs),
    'notice-budgets': endsAt(s.noticeBudgets, s.noticeBudgets.windowStartedAtMs),
    'security-events': endsAt(s.securityEvents, s.securityEvents.createdAtMs),
  };
}
