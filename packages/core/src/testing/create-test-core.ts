import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Core, type CoreConfig, createCore } from '../context.js';
import { migrateDatabase } from '../db/migrate.js';
import { closeDatabase, openDatabase } from '../db/open.js';
import { ManualClock } from './manual-clock.js';

export interface TestCore {
  core: Core;
  clock: ManualClock;
  /** Path of the SQLite file, for tests that inspect what is stored. */
  databaseFile: string;
  config: CoreConfig;
  close(): void;
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
  const db = openDatabase(databaseFile);
  migrateDatabase(db);
  const clock = new ManualClock();
  const config = createTestConfig(overrides);
  const core = createCore({ db, clock, config });
  return {
    core,
    clock,
    databaseFile,
    config,
    close() {
      closeDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
