import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { assertNoIdentifierCollisions } from './identifier-collisions.js';
import type { Db } from './open.js';

/** The committed drizzle-kit migrations ship beside `dist/` in this package. */
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle/sqlite', import.meta.url));

/** Throws `IdentifierCollisionError`, with nothing applied, on data the schema cannot take. */
export function migrateDatabase(db: Db): void {
  assertNoIdentifierCollisions(db.$client);
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
