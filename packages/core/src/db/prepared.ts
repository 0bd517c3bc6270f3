import type Database from 'better-sqlite3';
import type { Db } from './open.js';

/**
 * Builds a module's prepared queries once per database connection. A prepared query
 * (`sql.placeholder` + `.prepare()`) skips drizzle's query building on every call, which
 * on the hot path costs more than running the statement. It belongs to the connection it
 * was built on, so it runs inside whatever transaction is open there: call it with the
 * core's `Db` inside `writeTransaction(core.db, …)` and it is part of that transaction.
 */
export function preparedPerDb<T>(build: (db: Db) => T): (db: Db) => T {
  const byConnection = new WeakMap<Database.Database, T>();
  return (db) => {
    let prepared = byConnection.get(db.$client);
    if (prepared === undefined) {
      prepared = build(db);
      byConnection.set(db.$client, prepared);
    }
    return prepared;
  };
}
