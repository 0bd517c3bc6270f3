import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from '../support/child-server.js';
import { request } from '../support/http.js';
import { createPostgresEnv, type PostgresEnv } from '../support/postgres-env.js';
import { createDataDir } from '../support/server.js';

let servers: ChildServer[] = [];
let pg: PostgresEnv | undefined;
const dirs: Array<{ remove(): void }> = [];
afterEach(async () => {
  for (const server of servers) server.process.kill('SIGKILL');
  await Promise.all(servers.map((server) => server.exited));
  servers = [];
  await pg?.drop();
  pg = undefined;
  for (const dir of dirs.splice(0)) dir.remove();
});

const PASSWORD = 'correct horse battery';

/** A registration, answered or not: only an answered 200 promises the account exists. */
async function register(url: string, name: string): Promise<number | 'no answer'> {
  try {
    const body = { name, email: `${name}@example.test`, username: name, password: PASSWORD };
    return (await request(url, 'POST', '/api/register', { body })).status;
  } catch (error) {
    // fetch fails with a TypeError when no answer comes; anything else (the document) is the test's.
    if (!(error instanceof TypeError)) throw error;
    return 'no answer';
  }
}

async function login(url: string, name: string): Promise<number> {
  return (await request(url, 'POST', '/api/login', { body: { username: name, password: PASSWORD } })).status;
}

describe('three instance processes on one PostgreSQL database', () => {
  it('lose no answered write when one is killed (SIGKILL) under load; the other two keep answering', async () => {
    pg = createPostgresEnv();
    const env = pg.env;
    servers = await Promise.all(
      [0, 1, 2].map(() => {
        const dir = createDataDir();
        dirs.push(dir);
        return spawnServer({ ...env, DATA_DIR: dir.path });
      }),
    );
    const [victim, ...survivors] = servers;
    if (!victim) throw new Error('three servers');

    const answered: string[] = [];
    const survivorAnswers: Array<number | 'no answer'> = [];
    let killed = false;
    let sequence = 0;
    // Eight clients, each sending registrations round-robin over the three until stopped.
    const client = async () => {
      while (sequence < 120) {
        sequence += 1;
        const n = sequence;
        const server = servers[n % 3] as ChildServer;
        const name = `killed${n}`;
        const status = await register(server.url, name);
        if (status === 200) answered.push(name);
        if (killed && server !== victim) survivorAnswers.push(status);
        if (n === 40) {
          victim.process.kill('SIGKILL');
          killed = true;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, client));
    expect(killed).toBe(true);
    expect((await victim.exited).signal).toBe('SIGKILL');

    // The survivors answered every request sent to them after the kill.
    expect(survivorAnswers.length).toBeGreaterThan(20);
    expect(survivorAnswers.every((status) => status === 200)).toBe(true);
    // Every registration that was answered 200, on any instance, is there.
    expect(answered.length).toBeGreaterThan(60);
    for (const [i, name] of answered.entries()) {
      const survivor = survivors[i % survivors.length] as ChildServer;
      expect(await login(survivor.url, name), name).toBe(200);
    }
  }, 120_000);
});
