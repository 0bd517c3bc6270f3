import { and, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { HousekeepingRepository, PurgeKind } from '../repositories/housekeeping.js';
import type { PgDb } from './db.js';
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
const TARGETS: Record<PurgeKind, { table: PgTable; olderThan(cutoff: number): SQL | undefined }> = {
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

export class PostgresHousekeepingRepository implements HousekeepingRepository {
  constructor(private readonly db: PgDb) {}

  async deleteBatch(kind: PurgeKind, cutoff: number, limit: number): Promise<number> {
    const { table, olderThan } = TARGETS[kind];
    // ctid: the row's physical address, which every table has, whatever its primary key.
    const batch = this.db.select({ ctid: sql`ctid` }).from(table).where(olderThan(cutoff)).limit(limit);
    const rows = await this.db
      .delete(table)
      .where(inArray(sql`ctid`, batch))
      .returning({ one: sql<number>`1` });
    return rows.length;
  }
}
