import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Pool } from 'pg';

/** The committed drizzle-kit migrations for PostgreSQL ship beside `dist/` in this package. */
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle/postgres', import.meta.url));

/** One key for "migrating Twofold's schema", taken per database (pg_advisory_lock is database-wide). */
const MIGRATION_LOCK_KEY = 0x7477_6f66; // "twof"

/**
 * Applies the committed migrations to `schemaName`, holding an advisory lock for the whole
 * run, so instances that start at once migrate one after the other: the first applies them,
 * the others find nothing left to do.
 */
export async function migratePostgres(pool: Pool, schemaName: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schemaName)}`);
      await migrate(drizzle({ client }), {
        migrationsFolder: MIGRATIONS_FOLDER,
        // Beside the tables, so each schema (one per test, or per installation) keeps its own record.
        migrationsSchema: schemaName,
      });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

let committedMigrationTimes: number[] | undefined;

/** Committed migrations `schemaName` has not applied (drizzle applies those newer than its newest record). */
export async function countPendingPostgresMigrations(pool: Pool, schemaName: string): Promise<number> {
  committedMigrationTimes ??= readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map(
    (migration) => migration.folderMillis,
  );
  const table = `${quoteIdentifier(schemaName)}."__drizzle_migrations"`;
  const { rows } = await pool.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
    table,
  ]);
  const newest = rows[0]?.exists
    ? (await pool.query<{ at: string | number | null }>(`SELECT max(created_at) AS at FROM ${table}`)).rows[0]
        ?.at
    : null;
  return committedMigrationTimes.filter((at) => newest == null || Number(newest) < at).length;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names come from configuration; only plain lowercase identifiers are taken. */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain PostgreSQL identifier: ${name}`);
  return `"${name}"`;
}
