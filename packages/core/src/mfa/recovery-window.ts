import type { OpenRecoveryWindow } from '../store/repositories/recovery-windows.js';
import type { Repositories, Tx } from '../store/store.js';

/** The user's open recovery window (unexpired, unused) and the hash of the code that opened it. */
export function findOpenRecoveryWindow(
  repos: Repositories,
  userId: string,
  nowMs: number,
): Promise<OpenRecoveryWindow | undefined> {
  return repos.recoveryWindows.findOpen({ userId, nowMs });
}

/** Once: true only for the request whose UPDATE closed the window. */
export function useRecoveryWindow(
  tx: Tx,
  userId: string,
  nowMs: number,
  recoveryCodeId?: string,
): Promise<boolean> {
  return tx.recoveryWindows.use({ userId, nowMs, recoveryCodeId });
}
