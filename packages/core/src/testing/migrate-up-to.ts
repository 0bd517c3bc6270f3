import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { Pool } from 'pg';
import type { Db } from '../store/sqlite/open.js';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle/sqlite', import.meta.url));
const PG_MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle/postgres', import.meta.url));

/**
 * Applies the committed migrations up to and including `tag` only: a database as a release
 * of that schema left it, for tests of what later migrations do with its data.
 */
export function migrateUpTo(db: Db, tag: string): void {
  const copy = migrationsUpTo(MIGRATIONS_FOLDER, tag);
  try {
    migrate(db, { migrationsFolder: copy.folder });
  } finally {
    copy.remove();
  }
}

/** The same for a PostgreSQL schema (the pool's search_path names it, as openPostgresStore sets). */
export async function migratePostgresUpTo(pool: Pool, schemaName: string, tag: string): Promise<void> {
  const copy = migrationsUpTo(PG_MIGRATIONS_FOLDER, tag);
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schemaName}"`);
    await migratePg(drizzle({ client: pool }), {
      migrationsFolder: copy.folder,
      migrationsSchema: schemaName,
    });
  } finally {
    copy.remove();
  }
}

/** A copy of the migrations in `from` whose journal ends at `tag`. */
function migrationsUpTo(from: string, tag: string): { folder: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'twofold-migrations-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const folder = join(dir, 'drizzle');
    cpSync(from, folder, { recursive: true });
    const journalFile = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const last = journal.entries.findIndex((entry) => entry.tag === tag);
    if (last === -1) throw new Error(`no migration ${tag}`);
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
    return { folder, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
