import type { Logger } from '@twofold/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/start-server.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { request } from '../support/http.js';
import { createPostgresEnv, type PostgresEnv } from '../support/postgres-env.js';
import { parsePrometheusText } from '../support/prometheus.js';
import { createDataDir, startTestServer } from '../support/server.js';

let server: RunningServer | undefined;
let proxy: FaultProxy | undefined;
let pg: PostgresEnv | undefined;
let dataDir: { remove(): void } | undefined;
afterEach(async () => {
  proxy?.restore();
  await server?.close();
  await proxy?.close();
  await pg?.drop();
  dataDir?.remove();
  server = proxy = pg = dataDir = undefined;
});

const errors: Array<{ event: string; fields: Record<string, unknown> }> = [];
const logger: Logger = {
  info: () => {},
  error: (event, fields = {}) => errors.push({ event, fields }),
};

/** A server whose only way to PostgreSQL is through a fault proxy the test controls. */
async function startBehindProxy(
  env: Record<string, string> = {},
): Promise<{ url: string; proxy: FaultProxy }> {
  pg = createPostgresEnv();
  proxy = await startFaultProxy({ host: '127.0.0.1', port: 5432 });
  const dir = createDataDir();
  dataDir = dir;
  const url = new URL(pg.env.DATABASE_URL ?? '');
  url.port = String(proxy.port);
  server = await startTestServer({
    dataDir: dir.path,
    env: { ...pg.env, DATABASE_URL: url.toString(), DATABASE_CONNECT_TIMEOUT_MS: '1000', ...env },
    logger,
  });
  return { url: server.url, proxy };
}

async function sessionOn(url: string): Promise<string> {
  const account = {
    name: 'Outage',
    email: 'outage@example.test',
    username: 'outage',
    password: 'correct horse battery',
  };
  expect((await request(url, 'POST', '/api/register', { body: account })).status).toBe(200);
  const login = await request(url, 'POST', '/api/login', {
    body: { username: 'outage', password: account.password },
  });
  expect(login.status).toBe(200);
  return (login.json as { token: string }).token;
}

/** Requests `rounds` times, 8 at once, and counts the answers by status. */
async function load(url: string, token: string, rounds: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  for (let round = 0; round < rounds; round += 1) {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? request(url, 'GET', '/api/auth/user', { token })
          : request(url, 'GET', '/healthz', { unchecked: true }),
      ),
    );
    for (const answer of answers) {
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 503) expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  }
  return statuses;
}

describe('PostgreSQL lost while running', () => {
  it('answers 503 with Retry-After while it is unreachable, logs why, and recovers by itself', async () => {
    const { url, proxy } = await startBehindProxy();
    const token = await sessionOn(url);
    expect(await load(url, token, 2)).toEqual(new Map([[200, 16]]));

    proxy.cut();
    errors.length = 0;
    const during = await load(url, token, 3);
    // Only 503s while it is down: never a 500, never a hang, and the process lives on.
    expect([...during.keys()]).toEqual([503]);
    expect(errors.some((line) => line.event === 'storage_unavailable')).toBe(true);
    expect(errors.some((line) => line.event === 'unhandled_error')).toBe(false);

    proxy.restore();
    // The pool reconnects on its own: no restart of Twofold.
    expect(await load(url, token, 2)).toEqual(new Map([[200, 16]]));
    const again = await request(url, 'POST', '/api/login', {
      body: { username: 'outage', password: 'correct horse battery' },
    });
    expect(again.status).toBe(200);
  });

  it('answers 503 after the connect timeout, not a hung request, when the database stops answering', async () => {
    const { url, proxy } = await startBehindProxy();
    const token = await sessionOn(url);
    proxy.blackhole();
    const started = Date.now();
    const answer = await request(url, 'GET', '/api/auth/user', { token });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
    proxy.restore();
    expect((await request(url, 'GET', '/api/auth/user', { token })).status).toBe(200);
  });

  it('GET /readyz answers 503 while the database is unreachable and 200 again after; the faults are counted', async () => {
    const metricsToken = 'metrics-token-of-the-outage-test';
    const { url, proxy } = await startBehindProxy({ METRICS_TOKEN: metricsToken });
    const token = await sessionOn(url);
    const ready = await request(url, 'GET', '/readyz', { unchecked: true });
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready', database: 'reachable', migrations: 'applied' });

    proxy.cut();
    const down = await request(url, 'GET', '/readyz', { unchecked: true });
    expect(down.status).toBe(503);
    expect(down.json).toEqual({ status: 'unavailable', database: 'unreachable', migrations: 'unknown' });
    expect(down.headers.get('retry-after')).not.toBeNull();
    expect((await request(url, 'GET', '/api/auth/user', { token })).status).toBe(503);

    proxy.restore();
    expect((await request(url, 'GET', '/readyz', { unchecked: true })).status).toBe(200);
    const metrics = await request(url, 'GET', '/metrics', { token: metricsToken, unchecked: true });
    const faults = parsePrometheusText(metrics.text).samples.filter(
      (sample) => sample.name === 'twofold_database_errors_total',
    );
    expect(faults.reduce((sum, sample) => sum + sample.value, 0)).toBeGreaterThanOrEqual(1);
  });
});
