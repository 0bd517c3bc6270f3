import { and, eq, isNull } from 'drizzle-orm';
import { recoveryCodes } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';

/** Marks the code used; false if a parallel request used it first (one row decides). */
export function consumeRecoveryCode(tx: Tx, codeId: string, nowMs: number): boolean {
  const result = tx
    .update(recoveryCodes)
    .set({ usedAt: nowMs })
    .where(and(eq(recoveryCodes.id, codeId), isNull(recoveryCodes.usedAt)))
    .run();
  return result.changes === 1;
}
