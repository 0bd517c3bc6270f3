// Invariant: SIGTERM lets every in-flight request finish with its real answer, then the server closes the database cleanly and exits 0; nothing new is accepted meanwhile.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@twofold/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/start-server.js';
import { spawnServer } from '../support/child-server.js';
import { request } from '../support/http.js';
import { head, splitRequest } from '../support/raw-http.js';

const dataDir = mkdtempSync(join(tmpdir(), 'twofold-stop-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('graceful stop', () => {
  it('drains in-flight requests on SIGTERM, then exits 0 with the database closed', async () => {
    const server = await spawnServer({ DATA_DIR: dataDir });
    // Each request sends its headers and half its body, so it is surely in flight when
    // SIGTERM lands; the rest of the body follows only once shutdown has begun.
    const inFlight = Array.from({ length: 8 }, (_, i) => {
      const body = JSON.stringify({
        name: `Stop ${i}`,
        email: `stop${i}@example.test`,
        username: `stop${i}`,
        password: 'long enough password',
      });
      const half = Math.floor(body.length / 2);
      return splitRequest(
        server.url,
        head('POST', '/api/register', { 'Content-Type': 'application/json', 'Content-Length': body.length }) +
          body.slice(0, half),
        body.slice(half),
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.process.kill('SIGTERM');
    await expect.poll(() => server.output.join(''), { timeout: 5_000 }).toContain('"event":"shutdown"');
    for (const request of inFlight) request.sendRest();
    const results = await Promise.all(inFlight.map((r) => r.response));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await server.exited).toEqual({ code: 0, signal: null });

    // Closed cleanly: the WAL was checkpointed away and every registration is on disk.
    expect(existsSync(join(dataDir, `${DATABASE_FILE}-wal`))).toBe(false);
    const store = openSqliteStore(join(dataDir, DATABASE_FILE));
    try {
      expect(store.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(
        store.db.$client.prepare("SELECT count(*) AS n FROM users WHERE username LIKE 'stop%'").get(),
      ).toEqual({ n: 8 });
    } finally {
      await store.close();
    }
  });

  it('refuses new connections once stopping', async () => {
    const server = await spawnServer({ DATA_DIR: dataDir });
    const slow = request(server.url, 'POST', '/api/login', {
      body: { username: 'stop1', password: 'long enough password' },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.process.kill('SIGTERM');
    await expect.poll(() => server.output.join(''), { timeout: 5_000 }).toContain('"event":"shutdown"');
    // A new connection (no pooled keep-alive socket, which may legitimately still be served).
    const fresh = new Promise<number | undefined>((resolve, reject) => {
      get(`${server.url}/healthz`, { agent: false }, (res) => resolve(res.statusCode)).on('error', reject);
    });
    await expect(fresh).rejects.toThrow();
    expect((await slow).status).toBe(200);
    const answeredAt = Date.now();
    expect((await server.exited).code).toBe(0);
    // A client's idle keep-alive socket must not hold the exit until its timeout (5 s).
    expect(Date.now() - answeredAt).toBeLessThan(2_000);
  });
});
