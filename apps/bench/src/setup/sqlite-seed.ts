import { randomUUID } from 'node:crypto';
import type { Core } from '@twofold/core';
import { type SeedMfaUser, sqliteDbOf } from '@twofold/core/testing';
import type { Database, Statement } from 'better-sqlite3';
import { snakeCase } from './postgres-seed.js';
import { CAPTURED, captureSeedRows, type Row } from './seed-capture.js';

/**
 * The bench's fast way to seed many users on SQLite (the scale run seeds 1 000 000, issue 17:
 * in under 5 minutes). Through the repositories every row is an INSERT that drizzle builds
 * again (~250 µs a user, more as the tables outgrow SQLite's page cache). Here the rows
 * `seedMfaUsers` would write are captured in chunks and go in through a few prepared multi-row
 * INSERTs, all in one transaction, with a page cache that holds the whole database. The user ids
 * are random UUIDs as ever, drawn up front and handed out in sorted order: the four indexes keyed
 * by user id then fill at their end instead of at a random page each (1.8× faster at 200 000
 * users, and the gap grows with the table).
 */

/** Users captured (and sealed) per chunk: bounds the rows held in memory at once. */
const CHUNK_USERS = 20_000;
/** Rows per INSERT statement: 9 columns × 100 stays far below SQLite's 32 766 variables. */
const ROWS_PER_INSERT = 100;
/** Setup's page cache (KiB, as a negative cache_size): a 1M-user database (~1 GiB) fits. */
const SETUP_CACHE_KIB = 2_097_152;

/** better-sqlite3 binds numbers, strings, bigints, buffers and null: a boolean goes in as SQLite's 0/1. */
const bindable = (value: unknown) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

class TableInserter {
  private readonly statements = new Map<number, Statement>();

  constructor(
    private readonly db: Database,
    private readonly table: string,
    private readonly keys: readonly string[],
  ) {}

  private statementFor(rowCount: number): Statement {
    let statement = this.statements.get(rowCount);
    if (!statement) {
      const columns = this.keys.map((key) => `"${snakeCase(key)}"`).join(', ');
      const tuple = `(${this.keys.map(() => '?').join(', ')})`;
      statement = this.db.prepare(
        `INSERT INTO "${this.table}" (${columns}) VALUES ${Array(rowCount).fill(tuple).join(', ')}`,
      );
      this.statements.set(rowCount, statement);
    }
    return statement;
  }

  insert(rows: readonly Row[]): void {
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const batch = rows.slice(start, start + ROWS_PER_INSERT);
      const values: unknown[] = [];
      for (const row of batch) for (const key of this.keys) values.push(bindable(row[key]));
      this.statementFor(batch.length).run(values);
    }
  }
}

/** What `seedMfaUsers(core, seeds)` writes, bulk-loaded. */
export async function seedSqliteUsersInBulk(core: Core, seeds: readonly SeedMfaUser[]): Promise<void> {
  const db = sqliteDbOf(core).$client;
  const cacheSize = db.pragma('cache_size', { simple: true });
  db.pragma(`cache_size = -${SETUP_CACHE_KIB}`);
  try {
    const inserters = new Map<string, TableInserter>();
    const ids = Array.from({ length: seeds.length }, () => randomUUID()).sort();
    let nextId = 0;
    // seedMfaUsers draws one id per user; anything beyond falls back to a fresh one.
    const uuid = () => ids[nextId++] ?? randomUUID();
    // Capturing is async (it runs seedMfaUsers): BEGIN/COMMIT by hand around it.
    db.exec('BEGIN');
    try {
      for (let start = 0; start < seeds.length; start += CHUNK_USERS) {
        const rows = await captureSeedRows(core, seeds.slice(start, start + CHUNK_USERS), uuid);
        for (const { repository, table } of CAPTURED) {
          const tableRows = rows[repository];
          const first = tableRows[0];
          if (first === undefined) continue;
          let inserter = inserters.get(table);
          if (!inserter) {
            inserter = new TableInserter(db, table, Object.keys(first));
            inserters.set(table, inserter);
          }
          inserter.insert(tableRows);
        }
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
}
