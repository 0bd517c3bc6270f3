import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Core, type CoreConfig, createCore } from '../context.js';
import { migrateDatabase } from '../store/sqlite/migrate.js';
import type { Db } from '../store/sqlite/open.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/store.js';
import { ManualClock } from './manual-clock.js';

export interface TestCore {
  core: Core;
  clock: ManualClock;
  /** Path of the SQLite file, for tests that inspect what is stored. */
  databaseFile: string;
  config: CoreConfig;
  /** The SQLite store under `core`, for tests that inspect or shape rows directly. */
  store: SqliteStore;
  close(): Promise<void>;
}

export function createTestConfig(overrides: Partial<CoreConfig> = {}): CoreConfig {
  return {
    issuer: 'Twofold',
    publicUrl: 'http://127.0.0.1:3000',
    jwtSecret: new Uint8Array(randomBytes(32)),
    encryptionKeys: [new Uint8Array(randomBytes(32))],
    tokenHashKey: new Uint8Array(randomBytes(32)),
    ...overrides,
  };
}

/** A fresh, migrated SQLite file in a temp folder, a manual clock, and a core over them. */
export function createTestCore(overrides: Partial<CoreConfig> = {}): TestCore {
  const dir = mkdtempSync(join(tmpdir(), 'twofold-test-'));
  const databaseFile = join(dir, 'twofold.sqlite');
  // Tests catch a rule that calls the store inside its own transaction (a deadlock on SQLite).
  const store = openSqliteStore(databaseFile, { detectMisuse: true });
  migrateDatabase(store.db);
  const clock = new ManualClock();
  const config = createTestConfig(overrides);
  const core = createCore({ store, clock, config });
  return {
    core,
    clock,
    databaseFile,
    config,
    store,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The drizzle handle of a core on the SQLite store, for tests that inspect or shape rows. */
export function sqliteDbOf(core: Core): Db {
  const { store } = core;
  if (store.dialect !== 'sqlite' || !('db' in store)) throw new Error('this test reads SQLite rows');
  return (store as SqliteStore).db;
}
