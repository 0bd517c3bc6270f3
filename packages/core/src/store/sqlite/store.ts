import { AsyncLocalStorage } from 'node:async_hooks';
import type { Repositories, Store, Tx } from '../store.js';
import { lockOf, releaseLockOf } from './connection-lock.js';
import { noteCommit, settleCommits } from './durable-commits.js';
import { gated } from './gated.js';
import { countPendingMigrations } from './migrate.js';
import { closeDatabase, type Db, openDatabase } from './open.js';
import { createSqliteRepositories } from './repositories.js';

/** The embedded store: one better-sqlite3 connection on a file in DATA_DIR. */
export interface SqliteStore extends Store {
  readonly dialect: 'sqlite';
  /** The drizzle handle, for migrations and the tests that inspect rows. */
  readonly db: Db;
}

export interface SqliteStoreOptions {
  /**
   * Makes a call on the store from inside one of its transactions throw (it would wait
   * forever for the lock its own transaction holds). Tests turn it on; it costs on every
   * promise, so production does not.
   */
  detectMisuse?: boolean;
}

/**
 * Opens (creating if needed) the SQLite file and wraps it as a `Store`. Statements run
 * synchronously; a transaction is BEGIN IMMEDIATE … COMMIT around an async function, with
 * the connection locked (connection-lock.ts) until it ends. Another process on the same
 * file waits on SQLite's own lock (busy timeout).
 */
export function openSqliteStore(filename: string, options: SqliteStoreOptions = {}): SqliteStore {
  return sqliteStoreOn(openDatabase(filename), options);
}

export function sqliteStoreOn(db: Db, options: SqliteStoreOptions = {}): SqliteStore {
  const sqlite = db.$client;
  const lock = lockOf(sqlite.name);
  const insideTransaction = options.detectMisuse ? new AsyncLocalStorage<true>() : undefined;
  const repositories = createSqliteRepositories(db);
  const tx = repositories as Tx;
  const root = Object.fromEntries(
    Object.entries(repositories).map(([name, repository]) => [
      name,
      gated(repository, lock, insideTransaction),
    ]),
  ) as unknown as Repositories;
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');

  async function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (insideTransaction?.getStore()) throw new Error('store.transaction called inside a transaction');
    if (!lock.tryAcquire()) await lock.acquire();
    try {
      begin.run();
      try {
        const result = await (insideTransaction ? insideTransaction.run(true, () => fn(tx)) : fn(tx));
        commit.run();
        noteCommit(sqlite);
        return result;
      } catch (error) {
        if (sqlite.inTransaction) rollback.run();
        throw error;
      }
    } finally {
      lock.release();
    }
  }

  return {
    ...root,
    dialect: 'sqlite',
    db,
    transaction,
    settle: () => settleCommits(sqlite),
    async ping() {
      sqlite.prepare('SELECT 1').get();
    },
    async countPendingMigrations() {
      return countPendingMigrations(db);
    },
    async close() {
      closeDatabase(db);
      releaseLockOf(sqlite.name, lock);
    },
  };
}
