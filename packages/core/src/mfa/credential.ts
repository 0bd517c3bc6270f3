import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Core } from '../context.js';
import { open } from '../crypto/seal.js';
import type { Db } from '../db/open.js';
import { preparedPerDb } from '../db/prepared.js';
import {
  mfaCredentials,
  mfaEnrollments,
  recoveryCodes,
  recoveryWindows,
  resetRequests,
} from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';

export type MfaCredential = typeof mfaCredentials.$inferSelect;

const queries = preparedPerDb((db) => ({
  byUser: db
    .select()
    .from(mfaCredentials)
    .where(eq(mfaCredentials.userId, sql.placeholder('userId')))
    .prepare(),
  acceptTimeStep: db
    .update(mfaCredentials)
    .set({ lastTimeStep: sql`${sql.placeholder('timeStep')}` })
    .where(
      and(
        eq(mfaCredentials.userId, sql.placeholder('userId')),
        lt(mfaCredentials.lastTimeStep, sql.placeholder('timeStep')),
      ),
    )
    .prepare(),
}));

/** Inside a transaction, pass the core's `Db`: the query runs on its connection, in the transaction. */
export function findMfaCredential(db: Db, userId: string): MfaCredential | undefined {
  return queries(db).byUser.get({ userId });
}

/**
 * The user's TOTP secret (or pending one); undefined when the ciphertext does not open for
 * this user (sealed for another, or with a key no longer configured): then no code matches.
 */
export function openTotpSecret(
  core: Core,
  userId: string,
  credential: { secretCiphertext: string; keyId: string },
): string | undefined {
  try {
    return open(
      core.keyring,
      { ciphertext: credential.secretCiphertext, keyId: credential.keyId },
      { purpose: 'totp-secret', userId },
    );
  } catch {
    return undefined;
  }
}

/**
 * Records `timeStep` as the last accepted one, only if it is newer: of two parallel uses
 * of one code exactly one updates the row, and only that one succeeds. Run inside a write
 * transaction on `db`.
 */
export function recordAcceptedTimeStep(db: Db, userId: string, timeStep: number): boolean {
  return queries(db).acceptTimeStep.run({ userId, timeStep }).changes === 1;
}

/** Turns MFA off: the secret, every recovery code, any open recovery window and reset request go. */
export function deleteMfaState(tx: Tx, userId: string, nowMs: number): void {
  tx.delete(mfaCredentials).where(eq(mfaCredentials.userId, userId)).run();
  tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
  tx.delete(recoveryWindows).where(eq(recoveryWindows.userId, userId)).run();
  tx.delete(mfaEnrollments).where(eq(mfaEnrollments.userId, userId)).run();
  // Kept (not deleted) so their tokens still name a known request: 401, not 404.
  tx.update(resetRequests)
    .set({ consumedAt: nowMs })
    .where(and(eq(resetRequests.userId, userId), isNull(resetRequests.consumedAt)))
    .run();
}
