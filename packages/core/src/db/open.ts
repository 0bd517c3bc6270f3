import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema/index.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if needed) a SQLite database. WAL lets readers run beside the one
 * writer, and `synchronous = FULL` keeps every committed transaction across a power cut.
 */
export function openDatabase(filename: string): Db {
  const sqlite = new Database(filename);
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (filename !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  return drizzle(sqlite, { schema, casing: 'snake_case' }) as Db;
}

export function closeDatabase(db: Db): void {
  if (db.$client.open) db.$client.close();
}
