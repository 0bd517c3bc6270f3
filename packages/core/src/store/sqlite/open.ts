import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { closeGroupCommit, enableGroupCommit } from './durable-commits.js';
import * as schema from './schema/index.js';
import { cacheStatements } from './statement-cache.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if needed) a SQLite database. WAL lets readers run beside the one
 * writer; group commit (durable-commits.ts) keeps every answered write across a power cut
 * without an fsync per commit on the event loop.
 */
export function openDatabase(filename: string): Db {
  const sqlite = new Database(filename);
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (filename === ':memory:') sqlite.pragma('synchronous = FULL');
  else {
    sqlite.pragma('journal_mode = WAL');
    enableGroupCommit(sqlite, filename);
  }
  sqlite.pragma('foreign_keys = ON');
  cacheStatements(sqlite);
  return drizzle(sqlite, { schema, casing: 'snake_case' }) as Db;
}

export function closeDatabase(db: Db): void {
  closeGroupCommit(db.$client);
  if (db.$client.open) db.$client.close();
}
