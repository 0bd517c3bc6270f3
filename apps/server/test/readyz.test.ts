import { closeDatabase, openDatabase } from '@twofold/core';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from './support/http.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /readyz (SQLite)', () => {
  it('is 200 on a migrated database and 503 once a committed migration is missing; /healthz only pings', async () => {
    server = await startTestServer();
    const ready = await request(server.url, 'GET', '/readyz', { unchecked: true });
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready', database: 'reachable', migrations: 'applied' });
    expect(ready.headers.get('cache-control')).toBeNull();

    // Another process (an older binary, a restore) left the file without the newest migration.
    const other = openDatabase(server.databaseFile);
    other.$client
      .prepare(
        'DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)',
      )
      .run();
    closeDatabase(other);

    const notReady = await request(server.url, 'GET', '/readyz', { unchecked: true });
    expect(notReady.status).toBe(503);
    expect(notReady.json).toEqual({ status: 'unavailable', database: 'reachable', migrations: 'pending' });
    expect((await request(server.url, 'GET', '/healthz', { unchecked: true })).status).toBe(200);
  });
});
