import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../context.js';
import { listSecurityEvents } from '../../events/list.js';
import { createTestConfig } from '../../testing/create-test-core.js';
import { ManualClock } from '../../testing/manual-clock.js';
import { migrateUpTo } from '../../testing/migrate-up-to.js';
import { migrateDatabase } from './migrate.js';
import { closeDatabase, type Db, openDatabase } from './open.js';
import { sqliteStoreOn } from './store.js';

let dir: string;
let db: Db | undefined;
afterEach(() => {
  if (db) closeDatabase(db);
  db = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('0002 keeps every security event, its id and its order within a millisecond', async () => {
    dir = mkdtempSync(join(tmpdir(), 'twofold-migrate-'));
    db = openDatabase(join(dir, 'twofold.sqlite'));
    migrateUpTo(db, '0001_mail_delivery');
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

    const core = createCore({
      store: sqliteStoreOn(db),
      clock: new ManualClock(),
      config: createTestConfig(),
    });
    expect((await listSecurityEvents(core, 'u1')).events.map((e) => [e.id, e.type])).toEqual([
      ['a', 'login_succeeded'],
      ['b', 'second_factor_locked'],
      ['c', 'second_factor_failed'],
    ]);
    // Only the by-user index is left for a login to write.
    const indexes = sqlite.prepare("SELECT name FROM pragma_index_list('security_events')").all();
    expect(indexes).toEqual([{ name: 'security_events_user_idx' }]);
  });
});
