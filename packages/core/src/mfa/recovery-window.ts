import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { recoveryCodes, recoveryWindows } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';

/** The user's open recovery window (unexpired, unused) and the hash of the code that opened it. */
export function findOpenRecoveryWindow(db: Db | Tx, userId: string, nowMs: number) {
  return db
    .select({ recoveryCodeId: recoveryWindows.recoveryCodeId, codeHash: recoveryCodes.codeHash })
    .from(recoveryWindows)
    .innerJoin(recoveryCodes, eq(recoveryCodes.id, recoveryWindows.recoveryCodeId))
    .where(
      and(
        eq(recoveryWindows.userId, userId),
        isNull(recoveryWindows.usedAt),
        gt(recoveryWindows.expiresAt, nowMs),
      ),
    )
    .get();
}

/** Once: true only for the request whose UPDATE closed the window. */
export function useRecoveryWindow(tx: Tx, userId: string, nowMs: number, recoveryCodeId?: string): boolean {
  return (
    tx
      .update(recoveryWindows)
      .set({ usedAt: nowMs })
      .where(
        and(
          eq(recoveryWindows.userId, userId),
          isNull(recoveryWindows.usedAt),
          gt(recoveryWindows.expiresAt, nowMs),
          recoveryCodeId === undefined ? undefined : eq(recoveryWindows.recoveryCodeId, recoveryCodeId),
        ),
      )
      .run().changes === 1
  );
}
