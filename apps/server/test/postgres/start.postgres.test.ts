import { ManualClock } from '@twofold/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import type { RunningServer } from '../../src/start-server.js';
import { request } from '../support/http.js';
import { createPostgresEnv, type PostgresEnv } from '../support/postgres-env.js';
import { createDataDir, startTestServer } from '../support/server.js';

const running: RunningServer[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function setup(): { pg: PostgresEnv; dataDir: string } {
  const pg = createPostgresEnv();
  const dataDir = createDataDir();
  cleanups.push(
    () => pg.drop(),
    () => dataDir.remove(),
  );
  return { pg, dataDir: dataDir.path };
}

async function start(dataDir: string, env: Record<string, string>, clock = new ManualClock()) {
  const server = await startTestServer({ dataDir, clock, env });
  running.push(server);
  return server;
}

const register = (url: string, name: string) =>
  request(url, 'POST', '/api/register', {
    body: { name, email: `${name}@example.test`, username: name, password: 'correct horse battery' },
  });
const login = (url: string, name: string) =>
  request(url, 'POST', '/api/login', { body: { username: name, password: 'correct horse battery' } });

describe('DATABASE_URL: the PostgreSQL store', () => {
  it('migrates an empty schema, answers /healthz, and keeps accounts across a restart', async () => {
    const { pg, dataDir } = setup();
    const first = await start(dataDir, pg.env);
    expect((await request(first.url, 'GET', '/healthz', { unchecked: true })).status).toBe(200);
    expect((await register(first.url, 'pgalice')).status).toBe(200);
    await first.close();
    running.splice(running.indexOf(first), 1);

    const again = await start(dataDir, pg.env);
    expect((await login(again.url, 'pgalice')).status).toBe(200);
  });

  it('lets two instances on different data directories share accounts and sessions', async () => {
    const pg = createPostgresEnv();
    cleanups.push(() => pg.drop());
    const dirs = [createDataDir(), createDataDir()];
    for (const dir of dirs) cleanups.push(() => dir.remove());
    const [a, b] = await Promise.all(dirs.map((dir) => start(dir.path, pg.env)));
    if (!a || !b) throw new Error('two instances');
    expect((await register(a.url, 'pgbob')).status).toBe(200);
    const session = await login(b.url, 'pgbob');
    expect(session.status).toBe(200);
    const token = (session.json as { token: string }).token;
    expect((await request(a.url, 'GET', '/api/auth/user', { token })).status).toBe(200);
  });

  it('refuses to start, naming DATABASE_URL and never the password, when PostgreSQL cannot be reached', async () => {
    const { pg, dataDir } = setup();
    const env = { ...pg.env, DATABASE_URL: 'postgres://twofold:hunter2@127.0.0.1:1/twofold' };
    const failure = await startTestServer({ dataDir, env }).then(
      () => new Error('started'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(
      /^DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1\/twofold: /,
    );
    expect((failure as Error).message).not.toContain('hunter2');
  });
});
