import type { PostgresStore } from '../store/postgres/store.js';
import { openPostgresStore } from '../store/postgres/store.js';
import { closeDatabase, openDatabase } from '../store/sqlite/open.js';
import type { SqliteStore } from '../store/sqlite/store.js';
import { openSqliteStore } from '../store/sqlite/store.js';
import type { Store } from '../store/store.js';
import { TEST_DATABASE_URL } from './test-store.js';

const sqliteFileOf = (store: SqliteStore) => store.db.$client.name;

/**
 * Another store on the database of `store` (a test store), with connections of its own, as a
 * second server process would open it. Close it before the test store.
 */
export function openSameDatabaseStore(store: Store): Store {
  if (store.dialect === 'sqlite')
    return openSqliteStore(sqliteFileOf(store as SqliteStore), { detectMisuse: true });
  return openPostgresStore(TEST_DATABASE_URL, {
    schemaName: (store as PostgresStore).schemaName,
    detectMisuse: true,
    maxConnections: 4,
  });
}

/**
 * From another connection, blocks writes to the outbox until the returned function is called,
 * as a long write transaction of another process would: SQLite's database write lock
 * (BEGIN IMMEDIATE), or on PostgreSQL a lock on the outbox table that conflicts with every
 * write but no read. Throws if a transaction of the store under test holds it already.
 */
export async function holdOutboxWriteLock(store: Store): Promise<() => Promise<void>> {
  if (store.dialect === 'sqlite') {
    const other = openDatabase(sqliteFileOf(store as SqliteStore));
    try {
      other.$client.exec('BEGIN IMMEDIATE');
    } catch (error) {
      closeDatabase(other);
      throw error;
    }
    return async () => {
      other.$client.exec('ROLLBACK');
      closeDatabase(other);
    };
  }
  const client = await (store as PostgresStore).pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL lock_timeout = '2s'");
    await client.query('LOCK TABLE outbox IN EXCLUSIVE MODE');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
    throw error;
  }
  return async () => {
    await client.query('ROLLBACK');
    client.release();
  };
}
