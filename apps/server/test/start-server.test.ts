import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@twofold/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEnvConfig } from '../src/config.js';
import { startServer } from '../src/start-server.js';
import { type Account, request } from './support/http.js';
import { createMfaUser } from './support/mfa.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'twofold-server-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const start = () => startServer(parseEnvConfig({ PORT: '0', DATA_DIR: dataDir }), { logger: silentLogger });

const healthz = async (baseUrl: string) =>
  (await request(baseUrl, 'GET', '/healthz', { unchecked: true })).status;

describe('startServer', () => {
  it('migrates, answers /healthz and generates its secrets with mode 0600', async () => {
    const server = await start();
    try {
      expect(await healthz(server.url)).toBe(200);
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
    const registered = (await request<{ token: string }>(first.url, 'POST', '/api/register', { body: user }))
      .json;
    await first.close();

    const second = await start();
    try {
      const login = await request(second.url, 'POST', '/api/login', {
        body: { username: 'ada', password: user.password },
      });
      expect(login.status).toBe(200);
      const me = await request(second.url, 'GET', '/api/auth/user', { token: registered.token });
      expect(me.status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('listens on both loopback addresses by default, and names itself localhost (a WebAuthn RP ID)', async () => {
    const server = await start();
    try {
      expect(server.url).toBe(`http://localhost:${server.port}`);
      expect(await healthz(`http://127.0.0.1:${server.port}`)).toBe(200);
      expect(await healthz(`http://[::1]:${server.port}`)).toBe(200);
      const { options } = (
        await request<{ options: { rpId: string } }>(
          `http://127.0.0.1:${server.port}`,
          'POST',
          '/api/user/mfa/webauthn/login/options',
          { body: {} },
        )
      ).json;
      expect(options.rpId).toBe('localhost');
    } finally {
      await server.close();
    }
  });

  it('links reset emails to the port it really listens on when PORT=0 picks one', async () => {
    const server = await start();
    try {
      const user = { name: 'Lin', email: 'lin@example.test', username: 'lin', password: 'links with ports' };
      const { id, token } = (await request<Account>(server.url, 'POST', '/api/register', { body: user }))
        .json;
      // The server runs on the real clock.
      await createMfaUser(server.url, { now: () => Date.now() }, { ...user, id, token });
      await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: 'lin' } });
      const { messages } = (
        await request<{ messages: { kind: string; text: string }[] }>(server.url, 'GET', '/api/dev/mail')
      ).json;
      const resetMail = messages.find((m) => m.kind === 'reset-code');
      expect(resetMail?.text).toContain(`${server.url}/mfa/reset/`);
      expect(server.port).not.toBe(0);
    } finally {
      await server.close();
    }
  });
});
