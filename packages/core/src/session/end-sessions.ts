import type { Tx } from '../store/store.js';

/**
 * Ends every session of the user but `exceptId` (recover, reset: all of them; a password
 * change: all but its own). Their JWTs are refused from then on (docs/contract.md § Sessions).
 */
export async function endEarlierSessions(tx: Tx, userId: string, exceptId?: string): Promise<number> {
  return tx.sessions.endAllOfUser({ userId, exceptId });
}
