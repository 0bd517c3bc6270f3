import type Database from 'better-sqlite3';
import { noteCommit } from './durable-commits.js';
import type { Db } from './open.js';

declare const inWriteTransaction: unique symbol;

/**
 * The core's `Db` inside `writeTransaction`. Every query on that connection is part of the
 * open transaction; the type only proves that a caller is inside one.
 */
export type Tx = Db & { readonly [inWriteTransaction]: true };

type Runner = Database.Transaction<(fn: (tx: Tx) => unknown, tx: Tx) => unknown>;

/**
 * One better-sqlite3 transaction function per connection: drizzle's `db.transaction` builds
 * a transaction object and better-sqlite3 a set of wrappers on every call, a visible cost
 * on a login.
 */
const runners = new WeakMap<Database.Database, Runner>();

/**
 * Runs `fn` in a write transaction taken up front (BEGIN IMMEDIATE), so two processes
 * on one file serialize their read-then-write sequences instead of failing on upgrade.
 * Throwing rolls it back.
 */
export function writeTransaction<T>(db: Db, fn: (tx: Tx) => T): T {
  let runner = runners.get(db.$client);
  if (runner === undefined) {
    runner = db.$client.transaction((inner: (tx: Tx) => unknown, tx: Tx) => inner(tx));
    runners.set(db.$client, runner);
  }
  const result = runner.immediate(fn, db as Tx) as T;
  noteCommit(db.$client);
  return result;
}
