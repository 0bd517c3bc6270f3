import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAdminKeys } from '../admin/keys.js';
import { type Core, createCore } from '../context.js';
import { listSecurityEvents } from '../events/list.js';
import { createTestConfig } from '../testing/create-test-core.js';
import { ManualClock } from '../testing/manual-clock.js';
import { migratePostgresUpTo, migrateUpTo } from '../testing/migrate-up-to.js';
import { outboxRows } from '../testing/read-outbox.js';
import { testSql } from '../testing/test-sql.js';
import {
  dropSchemas,
  newTestSchemaName,
  TEST_DATABASE_URL,
  testStoreDialect,
} from '../testing/test-store.js';
import { assertNotLocked, PASSWORD_POLICY } from '../throttle/failure-counter.js';
import { listWebAuthnCredentials } from '../webauthn/manage.js';
import { migratePostgres } from './postgres/migrate.js';
import { openPostgresStore } from './postgres/store.js';
import { migrateDatabase } from './sqlite/migrate.js';
import { openSqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

/** The last migration before every time column named its unit (docs/contract.md § Units). */
const BEFORE = { sqlite: '0016_account_lifecycle', postgres: '0010_account_lifecycle' } as const;

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

/** A database on this project's store, migrated only up to BEFORE, and a function that migrates the rest. */
async function openOldDatabase(): Promise<{ store: Store; upgrade(): Promise<void> }> {
  if (testStoreDialect() === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'twofold-units-'));
    const store = openSqliteStore(join(dir, 'twofold.sqlite'));
    cleanUps.push(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    migrateUpTo(store.db, BEFORE.sqlite);
    return { store, upgrade: async () => migrateDatabase(store.db) };
  }
  const schemaName = newTestSchemaName();
  const store = openPostgresStore(TEST_DATABASE_URL, { schemaName });
  cleanUps.push(async () => {
    await store.close();
    await dropSchemas([schemaName]);
  });
  await migratePostgresUpTo(store.pool, schemaName, BEFORE.postgres);
  return { store, upgrade: () => migratePostgres(store.pool, schemaName) };
}

const CREATED_MS = 1_790_000_000_000;
const NOW_MS = CREATED_MS + 60_000;
/** failure_counters held epoch seconds before the rename and still does. */
const LOCKED_UNTIL_SECONDS = NOW_MS / 1000 + 300;

/** Rows as a release before the rename wrote them, under the old column names. */
async function writeOldRows(core: Core): Promise<void> {
  const sql = testSql(core);
  await sql.run(
    "INSERT INTO users (id, username, email, name, password_hash, created_at) VALUES ('u1', 'ann', 'ann@example.test', 'Ann', 'x', ?)",
    CREATED_MS,
  );
  await sql.run(
    "INSERT INTO security_events (id, user_id, type, client_address, created_at) VALUES ('e1', 'u1', 'login_succeeded', '192.0.2.1', ?)",
    CREATED_MS + 1,
  );
  await sql.run(
    `INSERT INTO webauthn_credentials (id, user_id, credential_id, public_key, sign_count, transports, name,
       is_passwordless_allowed, is_backed_up, created_at, last_used_at)
     VALUES ('c1', 'u1', 'cred', 'key', 0, '[]', 'Key', FALSE, FALSE, ?, ?)`,
    CREATED_MS + 2,
    CREATED_MS + 3,
  );
  await sql.run(
    "INSERT INTO admin_keys (id, name, secret_hash, scopes, created_at, expires_at) VALUES ('k1', 'ops', 'h', 'users:read', ?, ?)",
    CREATED_MS + 4,
    CREATED_MS + 86_400_000,
  );
  await sql.run(
    `INSERT INTO outbox (id, kind, recipient, user_id, subject, status, attempts, next_attempt_at, lease_owner, lease_until, created_at)
     VALUES ('m1', 'new-sign-in', 'ann@example.test', 'u1', 'Hi', 'pending', 1, ?, 'w1', ?, ?)`,
    CREATED_MS + 5,
    CREATED_MS + 6,
    CREATED_MS + 7,
  );
  await sql.run(
    "INSERT INTO failure_counters (scope, subject, failures, lock_count, locked_until, updated_at) VALUES ('password', 's1', 5, 1, ?, ?)",
    LOCKED_UNTIL_SECONDS,
    NOW_MS / 1000,
  );
}

describe('the migration that names every time column with its unit', () => {
  it('keeps each value of an older database, under its new name and in the same unit', async () => {
    const { store, upgrade } = await openOldDatabase();
    const core = createCore({ store, clock: new ManualClock(NOW_MS), config: createTestConfig() });
    await writeOldRows(core);

    await upgrade();

    expect((await store.users.findById('u1'))?.createdAtMs).toBe(CREATED_MS);
    expect((await listSecurityEvents(core, 'u1')).events).toEqual([
      expect.objectContaining({ id: 'e1', createdAtMs: CREATED_MS + 1 }),
    ]);
    expect((await listWebAuthnCredentials(core, 'u1')).credentials).toEqual([
      expect.objectContaining({ id: 'c1', createdAtMs: CREATED_MS + 2, lastUsedAtMs: CREATED_MS + 3 }),
    ]);
    expect(await listAdminKeys(core)).toEqual([
      expect.objectContaining({
        id: 'k1',
        createdAtMs: CREATED_MS + 4,
        expiresAtMs: CREATED_MS + 86_400_000,
      }),
    ]);
    expect(await outboxRows(core)).toEqual([
      expect.objectContaining({
        id: 'm1',
        nextAttemptAtMs: CREATED_MS + 5,
        leaseUntilMs: CREATED_MS + 6,
        createdAtMs: CREATED_MS + 7,
      }),
    ]);
    // The lock still holds, and ends when it did: the seconds were kept as seconds.
    await expect(assertNotLocked(store, PASSWORD_POLICY, 's1', NOW_MS / 1000)).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      lockout: { lockedUntilSeconds: LOCKED_UNTIL_SECONDS, retryAfterSeconds: 300 },
    });
  });
});
