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

const disable = (token: string, body: unknown) =>
  request(server.url, 'PUT', '/api/user/mfa/disable', { token, body });
const meOf = (token: string) => request<TUserAuth>(server.url, 'GET', '/api/auth/user', { token });

describe('disable MFA over REST (disableMFA)', () => {
  it('disables with a TOTP code, keeps the session, deletes the recovery codes', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const response = await disable(user.token, { code: await nextCode(user.secret, server.clock) });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');

    const me = await meOf(user.token);
    expect(me.status).toBe(200);
    expect(me.json.mfa).toBe(false);
    const login = await request(server.url, 'POST', '/api/login', {
      body: { username: user.username, password: user.password },
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('x-account-lockout')).toBe('0');
    const recover = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: user.username, recovery_code: user.recoveryCodes[0] },
    });
    expect(recover.status).toBe(401);
    expect((await server.mail()).some((m) => m.kind === 'mfa-disabled' && m.to === user.email)).toBe(true);
  });

  it('disables with a recovery code, which is consumed', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const response = await disable(user.token, {
      recovery_code: (user.recoveryCodes[3] ?? '').toLowerCase(),
    });
    expect(response.status).toBe(200);
    expect((await meOf(user.token)).json.mfa).toBe(false);
  });

  it('refuses a wrong proof with 403 and keeps MFA on', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const now = server.clock.now();
    const proofs = [
      { code: await wrongTotpAt(user.secret, now) },
      // The code that confirmed enable was accepted already: a replay.
      { code: await totpAt(user.secret, now) },
      { recovery_code: 'AAAAAAAAAAAAAAAA' },
      {},
    ];
    for (const proof of proofs) {
      const response = await disable(user.token, proof);
      expect(response.status, JSON.stringify(proof)).toBe(403);
      expect(response.json).toMatchObject({ code: 'PROOF_REJECTED' });
    }
    expect((await meOf(user.token)).json.mfa).toBe(true);
  });

  it('refuses a code already used to log in', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const code = await nextCode(user.secret, server.clock);
    const mfaToken = await mfaTokenOf(server.url, user);
    const auth = await request(server.url, 'POST', '/api/user/mfa/auth', { body: { token: mfaToken, code } });
    expect(auth.status).toBe(200);
    expect((await disable(user.token, { code })).status).toBe(403);
  });

  it('answers 400 when MFA is not on, 400 for a malformed body, 401 without a session', async () => {
    const auth = await registerAccount(server.url);
    const notOn = await disable(auth.token, { code: '123456' });
    expect(notOn.status).toBe(400);
    expect(notOn.json).toMatchObject({ code: 'MFA_NOT_ENABLED' });

    const user = await createMfaUser(server.url, server.clock);
    const malformed = await disable(user.token, { code: ['123456'] });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ code: 'INVALID_INPUT', fields: expect.any(Object) });
    const anonymous = await request(server.url, 'PUT', '/api/user/mfa/disable', { body: { code: '123456' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('disable MFA over tRPC', () => {
  it('disables by code and by recovery code; a wrong proof is FORBIDDEN', async () => {
    const byCode = await createMfaUser(server.url, server.clock);
    const client = server.trpc(byCode.token);
    const wrong = await trpcErrorOf(
      client.mfa.disable.mutate({ code: await wrongTotpAt(byCode.secret, server.clock.now()) }),
    );
    expect(wrong).toMatchObject({ code: 'FORBIDDEN', appCode: 'PROOF_REJECTED', httpStatus: 403 });
    await client.mfa.disable.mutate({ code: await nextCode(byCode.secret, server.clock) });
    expect((await client.auth.me.query()).mfa).toBe(false);

    const byRecovery = await createMfaUser(server.url, server.clock);
    const other = server.trpc(byRecovery.token);
    await other.mfa.disable.mutate({ recovery_code: byRecovery.recoveryCodes[0] ?? '' });
    expect((await other.auth.me.query()).mfa).toBe(false);
  });
});
