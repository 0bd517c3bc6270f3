import type { TUserAuth } from '@twofold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from './support/http.js';
import { createMfaUser, mfaTokenOf } from './support/mfa.js';
import { startTestServer, type TestServer } from './support/server.js';
import { nextCode, totpAt, wrongTotpAt } from './support/totp.js';
import { trpcErrorOf } from './support/trpc-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const authMfa = (token: string, code: string) =>
  request<TUserAuth>(server.url, 'POST', '/api/user/mfa/auth', { body: { token, code } });

describe('login with MFA over REST (authUser → X-MFA-Token → authMFA)', () => {
  it('answers the password step with 401 and X-MFA-Token, and the second step with UserAuth', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const mfaToken = await mfaTokenOf(server.url, user);

    const authed = await authMfa(mfaToken, await nextCode(user.secret, server.clock));
    expect(authed.status).toBe(200);
    expect(authed.json).toMatchObject({
      id: user.id,
      user: user.username,
      mfa: true,
      origin: 'local',
    });

    const me = await request<TUserAuth>(server.url, 'GET', '/api/auth/user', { token: authed.json.token });
    expect(me.status).toBe(200);
    expect(me.json.id).toBe(user.id);
  });

  it('issues the token on both login paths and for the email as identifier', async () => {
    const user = await createMfaUser(server.url, server.clock);
    for (const [path, username] of [
      ['/api/auth/user', user.username],
      ['/api/login', user.email.toUpperCase()],
    ] as const) {
      const response = await request(server.url, 'POST', path, {
        body: { username, password: user.password },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('x-mfa-token')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs a user without MFA straight in, with X-Account-Lockout: 0 and no token', async () => {
    const input = await registerAccount(server.url);
    const response = await request<TUserAuth>(server.url, 'POST', '/api/login', {
      body: { username: input.username, password: input.password },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-account-lockout')).toBe('0');
    expect(response.headers.get('x-mfa-token')).toBeNull();
    expect(response.json.mfa).toBe(false);
  });

  it('uses an MFA token once', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const mfaToken = await mfaTokenOf(server.url, user);
    expect((await authMfa(mfaToken, await nextCode(user.secret, server.clock))).status).toBe(200);
    const reused = await authMfa(mfaToken, await nextCode(user.secret, server.clock));
    expect(reused.status).toBe(401);
  });

  it('never accepts a time step twice: not the enable code, not a code used at login', async () => {
    const user = await createMfaUser(server.url, server.clock);
    // createMfaUser enabled with the code of the current step: it counts as accepted.
    const enableCode = await totpAt(user.secret, server.clock.now());
    const first = await authMfa(await mfaTokenOf(server.url, user), enableCode);
    expect(first.status).toBe(401);

    const code = await nextCode(user.secret, server.clock);
    expect((await authMfa(await mfaTokenOf(server.url, user), code)).status).toBe(200);
    const replay = await authMfa(await mfaTokenOf(server.url, user), code);
    expect(replay.status).toBe(401);
    // An older step than the last accepted one is refused too, though still in the window.
    const older = await authMfa(
      await mfaTokenOf(server.url, user),
      await totpAt(user.secret, server.clock.now(), -1),
    );
    expect(older.status).toBe(401);
  });

  it('lets the token expire after 5 minutes', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const mfaToken = await mfaTokenOf(server.url, user);
    server.clock.advanceSeconds(5 * 60 + 1);
    const expired = await authMfa(mfaToken, await totpAt(user.secret, server.clock.now()));
    expect(expired.status).toBe(401);
  });

  it('burns the token after 5 wrong codes', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const mfaToken = await mfaTokenOf(server.url, user);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await authMfa(mfaToken, await wrongTotpAt(user.secret, server.clock.now()));
      expect(wrong.status).toBe(401);
    }
    const right = await authMfa(mfaToken, await nextCode(user.secret, server.clock));
    expect(right.status).toBe(401);
    // The account itself is fine: a fresh token works.
    const fresh = await authMfa(
      await mfaTokenOf(server.url, user),
      await nextCode(user.secret, server.clock),
    );
    expect(fresh.status).toBe(200);
  });

  it('answers an unknown token and a malformed body like the contract says', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const unknown = await authMfa(
      '3b241101-e2bb-4255-8caf-4136c566a962',
      await nextCode(user.secret, server.clock),
    );
    expect(unknown.status).toBe(401);
    const malformed = await request(server.url, 'POST', '/api/user/mfa/auth', { body: { token: 5 } });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ code: 'INVALID_INPUT', fields: expect.any(Object) });
  });
});

describe('login with MFA over tRPC', () => {
  it('returns mfa_required with the token, then UserAuth from mfa.auth', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const client = server.trpc();
    const login = await client.auth.login.mutate({
      username: user.username,
      password: user.password,
    });
    expect(login.status).toBe('mfa_required');
    if (login.status !== 'mfa_required') throw new Error('unreachable');

    const wrong = await trpcErrorOf(
      client.mfa.auth.mutate({
        token: login.mfaToken,
        code: await wrongTotpAt(user.secret, server.clock.now()),
      }),
    );
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    expect(['INVALID_CODE', 'CODE_REPLAYED']).toContain(wrong.appCode);

    const code = await nextCode(user.secret, server.clock);
    const auth = await client.mfa.auth.mutate({ token: login.mfaToken, code });
    expect(auth).toMatchObject({ id: user.id, mfa: true });
    expect((await server.trpc(auth.token).auth.me.query()).id).toBe(user.id);

    const used = await trpcErrorOf(client.mfa.auth.mutate({ token: login.mfaToken, code }));
    expect(used).toMatchObject({ code: 'UNAUTHORIZED' });
    const malformed = await trpcErrorOf(client.mfa.auth.mutate({ token: login.mfaToken } as never));
    expect(malformed).toMatchObject({ code: 'BAD_REQUEST', appCode: 'INVALID_INPUT' });
  });
});
