import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { recoveryCodes } from '../db/schema/index.js';
import type { Tx } from '../db/transaction.js';
import type { HashedCode } from './match.js';

export function findUnusedRecoveryCodes(db: Db | Tx, userId: string): HashedCode[] {
  return db
    .select({ id: recoveryCodes.id, codeHash: recoveryCodes.codeHash })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .all();
}
