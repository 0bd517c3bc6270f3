import type { TUserAuth } from '@twofold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpResult, registerAccount, request } from './support/http.js';
import { createMfaUser, mfaTokenOf } from './support/mfa.js';
import { startTestServer, type TestServer } from './support/server.js';
import { nextCode, totpAt, wrongTotpAt } from './support/totp.js';
import { trpcErrorOf } from './support/trpc-client.js';

/** docs/contract.md: bodies over 64 KiB are refused. */
const MAX_BODY_BYTES = 64 * 1024;
/** docs/contract.md: first lock of a streak, for passwords and second factors alike. */
const FIRST_LOCK_SECONDS = 60;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const nowSeconds = () => Math.floor(server.clock.now() / 1000);

function expectError(response: HttpResult, status: number, code?: string) {
  expect(response.status, response.text).toBe(status);
  expect(response.json).toMatchObject({ message: expect.any(String), code: code ?? expect.any(String) });
}

function expectLocked(response: HttpResult, retryAfter: number) {
  expectError(response, 429, 'TOO_MANY_ATTEMPTS');
  expect(Number(response.headers.get('retry-after'))).toBe(retryAfter);
  expect(Number(response.headers.get('x-account-lockout'))).toBe(nowSeconds() + retryAfter);
}

describe('400: malformed body or parameter (with fields), or the wrong account state', () => {
  it('names every malformed field of a body', async () => {
    const response = await request(server.url, 'POST', '/api/register', {
      body: { name: '', email: 'not-an-email', username: 'A!', password: 'short' },
    });
    expectError(response, 400, 'INVALID_INPUT');
    expect(Object.keys((response.json as { fields: object }).fields).sort()).toEqual(
      ['email', 'name', 'password', 'username'].sort(),
    );
  });

  it('refuses a body that is not JSON, and a missing body', async () => {
    const notJson = await request(server.url, 'POST', '/api/login', {
      raw: '{"username":',
      contentType: 'application/json',
    });
    expectError(notJson, 400, 'INVALID_INPUT');
    expect(notJson.json).toMatchObject({ fields: { body: expect.any(String) } });
    expectError(await request(server.url, 'POST', '/api/user/mfa/auth'), 400, 'INVALID_INPUT');
  });

  it('refuses a bad recovery email, and emptying one once set', async () => {
    const auth = await registerAccount(server.url);
    for (const recovery_email of ['nope', auth.email.toUpperCase()]) {
      const response = await request(server.url, 'PATCH', '/api/users', {
        token: auth.token,
        body: { recovery_email },
      });
      expectError(response, 400);
      expect(response.json).toMatchObject({ fields: { recovery_email: expect.any(String) } });
    }
    const set = await request(server.url, 'PATCH', '/api/users', {
      token: auth.token,
      body: { recovery_email: `r.${auth.email}` },
    });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ recovery_email: `r.${auth.email}` });
    const emptied = await request(server.url, 'PATCH', '/api/users', {
      token: auth.token,
      body: { recovery_email: '' },
    });
    expectError(emptied, 400);
  });

  it('answers the wrong account state: no recovery email, MFA not on', async () => {
    const auth = await registerAccount(server.url);
    const generated = await request<{ secret: string; recovery_codes: string[] }>(
      server.url,
      'GET',
      '/api/user/mfa/generate',
      { token: auth.token },
    );
    const enable = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: {
        code: await totpAt(generated.json.secret, server.clock.now()),
        secret: generated.json.secret,
        recovery_codes: generated.json.recovery_codes,
      },
    });
    expectError(enable, 400, 'RECOVERY_EMAIL_REQUIRED');
    expectError(
      await request(server.url, 'PUT', '/api/user/mfa/disable', { token: auth.token, body: {} }),
      400,
      'MFA_NOT_ENABLED',
    );
  });
});

describe('401: no or bad session on protected routes; failed authentication elsewhere', () => {
  it('refuses a missing, malformed, forged or expired JWT on every protected route', async () => {
    const auth = await registerAccount(server.url);
    const [header, payload] = auth.token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    const routes = [
      ['GET', '/api/auth/user', undefined],
      ['GET', '/api/user/mfa/generate', undefined],
      ['PUT', '/api/user/mfa/enable', { code: '123456', secret: 'A'.repeat(32), recovery_codes: [] }],
      ['PUT', '/api/user/mfa/disable', {}],
      ['PUT', '/api/user/mfa/recovery/disable', undefined],
      ['PATCH', '/api/users', { name: 'x' }],
    ] as const;
    for (const token of [undefined, 'garbage', forged]) {
      for (const [method, path, json] of routes) {
        const response = await request(server.url, method, path, {
          ...(token ? { token } : {}),
          ...(json ? { body: json } : {}),
        });
        expectError(response, 401, 'UNAUTHENTICATED');
      }
    }
    server.clock.advanceSeconds(24 * 60 * 60 + 1);
    expectError(
      await request(server.url, 'GET', '/api/auth/user', { token: auth.token }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('answers an unknown user and a wrong password identically', async () => {
    const input = await registerAccount(server.url);
    const wrong = await request(server.url, 'POST', '/api/login', {
      body: { username: input.username, password: 'wrong password' },
    });
    const unknown = await request(server.url, 'POST', '/api/login', {
      body: { username: 'nobody.at.all', password: 'wrong password' },
    });
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual(wrong.json);
  });

  it('refuses a failed second factor with 401 on the unauthenticated MFA routes', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const token = await mfaTokenOf(server.url, user);
    expectError(
      await request(server.url, 'POST', '/api/user/mfa/auth', {
        body: { token, code: await wrongTotpAt(user.secret, server.clock.now()) },
      }),
      401,
    );
    expectError(
      await request(server.url, 'POST', '/api/user/mfa/recover', {
        body: { identifier: user.username, recovery_code: 'AAAAAAAAAAAAAAAA' },
      }),
      401,
    );
    await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: user.username } });
    expectError(
      await request(server.url, 'PUT', `/api/user/mfa/reset/${user.id}`, {
        body: { main_email_code: 'AAAAA', recovery_email_code: 'BBBBB' },
      }),
      401,
    );
  });
});

