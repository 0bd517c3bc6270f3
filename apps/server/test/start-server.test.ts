import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@twofold/api';
import { totpAt } from '@twofold/core/testing';
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

  it('listens on both loopback addresses by default, and names itself localhost (a WebAuthn RP ID)', async () => {
    const server = await start();
    try {
      expect(server.url).toBe(`http://localhost:${server.port}`);
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://[::1]:${server.port}/healthz`)).status).toBe(200);
      const { options } = (await (
        await json(`http://127.0.0.1:${server.port}/api/user/mfa/webauthn/login/options`, {})
      ).json()) as { options: { rpId: string } };
      expect(options.rpId).toBe('localhost');
    } finally {
      await server.close();
    }
  });

  it('links reset emails to the port it really listens on when PORT=0 picks one', async () => {
    const server = await start();
    try {
      const user = { name: 'Lin', email: 'lin@example.test', username: 'lin', password: 'links with ports' };
      const { token } = (await (await json(`${server.url}/api/register`, user)).json()) as { token: string };
      const authed = (method: string, path: string, body?: unknown) =>
        fetch(`${server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      await authed('PATCH', '/api/users', { recovery_email: 'lin.rescue@example.test' });
      const generated = (await (await authed('GET', '/api/user/mfa/generate')).json()) as {
        secret: string;
        recovery_codes: string[];
      };
      const enable = await authed('PUT', '/api/user/mfa/enable', {
        code: await totpAt(generated.secret, Date.now()),
        secret: generated.secret,
        recovery_codes: generated.recovery_codes,
      });
      expect(enable.status).toBe(200);
      await json(`${server.url}/api/user/mfa/reset`, { identifier: 'lin' });
      const { messages } = (await (await fetch(`${server.url}/api/dev/mail`)).json()) as {
        messages: { kind: string; text: string }[];
      };
      const resetMail = messages.find((m) => m.kind === 'reset-code');
      expect(resetMail?.text).toContain(`${server.url}/mfa/reset/`);
      expect(server.port).not.toBe(0);
    } finally {
      await server.close();
    }
  });
});
