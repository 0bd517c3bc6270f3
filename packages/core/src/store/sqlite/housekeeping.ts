import { and, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { HousekeepingRepository, PurgeKind } from '../repositories/housekeeping.js';
import type { Db } from './open.js';
import {
  emailChanges,
  emailVerifications,
  failureCounters,
  identifiers,
  knownLoginAddresses,
  mfaEnrollments,
  mfaTokens,
  noticeBudgets,
  passwordResets,
  recoveryWindows,
  resetRequests,
  securityEvents,
  sessions,
  trustedDevices,
  webauthnChallenges,
} from './schema/index.js';

/**
 * Each kind's table and the condition "ended at or before the cutoff" (see the repository): the
 * rules read a row as live only while its end is after now (`expiresAtMs > now`), so a row
 * whose end is now is already over for them, and for housekeeping.
 */
const TARGETS: Record<PurgeKind, { table: SQLiteTable; endedBy(cutoff: number): SQL | undefined }> = {
  'mfa-tokens': { table: mfaTokens, endedBy: (c) => lte(mfaTokens.expiresAtMs, c) },
  'mfa-enrollments': { table: mfaEnrollments, endedBy: (c) => lte(mfaEnrollments.expiresAtMs, c) },
  'webauthn-challenges': {
    table: webauthnChallenges,
    endedBy: (c) => lte(webauthnChallenges.expiresAtMs, c),
  },
  'recovery-windows': { table: recoveryWindows, endedBy: (c) => lte(recoveryWindows.expiresAtMs, c) },
  'reset-requests': { table: resetRequests, endedBy: (c) => lte(resetRequests.expiresAtMs, c) },
  sessions: { table: sessions, endedBy: (c) => lte(sessions.expiresAtMs, c) },
  'trusted-devices': { table: trustedDevices, endedBy: (c) => lte(trustedDevices.expiresAtMs, c) },
  'password-resets': { table: passwordResets, endedBy: (c) => lte(passwordResets.expiresAtMs, c) },
  'email-verifications': {
    table: emailVerifications,
    endedBy: (c) => lte(emailVerifications.expiresAtMs, c),
  },
  'email-changes': { table: emailChanges, endedBy: (c) => lte(emailChanges.undoExpiresAtMs, c) },
  // Only held previous emails have an end: the other identifiers' is null, never older.
  'held-previous-emails': { table: identifiers, endedBy: (c) => lte(identifiers.expiresAtMs, c) },
  'failure-counters': {
    table: failureCounters,
    endedBy: (c) => and(lte(failureCounters.updatedAtSeconds, c), lte(failureCounters.lockedUntilSeconds, c)),
  },
  'known-login-addresses': {
    table: knownLoginAddresses,
    endedBy: (c) => lte(knownLoginAddresses.lastLoginAtMs, c),
  },
  'notice-budgets': {
    table: noticeBudgets,
    endedBy: (c) => lte(noticeBudgets.windowStartedAtMs, c),
  },
  'security-events': { table: securityEvents, endedBy: (c) => lte(securityEvents.createdAtMs, c) },
};

export class SqliteHousekeepingRepository implements HousekeepingRepository {
  constructor(private readonly db: Db) {}

  async deleteBatch(kind: PurgeKind, cutoff: number, limit: number): Promise<number> {
    const { table, endedBy } = TARGETS[kind];
    // rowid: every one of these tables has one, whatever its primary key.
    const batch = this.db.select({ rowid: sql`rowid` }).from(table).where(endedBy(cutoff)).limit(limit);
    return this.db.delete(table).where(inArray(sql`rowid`, batch)).run().changes;
  }
}
