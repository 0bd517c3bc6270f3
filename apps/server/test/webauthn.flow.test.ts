import type { TUserAuth } from '@twofold/core';
import { TestAuthenticator } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from './support/http.js';
import { mfaTokenOf, setRecoveryEmail } from './support/mfa.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const BASE = '/api/user/mfa/webauthn';
type Options = { challenge: string } & Record<string, unknown>;

describe('WebAuthn over a real listener (PUBLIC_URL defaults to http://localhost:PORT)', () => {
  it('registers a passkey, logs in with it as a second step and without the password', async () => {
    const auth = await registerAccount(server.url);
    await setRecoveryEmail(server.url, auth.token, `rec-${auth.username}@example.test`);
    const key = new TestAuthenticator();
    // The browser runs at the server's public origin: localhost, on the port it listens on.
    const origin = `http://localhost:${new URL(server.url).port}`;

    const created = await request<{ options: Options & { rp: { id: string } } }>(
      server.url,
      'POST',
      `${BASE}/register/options`,
      { token: auth.token },
    );
    expect(created.status).toBe(200);
    expect(created.json.options.rp.id).toBe('localhost');
    const registered = await request<{ recovery_codes: string[] }>(server.url, 'POST', `${BASE}/register`, {
      token: auth.token,
      body: { name: 'Laptop', passwordless: true, response: key.create(created.json.options, origin) },
    });
    expect(registered.status).toBe(200);
    expect(registered.json.recovery_codes).toHaveLength(6);

    const token = await mfaTokenOf(server.url, auth);
    const step = await request<{ options: Options }>(server.url, 'POST', `${BASE}/auth/options`, {
      body: { token },
    });
    const second = await request<TUserAuth>(server.url, 'POST', `${BASE}/auth`, {
      body: { token, response: key.get(step.json.options, origin) },
    });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ id: auth.id, mfa: true });

    const login = await request<{ options: Options }>(server.url, 'POST', `${BASE}/login/options`);
    const response = key.get(login.json.options, origin);
    const passkey = await request<TUserAuth>(server.url, 'POST', `${BASE}/login`, { body: { response } });
    expect(passkey.status).toBe(200);
    const replay = await request(server.url, 'POST', `${BASE}/login`, { body: { response } });
    expect(replay.status).toBe(401);
    expect(replay.json).toMatchObject({ code: 'INVALID_ASSERTION' });

    const list = await request<{ credentials: Array<{ name: string; lastUsedAtMs: number }> }>(
      server.url,
      'GET',
      `${BASE}/credentials`,
      { token: passkey.json.token },
    );
    expect(list.json.credentials).toEqual([expect.objectContaining({ name: 'Laptop' })]);
  });
});
