import type { Tx } from '../store/store.js';

/** Bumps the user's session version, so every JWT issued before now is refused. Returns the new one. */
export async function endEarlierSessions(tx: Tx, userId: string): Promise<number> {
  const sessionVersion = await tx.users.bumpSessionVersion(userId);
  if (sessionVersion === undefined) throw new Error('user vanished while ending sessions');
  return sessionVersion;
}
