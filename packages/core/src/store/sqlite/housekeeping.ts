import { and, inArray, lt, type SQL, sql } from 'drizzle-orm';
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

/** Each kind's table and the condition "older than the cutoff" (see the repository). */
const TARGETS: Record<PurgeKind, { table: SQLiteTable; olderThan(cutoff: number): SQL | undefined }> = {
  'mfa-tokens': { table: mfaTokens, olderThan: (c) => lt(mfaTokens.expiresAtMs, c) },
  'mfa-enrollments': { table: mfaEnrollments, olderThan: (c) => lt(mfaEnrollments.expiresAtMs, c) },
  'webauthn-challenges': {
    table: webauthnChallenges,
    olderThan: (c) => lt(webauthnChallenges.expiresAtMs, c),
  },
  'recovery-windows': { table: recoveryWindows, olderThan: (c) => lt(recoveryWindows.expiresAtMs, c) },
  'reset-requests': { table: resetRequests, olderThan: (c) => lt(resetRequests.expiresAtMs, c) },
  sessions: { table: sessions, olderThan: (c) => lt(sessions.expiresAtMs, c) },
  'trusted-devices': { table: trustedDevices, olderThan: (c) => lt(trustedDevices.expiresAtMs, c) },
  'password-resets': { table: passwordResets, olderThan: (c) => lt(passwordResets.expiresAtMs, c) },
  'email-verifications': {
    table: emailVerifications,
    olderThan: (c) => lt(emailVerifications.expiresAtMs, c),
  },
  'email-changes': { table: emailChanges, olderThan: (c) => lt(emailChanges.undoExpiresAtMs, c) },
  // Only held previous emails have an end: the other identifiers' is null, never older.
  'held-previous-emails': { table: identifiers, olderThan: (c) => lt(identifiers.expiresAtMs, c) },
  'failure-counters': {
    table: failureCounters,
    olderThan: (c) => and(lt(failureCounters.updatedAtSeconds, c), lt(failureCounters.lockedUntilSeconds, c)),
  },
  'known-login-addresses': {
    table: knownLoginAddresses,
    olderThan: (c) => lt(knownLoginAddresses.lastLoginAtMs, c),
  },
  'notice-budgets': {
    table: noticeBudgets,
    olderThan: (c) => lt(noticeBudgets.windowStartedAtMs, c),
  },
  'security-events': { table: securityEvents, olderThan: (c) => lt(securityEvents.createdAtMs, c) },
};

export class SqliteHousekeepingRepository implements HousekeepingRepository {
  constructor(private readonly db: Db) {}

  async deleteBatch(kind: PurgeKind, cutoff: number, limit: number): Promise<number> {
    const { table, olderThan } = TARGETS[kind];
    // rowid: every one of these tables has one, whatever its primary key.
    const batch = this.db.select({ rowid: sql`rowid` }).from(table).where(olderThan(cutoff)).limit(limit);
    return this.db.delete(table).where(inArray(sql`rowid`, batch)).run().changes;
  }
}