describe('403: a second factor rejected where a valid JWT is presented', () => {
  it('rejects wrong proofs on enable and disable with 403 PROOF_REJECTED', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const wrong = await wrongTotpAt(user.secret, server.clock.now());
    expectError(
      await request(server.url, 'PUT', '/api/user/mfa/disable', { token: user.token, body: { code: wrong } }),
      403,
      'PROOF_REJECTED',
    );
    expectError(
      await request(server.url, 'PUT', '/api/user/mfa/disable', { token: user.token, body: {} }),
      403,
      'PROOF_REJECTED',
    );
    expectError(
      await request(server.url, 'PUT', '/api/user/mfa/recovery/disable', { token: user.token }),
      403,
      'PROOF_REJECTED',
    );
  });
});

describe('403: a state change authenticated by the web session cookie needs the CSRF header', () => {
  it('refuses it without the header, on POST-style routes and on the GET that generates', async () => {
    const auth = await registerAccount(server.url);
    const cookie = `twofold_session=${auth.token}`;
    expectError(
      await request(server.url, 'PATCH', '/api/users', { body: { name: 'Renamed' }, headers: { cookie } }),
      403,
      'CSRF_REJECTED',
    );
    expectError(
      await request(server.url, 'GET', '/api/user/mfa/generate', { headers: { cookie } }),
      403,
      'CSRF_REJECTED',
    );
    const withHeader = await request(server.url, 'PATCH', '/api/users', {
      body: { name: 'Renamed' },
      headers: { cookie, 'x-twofold-csrf': '1' },
    });
    expect(withHeader.status).toBe(200);
    // A query needs no header, and the cookie's JWT never shows up in a body.
    const me = await request<TUserAuth>(server.url, 'GET', '/api/auth/user', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: auth.id, name: 'Renamed', token: '' });
  });
});

