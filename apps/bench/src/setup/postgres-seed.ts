import type { Core, PostgresStore, Store } from '@twofold/core';
import type { SeedMfaUser } from '@twofold/core/testing';
import { quoteIdentifier as quote } from './postgres-schema.js';
import { CAPTURED, captureSeedRows, type Row } from './seed-capture.js';

/**
 * The bench's fast way to seed many users on PostgreSQL. `seedMfaUsers` writes three rows
 * per user, one INSERT each: over a socket that is ~1.6 ms a user (over a minute for 40 000).
 * Here its rows are captured (`seed-capture.ts`) and go in as multi-row INSERTs, parents first.
 */

export type { Row };

/** Rows per INSERT: the widest row (Twofold's users, 9 columns) stays far below PostgreSQL's 65 535 parameters. */
const INSERT_BATCH_ROWS = 2_000;

/** Where multi-row INSERTs go: a pool whose connections see the schema (a store, or the peer's). */
export type SchemaPool = Pick<PostgresStore, 'pool' | 'schemaName'>;

export const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The rows (all with the first row's keys) as multi-row INSERTs; `column` names a key's column. */
export async function insertRows(
  store: SchemaPool,
  table: string,
  rows: readonly Row[],
  column: (key: string) => string = snakeCase,
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const keys = Object.keys(first);
  const columns = keys.map((key) => quote(column(key))).join(', ');
  for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
    const batch = rows.slice(start, start + INSERT_BATCH_ROWS);
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const placeholders = keys.map((key) => {
        values.push(row[key]);
        return `$${values.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await store.pool.query(
      `INSERT INTO ${quote(store.schemaName)}.${quote(table)} (${columns}) VALUES ${tuples.join(', ')}`,
      values,
    );
  }
}

export function isPostgresStore(store: Store): store is PostgresStore {
  return store.dialect === 'postgres' && 'pool' in store;
}

/** Every table of the store's schema, quoted and comma-separated (for ANALYZE). */
export async function tablesOf(store: SchemaPool): Promise<string> {
  const result = await store.pool.query<{ name: string }>(
    'SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY tablename',
    [store.schemaName],
  );
  return result.rows.map((row) => `${quote(store.schemaName)}.${quote(row.name)}`).join(', ');
}

/** What `seedMfaUsers(core, seeds)` writes, in a few dozen statements. */
export async function seedPostgresUsersInBulk(
  core: Core,
  store: PostgresStore,
  seeds: readonly SeedMfaUser[],
): Promise<void> {
  const rows = await captureSeedRows(core, seeds);
  for (const { repository, table } of CAPTURED) await insertRows(store, table, rows[repository]);
}
