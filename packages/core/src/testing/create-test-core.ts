import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Core, type CoreConfig, createCore } from '../context.js';
import type { Argon2Cost } from '../crypto/slow-hash.js';
import { migrateDatabase } from '../store/sqlite/migrate.js';
import type { Db } from '../store/sqlite/open.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/store.js';
import type { Store } from '../store/store.js';
import { ManualClock } from './manual-clock.js';
import { openTestStore } from './test-store.js';

/** A core on whichever store this test process runs on (`openTestCore`). */
export interface StoreTestCore {
  core: Core;
  clock: ManualClock;
  config: CoreConfig;
  store: Store;
  close(): Promise<void>;
}

/**
 * argon2id at its lowest sensible cost (1 MiB, one pass): a suite hashes thousands of
 * passwords and recovery codes, and at the production cost argon2 took two thirds of the core
 * suite's time. What is tested is the same: every hash still goes through argon2id and the
 * slow-hash queue. Tests of the cost itself ask for `productionArgon2`.
 */
export const TEST_ARGON2_COST: Argon2Cost = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface TestCoreOptions {
  /** Hash at the production cost (`ARGON2_OPTIONS`) instead of `TEST_ARGON2_COST`. */
  productionArgon2?: boolean;
}

const argon2CostOf = (options: TestCoreOptions) =>
  options.productionArgon2 ? {} : { unsafeTestArgon2Cost: TEST_ARGON2_COST };

/**
 * A fresh, migrated database on the store this test process runs on (SQLite or PostgreSQL,
 * see vitest.config.ts), a manual clock, and a core over them.
 */
export async function openTestCore(
  overrides: Partial<CoreConfig> = {},
  options: TestCoreOptions = {},
): Promise<StoreTestCore> {
  const opened = await openTestStore();
  const clock = new ManualClock();
  const config = createTestConfig(overrides);
  const core = createCore({ store: opened.store, clock, config, ...argon2CostOf(options) });
  return { core, clock, config, store: opened.store, close: () => opened.destroy() };
}

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
    publicUrl: 'http://localhost:3000',
    jwtSecret: new Uint8Array(randomBytes(32)),
    encryptionKeys: [new Uint8Array(randomBytes(32))],
    tokenHashKey: new Uint8Array(randomBytes(32)),
    ...overrides,
  };
}

/** A fresh, migrated SQLite file in a temp folder, a manual clock, and a core over them. */
export function createTestCore(overrides: Partial<CoreConfig> = {}, options: TestCoreOptions = {}): TestCore {
  const dir = mkdtempSync(join(tmpdir(), 'twofold-test-'));
  const databaseFile = join(dir, 'twofold.sqlite');
  // Tests catch a rule that calls the store inside its own transaction (a deadlock on SQLite).
  const store = openSqliteStore(databaseFile, { detectMisuse: true });
  migrateDatabase(store.db);
  const clock = new ManualClock();
  const config = createTestConfig(overrides);
  const core = createCore({ store, clock, config, ...argon2CostOf(options) });
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
