import type { TUserAuth } from '@twofold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMfaUser, nextTotp, passwordStep, registerUser } from './support/contract/flows.js';
import { startTestServer, type TestServer } from './support/contract/test-server.js';
import { totpAt, wrongTotpAt } from './support/contract/totp.js';
import { trpcErrorOf } from './support/contract/trpc-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const authMfa = (token: string, code: string) =>
  server.rest<TUserAuth>('POST', '/api/user/mfa/auth', { json: { token, code } });

describe('login with MFA over REST (authUser → X-MFA-Token → authMFA)', () => {
  it('answers the password step with 401 and X-MFA-Token, and the second step with UserAuth', async () => {
    const user = await createMfaUser(server);
    const mfaToken = await passwordStep(server, user.input);

    const authed = await authMfa(mfaToken, await nextTotp(server, user.secret));
    expect(authed.status).toBe(200);
    expect(authed.body).toMatchObject({
      id: user.auth.id,
      user: user.input.username,
      mfa: true,
      origin: 'local',
    });

    const me = await server.rest<TUserAuth>('GET', '/api/auth/user', { token: authed.body.token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(user.auth.id);
  });

  it('issues the token on both login paths and for the email as identifier', async () => {
    const user = await createMfaUser(server);
    for (const [path, username] of [
      ['/api/auth/user', user.input.username],
      ['/api/login', user.input.email.toUpperCase()],
    ] as const) {
      const response = await server.rest('POST', path, {
        json: { username, password: user.input.password },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('x-mfa-token')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs a user without MFA straight in, with X-Account-Lockout: 0 and no token', async () => {
    const { input } = await registerUser(server);
    const response = await server.rest<TUserAuth>('POST', '/api/login', {
      json: { username: input.username, password: input.password },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-account-lockout')).toBe('0');
    expect(response.headers.get('x-mfa-token')).toBeNull();
    expect(response.body.mfa).toBe(false);
  });

  it('uses an MFA token once', async () => {
    const user = await createMfaUser(server);
    const mfaToken = await passwordStep(server, user.input);
    expect((await authMfa(mfaToken, await nextTotp(server, user.secret))).status).toBe(200);
    const reused = await authMfa(mfaToken, await nextTotp(server, user.secret));
    expect(reused.status).toBe(401);
  });

  it('never accepts a time step twice: not the enable code, not a code used at login', async () => {
    const user = await createMfaUser(server);
    // createMfaUser enabled with the code of the current step: it counts as accepted.
    const enableCode = await totpAt(user.secret, server.clock.now());
    const first = await authMfa(await passwordStep(server, user.input), enableCode);
    expect(first.status).toBe(401);

    const code = await nextTotp(server, user.secret);
    expect((await authMfa(await passwordStep(server, user.input), code)).status).toBe(200);
    const replay = await authMfa(await passwordStep(server, user.input), code);
    expect(replay.status).toBe(401);
    // An older step than the last accepted one is refused too, though still in the window.
    const older = await authMfa(
      await passwordStep(server, user.input),
      await totpAt(user.secret, server.clock.now(), -1),
    );
    expect(older.status).toBe(401);
  });

  it('lets the token expire after 5 minutes', async () => {
    const user = await createMfaUser(server);
    const mfaToken = await passwordStep(server, user.input);
    server.clock.advanceSeconds(5 * 60 + 1);
    const expired = await authMfa(mfaToken, await totpAt(user.secret, server.clock.now()));
    expect(expired.status).toBe(401);
  });

  it('burns the token after 5 wrong codes', async () => {
    const user = await createMfaUser(server);
    const mfaToken = await passwordStep(server, user.input);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await authMfa(mfaToken, await wrongTotpAt(user.secret, server.clock.now()));
      expect(wrong.status).toBe(401);
    }
    const right = await authMfa(mfaToken, await nextTotp(server, user.secret));
    expect(right.status).toBe(401);
    // The account itself is fine: a fresh token works.
    const fresh = await authMfa(await passwordStep(server, user.input), await nextTotp(server, user.secret));
    expect(fresh.status).toBe(200);
  });

  it('answers an unknown token and a malformed body like the contract says', async () => {
    const user = await createMfaUser(server);
    const unknown = await authMfa(
      '3b241101-e2bb-4255-8caf-4136c566a962',
      await nextTotp(server, user.secret),
    );
    expect(unknown.status).toBe(401);
    const malformed = await server.rest('POST', '/api/user/mfa/auth', { json: { token: 5 } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'INVALID_INPUT', fields: expect.any(Object) });
  });
});

describe('login with MFA over tRPC', () => {
  it('returns mfa_required with the token, then UserAuth from mfa.auth', async () => {
    const user = await createMfaUser(server);
    const client = server.trpc();
    const login = await client.auth.login.mutate({
      username: user.input.username,
      password: user.input.password,
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

    const code = await nextTotp(server, user.secret);
    const auth = await client.mfa.auth.mutate({ token: login.mfaToken, code });
    expect(auth).toMatchObject({ id: user.auth.id, mfa: true });
    expect((await server.trpc(auth.token).auth.me.query()).id).toBe(user.auth.id);

    const used = await trpcErrorOf(client.mfa.auth.mutate({ token: login.mfaToken, code }));
    expect(used).toMatchObject({ code: 'UNAUTHORIZED' });
    const malformed = await trpcErrorOf(client.mfa.auth.mutate({ token: login.mfaToken } as never));
    expect(malformed).toMatchObject({ code: 'BAD_REQUEST', appCode: 'INVALID_INPUT' });
  });
});