describe('404, 409, 413, 415', () => {
  it('not 404 but 401, like wrong codes: a reset request or user id that does not exist', async () => {
    const response = await request(server.url, 'PUT', '/api/user/mfa/reset/does-not-exist', {
      body: { main_email_code: 'AAAAA', recovery_email_code: 'BBBBB' },
    });
    expectError(response, 401, 'INVALID_CODE');
  });

  it('409: email or username taken (case-insensitively), recovery email of another account, MFA already on', async () => {
    const first = await registerAccount(server.url);
    const other = await registerAccount(server.url);
    const sameEmail = await request(server.url, 'POST', '/api/register', {
      body: {
        name: 'Other',
        password: other.password,
        username: `x${other.username}`,
        email: first.email.toUpperCase(),
      },
    });
    expectError(sameEmail, 409, 'EMAIL_TAKEN');
    const sameUsername = await request(server.url, 'POST', '/api/register', {
      body: {
        name: 'Other',
        password: other.password,
        username: first.username.toUpperCase(),
        email: `x${other.email}`,
      },
    });
    expectError(sameUsername, 409, 'USERNAME_TAKEN');
    const recoveryTaken = await request(server.url, 'PATCH', '/api/users', {
      token: other.token,
      body: { recovery_email: first.email },
    });
    expectError(recoveryTaken, 409, 'EMAIL_TAKEN');

    const user = await createMfaUser(server.url, server.clock);
    expectError(
      await request(server.url, 'GET', '/api/user/mfa/generate', { token: user.token }),
      409,
      'MFA_ALREADY_ENABLED',
    );
  });

  it('413: a body over 64 KiB; 415: a body that is not declared JSON', async () => {
    const huge = JSON.stringify({
      name: 'x'.repeat(MAX_BODY_BYTES),
      email: 'a@b.test',
      username: 'abc',
      password: 'p',
    });
    expectError(
      await request(server.url, 'POST', '/api/register', { raw: huge, contentType: 'application/json' }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    const text = await request(server.url, 'POST', '/api/login', {
      raw: 'username=a&password=b',
      contentType: 'text/plain',
    });
    expectError(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('429: lockouts carry Retry-After and X-Account-Lockout', () => {
  it('locks the password step after 5 failures for that source, then lets the right password in', async () => {
    const input = await registerAccount(server.url);
    const login = (password: string) =>
      request(server.url, 'POST', '/api/login', { body: { username: input.username, password } });
    for (let attempt = 1; attempt <= 5; attempt += 1) expectError(await login('wrong password'), 401);
    expectLocked(await login('wrong password'), FIRST_LOCK_SECONDS);
    expectLocked(await login(input.password), FIRST_LOCK_SECONDS);

    server.clock.advanceSeconds(FIRST_LOCK_SECONDS);
    const ok = await login(input.password);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-account-lockout')).toBe('0');
  });

  it('locks second factors after 10 failures across endpoints, but still issues MFA tokens', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const wrongAuth = async () => {
      const token = await mfaTokenOf(server.url, user);
      return request(server.url, 'POST', '/api/user/mfa/auth', {
        body: { token, code: await wrongTotpAt(user.secret, server.clock.now()) },
      });
    };
    for (let failure = 1; failure <= 9; failure += 1) expectError(await wrongAuth(), 401);
    // The 10th failure, on another endpoint, reaches the limit and is still answered 403.
    const tenth = await request(server.url, 'PUT', '/api/user/mfa/disable', {
      token: user.token,
      body: { code: await wrongTotpAt(user.secret, server.clock.now()) },
    });
    expectError(tenth, 403);

    const token = await mfaTokenOf(server.url, user);
    const right = await nextCode(user.secret, server.clock);
    const elapsed = 30;
    expectLocked(
      await request(server.url, 'POST', '/api/user/mfa/auth', { body: { token, code: right } }),
      FIRST_LOCK_SECONDS - elapsed,
    );
    // The anonymous recover path counts per identifier and address, not per user: not locked.
    expectError(
      await request(server.url, 'POST', '/api/user/mfa/recover', {
        body: { identifier: user.username, recovery_code: 'AAAA-BBBB-CCCC-DDDD' },
      }),
      401,
    );

    const locked = await trpcErrorOf(server.trpc().mfa.auth.mutate({ token, code: right }));
    expect(locked).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      appCode: 'TOO_MANY_ATTEMPTS',
      httpStatus: 429,
      lockout: {
        lockedUntilSeconds: nowSeconds() + FIRST_LOCK_SECONDS - elapsed,
        retryAfterSeconds: FIRST_LOCK_SECONDS - elapsed,
      },
    });

    server.clock.advanceSeconds(FIRST_LOCK_SECONDS - elapsed);
    const after = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: {
        token: await mfaTokenOf(server.url, user),
        code: await totpAt(user.secret, server.clock.now()),
      },
    });
    expect(after.status).toBe(200);
  });
});

describe('the same errors over tRPC, as typed codes', () => {
  it('maps 400, 401, 403 and 409 onto tRPC codes with the domain appCode', async () => {
    const anonymous = server.trpc();
    const invalid = await trpcErrorOf(
      anonymous.auth.register.mutate({ name: '', email: 'x', username: 'A!', password: '1' }),
    );
    expect(invalid).toMatchObject({ code: 'BAD_REQUEST', appCode: 'INVALID_INPUT', httpStatus: 400 });
    expect(Object.keys(invalid.fields ?? {}).sort()).toEqual(['email', 'name', 'password', 'username']);

    const user = await createMfaUser(server.url, server.clock);
    expect(await trpcErrorOf(anonymous.auth.me.query())).toMatchObject({
      code: 'UNAUTHORIZED',
      appCode: 'UNAUTHENTICATED',
    });
    expect(
      await trpcErrorOf(anonymous.auth.login.mutate({ username: user.username, password: 'wrong password' })),
    ).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'INVALID_CREDENTIALS' });
    expect(await trpcErrorOf(server.trpc(user.token).mfa.disable.mutate({}))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'PROOF_REJECTED',
    });
    expect(
      await trpcErrorOf(
        anonymous.mfa.reset.mutate({
          id: 'does-not-exist',
          main_email_code: 'AAAAA',
          recovery_email_code: 'BBBBB',
        }),
      ),
    ).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'INVALID_CODE' });
    expect(await trpcErrorOf(server.trpc(user.token).mfa.generate.mutate())).toMatchObject({
      code: 'CONFLICT',
      appCode: 'MFA_ALREADY_ENABLED',
    });
    expect(
      await trpcErrorOf(
        anonymous.auth.register.mutate({
          name: 'Taken',
          email: user.email,
          username: user.username,
          password: user.password,
        }),
      ),
    ).toMatchObject({ code: 'CONFLICT' });
    expect(
      await trpcErrorOf(server.trpc(user.token).user.update.mutate({ recovery_email: 'not-an-email' })),
    ).toMatchObject({ code: 'BAD_REQUEST', fields: { recovery_email: expect.any(String) } });
  });
});
