import { noteCommit } from './durable-commits.js';
import type { Db } from './open.js';

/** The handle drizzle passes inside `db.transaction`; queries accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Runs `fn` in a write transaction taken up front (BEGIN IMMEDIATE), so two processes
 * on one file serialize their read-then-write sequences instead of failing on upgrade.
 */
export function writeTransaction<T>(db: Db, fn: (tx: Tx) => T): T {
  const result = db.transaction(fn, { behavior: 'immediate' });
  noteCommit(db.$client);
  return result;
}
