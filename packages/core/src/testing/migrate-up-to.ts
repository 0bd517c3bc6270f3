import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Db } from '../store/sqlite/open.js';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle/sqlite', import.meta.url));

/**
 * Applies the committed migrations up to and including `tag` only: a database as a release
 * of that schema left it, for tests of what later migrations do with its data.
 */
export function migrateUpTo(db: Db, tag: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'twofold-migrations-'));
  try {
    const folder = join(dir, 'drizzle');
    cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalFile = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const last = journal.entries.findIndex((entry) => entry.tag === tag);
    if (last === -1) throw new Error(`no migration ${tag}`);
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
    migrate(db, { migrationsFolder: folder });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
