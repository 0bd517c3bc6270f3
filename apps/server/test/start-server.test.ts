import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@twofold/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEnvConfig } from '../src/config.js';
import { startServer } from '../src/start-server.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'twofold-server-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const start = () => startServer(parseEnvConfig({ PORT: '0', DATA_DIR: dataDir }), { logger: silentLogger });

const json = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('startServer', () => {
  it('migrates, answers /healthz and generates its secrets with mode 0600', async () => {
    const server = await start();
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      for (const file of ['jwt-secret', 'encryption-key']) {
        expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
      }
    } finally {
      await server.close();
    }
  });

  it('keeps users and sessions across a restart on the same data directory', async () => {
    const user = { name: 'Ada', email: 'ada@example.test', username: 'ada', password: 'analytical engine' };
    const first = await start();
    const registered = (await (await json(`${first.url}/api/register`, user)).json()) as { token: string };
    await first.close();

    const second = await start();
    try {
      const login = await json(`${second.url}/api/login`, { username: 'ada', password: user.password });
      expect(login.status).toBe(200);
      const me = await fetch(`${second.url}/api/auth/user`, {
        headers: { authorization: `Bearer ${registered.token}` },
      });
      expect(me.status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
