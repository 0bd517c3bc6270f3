// Invariant: while another connection holds the database's write lock longer than busy_timeout, writes answer 503 with a message (REST and tRPC), reads keep working, and the service recovers by itself once the lock is released.
import { openSqliteStore } from '@twofold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, registerAccount, request } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let alice: Account;
beforeAll(async () => {
  server = await startTestServer();
  alice = await registerAccount(server.url, 'lock');
});
afterAll(() => server.close());

describe('database locked', () => {
  it('503 while locked, then back to normal', async () => {
    const holder = openSqliteStore(server.databaseFile);
    const sqlite = holder.db.$client;
    sqlite.pragma('busy_timeout = 0');
    sqlite.exec('BEGIN EXCLUSIVE');
    try {
      const rest = await request(server.url, 'POST', '/api/register', {
        body: {
          name: 'Locked',
          email: 'locked@example.test',
          username: 'locked',
          password: 'long enough password',
        },
      });
      expect(rest.status).toBe(503);
      expect(rest.json).toEqual({ message: expect.stringMatching(/\w/), code: 'SERVICE_UNAVAILABLE' });

      const trpc = await request(server.url, 'POST', '/trpc/auth.login', {
        unchecked: true,
        body: { username: alice.username, password: 'not the password' },
      });
      expect(trpc.status).toBe(503);
      expect(trpc.json).toMatchObject({
        error: { message: expect.any(String), data: { appCode: 'SERVICE_UNAVAILABLE' } },
      });

      // WAL readers are not blocked by the writer's lock.
      expect((await request(server.url, 'GET', '/api/auth/user', { token: alice.token })).status).toBe(200);
      expect((await request(server.url, 'GET', '/healthz', { unchecked: true })).status).toBe(200);
    } finally {
      sqlite.exec('ROLLBACK');
      await holder.close();
    }

    const after = await request(server.url, 'POST', '/api/register', {
      body: {
        name: 'Locked',
        email: 'locked@example.test',
        username: 'locked',
        password: 'long enough password',
      },
    });
    expect(after.status).toBe(200);
    // The operator sees why: the storage fault is logged (by class and message, no request data).
    expect(
      server.logs.some((line) => line.includes('storage_unavailable') && line.includes('SQLITE_BUSY')),
    ).toBe(true);
  }, 60_000);
});
