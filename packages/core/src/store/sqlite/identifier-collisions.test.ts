// Invariant: migrating a SQLite database whose existing users break the one namespace of usernames and emails refuses, naming the accounts, and changes nothing; one without collisions migrates with every identifier naming its account.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateUpTo } from '../../testing/index.js';
import { findUserByIdentifier } from '../../users/find.js';
import { migrateDatabase } from './migrate.js';
import { closeDatabase, openDatabase } from './open.js';
import { sqliteStoreOn } from './store.js';

describe('a database that already holds a collision', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'twofold-namespace-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The schema before the namespace was enforced, with rows it allowed. */
  function oldDatabase(rows: [id: string, username: string, email: string][]) {
    const db = openDatabase(join(dir, 'twofold.sqlite'));
    migrateUpTo(db, '0002_events_by_rowid');
    const insert = db.$client.prepare(
      "INSERT INTO users (id, username, email, name, password_hash, created_at) VALUES (?, ?, ?, 'n', 'x', 0)",
    );
    for (const row of rows) insert.run(...row);
    return db;
  }

  it('refuses to migrate, naming the accounts, and leaves the database as it was', () => {
    const db = oldDatabase([
      ['id-alice', 'alice', 'alice@example.test'],
      ['id-mallory', 'alice@example.test', 'mallory@example.test'],
      ['id-bob', 'bob', 'bob@example.test'],
    ]);
    try {
      const applied = () => db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get();
      const before = applied();
      let message = '';
      try {
        migrateDatabase(db);
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
      }
      expect(message).toMatch(/alice@example\.test/);
      expect(message).toMatch(/id-alice/);
      expect(message).toMatch(/id-mallory/);
      expect(message).not.toMatch(/id-bob/);
      expect(message).not.toContain('\n');
      expect(applied()).toEqual(before);
      const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE name = 'identifiers'").all();
      expect(tables).toEqual([]);
    } finally {
      closeDatabase(db);
    }
  });

  it('migrates a database without collisions, every username and email naming its account', async () => {
    const db = oldDatabase([
      ['id-gil', 'gil', 'gil@example.test'],
      ['id-hal', 'hal@example.test', 'hal@example.test'],
    ]);
    try {
      migrateDatabase(db);
      const store = sqliteStoreOn(db);
      expect((await findUserByIdentifier(store, 'gil'))?.id).toBe('id-gil');
      expect((await findUserByIdentifier(store, 'gil@example.test'))?.id).toBe('id-gil');
      expect((await findUserByIdentifier(store, 'hal@example.test'))?.id).toBe('id-hal');
      const claim = db.$client.prepare(
        'INSERT INTO identifiers (identifier, user_id, kind) VALUES (?, ?, ?)',
      );
      expect(() => claim.run('gil@example.test', 'id-hal', 'username')).toThrow(/UNIQUE|PRIMARY KEY/);
    } finally {
      closeDatabase(db);
    }
  });
});
