// Invariant: PostgreSQL dropping a connection that a request holds (a transaction's client, between two statements) fails that request, never the process, and the pool goes on with new connections.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { newTestSchemaName, TEST_DATABASE_URL } from '../../testing/test-store.js';
import { openPostgresStore, type PostgresStore } from './store.js';

let store: PostgresStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** Ends a backend from outside, as a restart or an operator's pg_terminate_backend would. */
async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

describe('a connection dropped while checked out', () => {
  it('fails the statement that follows, and the next request gets a new connection', async () => {
    store = openPostgresStore(TEST_DATABASE_URL, { schemaName: newTestSchemaName() });
    const client = await store.pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await terminate(rows[0]?.pid ?? 0);
    // The socket's end reaches the client while no query runs: without a listener of ours that
    // 'error' event would be an uncaught exception (vitest fails the run on one).
    await sleep(200);
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release(true);
    const again = await store.pool.query<{ one: number }>('SELECT 1 AS one');
    expect(again.rows).toEqual([{ one: 1 }]);
  });
});
