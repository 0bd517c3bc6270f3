import { eq, sql } from 'drizzle-orm';
import { users } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';

/** Bumps the user's session version, so every JWT issued before now is refused. Returns the new one. */
export function endEarlierSessions(tx: Tx, userId: string): number {
  const row = tx
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion })
    .get();
  if (!row) throw new Error('user vanished while ending sessions');
  return row.sessionVersion;
}
