import type { TUserAuth } from '@twofold/core';
import { TestAuthenticator } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordStep, recoveryEmailOf, registerUser, setRecoveryEmail } from './support/contract/flows.js';
import { startTestServer, type TestServer } from './support/contract/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const BASE = '/api/user/mfa/webauthn';
type Options = { challenge: string } & Record<string, unknown>;

describe('WebAuthn over a real listener (PUBLIC_URL defaults to http://localhost:PORT)', () => {
  it('registers a passkey, logs in with it as a second step and without the password', async () => {
    const { input, auth } = await registerUser(server);
    await setRecoveryEmail(server, auth.token, recoveryEmailOf(input));
    const key = new TestAuthenticator();
    // The browser runs at the server's public origin: localhost, on the port it listens on.
    const origin = `http://localhost:${new URL(server.url).port}`;

    const created = await server.rest<{ options: Options & { rp: { id: string } } }>(
      'POST',
      `${BASE}/register/options`,
      { token: auth.token },
    );
    expect(created.status).toBe(200);
    expect(created.body.options.rp.id).toBe('localhost');
    const registered = await server.rest<{ recovery_codes: string[] }>('POST', `${BASE}/register`, {
      token: auth.token,
      json: { name: 'Laptop', passwordless: true, response: key.create(created.body.options, origin) },
    });
    expect(registered.status).toBe(200);
    expect(registered.body.recovery_codes).toHaveLength(6);

    const token = await passwordStep(server, input);
    const step = await server.rest<{ options: Options }>('POST', `${BASE}/auth/options`, { json: { token } });
    const second = await server.rest<TUserAuth>('POST', `${BASE}/auth`, {
      json: { token, response: key.get(step.body.options, origin) },
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: auth.id, mfa: true });

    const login = await server.rest<{ options: Options }>('POST', `${BASE}/login/options`);
    const response = key.get(login.body.options, origin);
    const passkey = await server.rest<TUserAuth>('POST', `${BASE}/login`, { json: { response } });
    expect(passkey.status).toBe(200);
    const replay = await server.rest('POST', `${BASE}/login`, { json: { response } });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: 'INVALID_ASSERTION' });

    const list = await server.rest<{ credentials: Array<{ name: string; lastUsedAtMs: number }> }>(
      'GET',
      `${BASE}/credentials`,
      { token: passkey.body.token },
    );
    expect(list.body.credentials).toEqual([expect.objectContaining({ name: 'Laptop' })]);
  });
});
