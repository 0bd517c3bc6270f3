import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migratePostgres, quoteIdentifier } from '../store/postgres/migrate.js';
import { openPostgresStore } from '../store/postgres/store.js';
import { migrateDatabase } from '../store/sqlite/migrate.js';
import { openSqliteStore } from '../store/sqlite/store.js';
import type { Store, StoreDialect } from '../store/store.js';

/** The PostgreSQL the machine runs (README § Tests); point the tests elsewhere with this variable. */
export const TEST_DATABASE_URL =
  process.env.TWOFOLD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Which store the tests of this process run on: vitest's projects set it (vitest.config.ts). */
export function testStoreDialect(): StoreDialect {
  const dialect = process.env.TWOFOLD_TEST_STORE ?? 'sqlite';
  if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error(`TWOFOLD_TEST_STORE=${dialect}?`);
  return dialect;
}

/** Test schemas are named `t_<epoch s>_<random>`, so a run can drop what crashed runs left. */
const TEST_SCHEMA_PREFIX = 't_';

/** A schema name no other test uses; `dropSchemas` removes it (a later run does, if this one crashes). */
export function newTestSchemaName(): string {
  return `${TEST_SCHEMA_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(6).toString('hex')}`;
}

export interface OpenedTestStore {
  store: Store;
  /** Removes everything the store held (the SQLite folder, the PostgreSQL schema). */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated, empty database on the given store: a SQLite file in a temp folder, or a
 * schema of its own in the test PostgreSQL database. Misuse detection is on (a store call
 * inside its own transaction throws).
 */
export async function openTestStore(dialect: StoreDialect = testStoreDialect()): Promise<OpenedTestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'twofold-test-'));
    const store = openSqliteStore(join(dir, 'twofold.sqlite'), { detectMisuse: true });
    migrateDatabase(store.db);
    return {
      store,
      async destroy() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schemaName = newTestSchemaName();
  const store = openPostgresStore(TEST_DATABASE_URL, { schemaName, detectMisuse: true, maxConnections: 20 });
  await migratePostgres(store.pool, schemaName);
  return {
    store,
    async destroy() {
      await store.close();
      await dropSchemas([schemaName]);
    },
  };
}

/** Drops the given schemas with everything in them, on a connection of its own. */
export async function dropSchemas(schemaNames: readonly string[]): Promise<void> {
  if (schemaNames.length === 0) return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const name of schemaNames)
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(name)} CASCADE`);
  } finally {
    await client.end();
  }
}
