import { createUser, TestAuthenticator } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, appCodeOf, openApiTestbed } from '../../../test/api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

const BASE = '/api/user/mfa/webauthn';

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ code, message: expect.any(String) });
}

async function json<T>(response: Response, status = 200): Promise<T> {
  expect(response.status).toBe(status);
  return (await response.json()) as T;
}

type Options = { challenge: string } & Record<string, unknown>;

/** A user with a recovery email and one registered key, through REST. */
async function userWithKey(passwordless = false) {
  const { input, auth } = await createUser(t.core);
  const token = auth.token;
  expect(
    (
      await t.request('PATCH', '/api/users', {
        token,
        body: { recovery_email: `r-${auth.user}@example.test` },
      })
    ).status,
  ).toBe(200);
  const key = new TestAuthenticator();
  const { options } = await json<{ options: Options }>(
    await t.request('POST', `${BASE}/register/options`, { token }),
  );
  const registered = await json<{ credential: { id: string }; recovery_codes?: string[] }>(
    await t.request('POST', `${BASE}/register`, {
      token,
      body: { name: 'Laptop', passwordless, response: key.create(options) },
    }),
  );
  return { input, auth, token, key, registered };
}

/** A complete login with the key: a session fresh for factor changes (MFA is on now). */
async function freshToken(u: Awaited<ReturnType<typeof userWithKey>>): Promise<string> {
  const token = await mfaTokenOf(u.input);
  const { options } = await json<{ options: Options }>(
    await t.request('POST', `${BASE}/auth/options`, { body: { token } }),
  );
  const userAuth = await json<{ token: string }>(
    await t.request('POST', `${BASE}/auth`, { body: { token, response: u.key.get(options) } }),
  );
  return userAuth.token;
}

async function mfaTokenOf(input: { username: string; password: string }): Promise<string> {
  const response = await t.request('POST', '/api/login', {
    body: { username: input.username, password: input.password },
  });
  expect(response.status).toBe(401);
  return response.headers.get('X-MFA-Token') ?? '';
}

describe('WebAuthn over REST', () => {
  it('registers a first key (recovery codes once), lists, renames and logs in with it as a second step', async () => {
    const u = await userWithKey();
    expect(u.registered.recovery_codes).toHaveLength(6);
    const { credentials } = await json<{ credentials: Array<{ id: string; name: string }> }>(
      await t.request('GET', `${BASE}/credentials`, { token: u.token }),
    );
    expect(credentials).toEqual([
      expect.objectContaining({ id: u.registered.credential.id, name: 'Laptop' }),
    ]);
    const renamed = await json<{ name: string }>(
      await t.request('PATCH', `${BASE}/credentials/${u.registered.credential.id}`, {
        token: u.token,
        body: { name: 'Work laptop' },
      }),
    );
    expect(renamed.name).toBe('Work laptop');

    const token = await mfaTokenOf(u.input);
    const { options } = await json<{ options: Options }>(
      await t.request('POST', `${BASE}/auth/options`, { body: { token } }),
    );
    const userAuth = await json<{ id: string; mfa: boolean }>(
      await t.request('POST', `${BASE}/auth`, { body: { token, response: u.key.get(options) } }),
    );
    expect(userAuth).toMatchObject({ id: u.auth.id, mfa: true });
  });

  it('logs in with a passkey without the password, and refuses a replay with 401', async () => {
    const u = await userWithKey(true);
    const { options } = await json<{ options: Options }>(await t.request('POST', `${BASE}/login/options`));
    const response = u.key.get(options);
    const userAuth = await json<{ id: string }>(
      await t.request('POST', `${BASE}/login`, { body: { response } }),
    );
    expect(userAuth.id).toBe(u.auth.id);
    await expectError(
      await t.request('POST', `${BASE}/login`, { body: { response } }),
      401,
      'INVALID_ASSERTION',
    );
  });

  it('answers 401 without a session, 400 for malformed bodies, 404 for an unknown credential, 403 when stale', async () => {
    await expectError(await t.request('POST', `${BASE}/register/options`), 401, 'UNAUTHENTICATED');
    await expectError(await t.request('GET', `${BASE}/credentials`), 401, 'UNAUTHENTICATED');
    const u = await userWithKey();
    await expectError(
      await t.request('POST', `${BASE}/register`, { token: u.token, body: { name: 'x', response: {} } }),
      400,
      'INVALID_INPUT',
    );
    await expectError(
      await t.request('POST', `${BASE}/login`, { body: { response: { id: 'x' }, extra: 1 } }),
      400,
      'INVALID_INPUT',
    );
    await expectError(
      await t.request('PATCH', `${BASE}/credentials/${u.registered.credential.id}`, {
        token: u.token,
        body: { id: 'other', name: 'x' },
      }),
      400,
      'INVALID_INPUT',
    );
    const fresh = await freshToken(u);
    await expectError(
      await t.request('DELETE', `${BASE}/credentials/no-such-id`, { token: fresh }),
      404,
      'CREDENTIAL_NOT_FOUND',
    );
    await expectError(
      await t.request('POST', `${BASE}/auth/options`, { body: { token: 'not-a-token' } }),
      401,
      'INVALID_MFA_TOKEN',
    );
    t.clock.advanceSeconds(16 * 60);
    await expectError(
      await t.request('DELETE', `${BASE}/credentials/${u.registered.credential.id}`, { token: fresh }),
      403,
      'REAUTHENTICATION_REQUIRED',
    );
  });

  it('removes the last key with 200 empty, which disables MFA', async () => {
    const u = await userWithKey();
    // The registering session proved no second factor: MFA is on now, so it is not fresh.
    const path = `${BASE}/credentials/${u.registered.credential.id}`;
    await expectError(await t.request('DELETE', path, { token: u.token }), 403, 'REAUTHENTICATION_REQUIRED');
    const removed = await t.request('DELETE', path, { token: await freshToken(u) });
    expect(removed.status).toBe(200);
    expect(await removed.text()).toBe('');
    const login = await t.request('POST', '/api/login', {
      body: { username: u.input.username, password: u.input.password },
    });
    expect(login.status).toBe(200);
  });
});

describe('WebAuthn over tRPC', () => {
  it('serves the same operations as mfa.webauthn.*', async () => {
    const u = await userWithKey(true);
    const caller = t.caller(u.token);
    expect((await caller.mfa.webauthn.list()).credentials).toHaveLength(1);
    const { options } = await t.caller().mfa.webauthn.loginOptions();
    await expect(t.caller().mfa.webauthn.login({ response: u.key.get(options) })).resolves.toMatchObject({
      id: u.auth.id,
    });
    expect(await appCodeOf(t.caller().mfa.webauthn.authOptions({ token: 'nope' }))).toBe('INVALID_MFA_TOKEN');
  });
});

describe('re-authentication with a key', () => {
  it('POST /api/user/reauth takes {password, webauthn} answering the reauth options', async () => {
    const u = await userWithKey();
    const { options } = await json<{ options: Options }>(
      await t.request('POST', `${BASE}/reauth/options`, { token: u.token }),
    );
    const reauthed = await json<{ token: string }>(
      await t.request('POST', '/api/user/reauth', {
        token: u.token,
        body: { password: u.input.password, webauthn: u.key.get(options) },
      }),
    );
    // Fresh now: removing the key (a change of factors) is allowed.
    const removed = await t.request('DELETE', `${BASE}/credentials/${u.registered.credential.id}`, {
      token: reauthed.token,
    });
    expect(removed.status).toBe(200);
  });
});
