import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestCore, type StoreTestCore, testSql } from '../testing/index.js';
import { checkReadiness } from './check-readiness.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

describe('checkReadiness', () => {
  it('is ready on a migrated database', async () => {
    expect(await checkReadiness(t.core)).toEqual({
      isReady: true,
      database: 'reachable',
      migrations: 'applied',
    });
  });

  it('is not ready when the newest migration is missing', async () => {
    // drizzle's SQLite table has no usable id (SERIAL is no autoincrement there): match the time.
    await testSql(t.core).run(
      'DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)',
    );
    expect(await checkReadiness(t.core)).toEqual({
      isReady: false,
      database: 'reachable',
      migrations: 'pending',
    });
  });
});
