import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { assertNoIdentifierCollisions } from './identifier-collisions.js';
import type { Db } from './open.js';

/** The committed drizzle-kit migrations ship beside `dist/` in this package. */
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle/sqlite', import.meta.url));

/** Throws `IdentifierCollisionError`, with nothing applied, on data the schema cannot take. */
export function migrateDatabase(db: Db): void {
  assertNoIdentifierCollisions(db.$client);
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

let committedMigrationTimes: number[] | undefined;

/**
 * Committed migrations this database has not applied. drizzle applies those newer than the
 * newest it recorded, so that comparison is what "migrated" means here too.
 */
export function countPendingMigrations(db: Db): number {
  committedMigrationTimes ??= readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map(
    (migration) => migration.folderMillis,
  );
  const sqlite = db.$client;
  const hasTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  const newest = hasTable
    ? (
        sqlite.prepare('SELECT max(created_at) AS at FROM __drizzle_migrations').get() as {
          at: number | null;
        }
      ).at
    : null;
  return committedMigrationTimes.filter((at) => newest === null || Number(newest) < at).length;
}
