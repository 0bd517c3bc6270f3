import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../context.js';
import { listSecurityEvents } from '../events/list.js';
import { createTestConfig } from '../testing/create-test-core.js';
import { ManualClock } from '../testing/manual-clock.js';
import { migrateDatabase } from './migrate.js';
import { closeDatabase, type Db, openDatabase } from './open.js';

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

let dir: string;
let db: Db | undefined;
afterEach(() => {
  if (db) closeDatabase(db);
  db = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** The migrations folder as it shipped up to `tag`: a database of that release. */
function migrationsUpTo(tag: string): string {
  const folder = join(dir, 'drizzle');
  cpSync(MIGRATIONS, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const last = journal.entries.findIndex((entry) => entry.tag === tag);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
  return folder;
}

describe('migrations', () => {
  it('0002 keeps every security event, its id and its order within a millisecond', () => {
    dir = mkdtempSync(join(tmpdir(), 'twofold-migrate-'));
    db = openDatabase(join(dir, 'twofold.sqlite'));
    migrate(db, { migrationsFolder: migrationsUpTo('0001_mail_delivery') });
    const sqlite = db.$client;
    sqlite
      .prepare(
        "INSERT INTO users (id, username, email, name, password_hash, created_at) VALUES ('u1', 'ann', 'ann@example.com', 'Ann', 'x', 0)",
      )
      .run();
    const insert = sqlite.prepare(
      "INSERT INTO security_events (id, user_id, type, client_address, created_at) VALUES (?, 'u1', ?, '192.0.2.1', ?)",
    );
    // Ids sort against insertion order, and two events share a millisecond.
    insert.run('c', 'second_factor_failed', 1_000);
    insert.run('b', 'second_factor_locked', 1_000);
    insert.run('a', 'login_succeeded', 2_000);

    migrateDatabase(db);

    const core = createCore({ db, clock: new ManualClock(), config: createTestConfig() });
    expect(listSecurityEvents(core, 'u1').events.map((e) => [e.id, e.type])).toEqual([
      ['a', 'login_succeeded'],
      ['b', 'second_factor_locked'],
      ['c', 'second_factor_failed'],
    ]);
    // Only the by-user index is left for a login to write.
    const indexes = sqlite.prepare("SELECT name FROM pragma_index_list('security_events')").all();
    expect(indexes).toEqual([{ name: 'security_events_user_idx' }]);
  });
});
