import type { Tx } from '../store/store.js';

/** Marks the code used; false if a parallel request used it first (one row decides). */
export function consumeRecoveryCode(tx: Tx, codeId: string, nowMs: number): Promise<boolean> {
  return tx.recoveryCodes.consume({ id: codeId, nowMs });
}
