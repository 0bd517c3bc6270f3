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

const disable = (token: string, json: unknown) =>
  server.rest('PUT', '/api/user/mfa/disable', { token, json });
const meOf = (token: string) => server.rest<TUserAuth>('GET', '/api/auth/user', { token });

describe('disable MFA over REST (disableMFA)', () => {
  it('disables with a TOTP code, keeps the session, deletes the recovery codes', async () => {
    const user = await createMfaUser(server);
    const response = await disable(user.auth.token, { code: await nextTotp(server, user.secret) });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');

    const me = await meOf(user.auth.token);
    expect(me.status).toBe(200);
    expect(me.body.mfa).toBe(false);
    const login = await server.rest('POST', '/api/login', {
      json: { username: user.input.username, password: user.input.password },
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('x-account-lockout')).toBe('0');
    const recover = await server.rest('POST', '/api/user/mfa/recover', {
      json: { identifier: user.input.username, recovery_code: user.recoveryCodes[0] },
    });
    expect(recover.status).toBe(401);
    expect((await server.mail()).some((m) => m.kind === 'mfa-disabled' && m.to === user.input.email)).toBe(
      true,
    );
  });

  it('disables with a recovery code, which is consumed', async () => {
    const user = await createMfaUser(server);
    const response = await disable(user.auth.token, {
      recovery_code: (user.recoveryCodes[3] ?? '').toLowerCase(),
    });
    expect(response.status).toBe(200);
    expect((await meOf(user.auth.token)).body.mfa).toBe(false);
  });

  it('refuses a wrong proof with 403 and keeps MFA on', async () => {
    const user = await createMfaUser(server);
    const now = server.clock.now();
    const proofs = [
      { code: await wrongTotpAt(user.secret, now) },
      // The code that confirmed enable was accepted already: a replay.
      { code: await totpAt(user.secret, now) },
      { recovery_code: 'AAAAAAAAAAAAAAAA' },
      {},
    ];
    for (const proof of proofs) {
      const response = await disable(user.auth.token, proof);
      expect(response.status, JSON.stringify(proof)).toBe(403);
      expect(response.body).toMatchObject({ code: 'PROOF_REJECTED' });
    }
    expect((await meOf(user.auth.token)).body.mfa).toBe(true);
  });

  it('refuses a code already used to log in', async () => {
    const user = await createMfaUser(server);
    const code = await nextTotp(server, user.secret);
    const mfaToken = await passwordStep(server, user.input);
    const auth = await server.rest('POST', '/api/user/mfa/auth', { json: { token: mfaToken, code } });
    expect(auth.status).toBe(200);
    expect((await disable(user.auth.token, { code })).status).toBe(403);
  });

  it('answers 400 when MFA is not on, 400 for a malformed body, 401 without a session', async () => {
    const { auth } = await registerUser(server);
    const notOn = await disable(auth.token, { code: '123456' });
    expect(notOn.status).toBe(400);
    expect(notOn.body).toMatchObject({ code: 'MFA_NOT_ENABLED' });

    const user = await createMfaUser(server);
    const malformed = await disable(user.auth.token, { code: ['123456'] });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'INVALID_INPUT', fields: expect.any(Object) });
    const anonymous = await server.rest('PUT', '/api/user/mfa/disable', { json: { code: '123456' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('disable MFA over tRPC', () => {
  it('disables by code and by recovery code; a wrong proof is FORBIDDEN', async () => {
    const byCode = await createMfaUser(server);
    const client = server.trpc(byCode.auth.token);
    const wrong = await trpcErrorOf(
      client.mfa.disable.mutate({ code: await wrongTotpAt(byCode.secret, server.clock.now()) }),
    );
    expect(wrong).toMatchObject({ code: 'FORBIDDEN', appCode: 'PROOF_REJECTED', httpStatus: 403 });
    await client.mfa.disable.mutate({ code: await nextTotp(server, byCode.secret) });
    expect((await client.auth.me.query()).mfa).toBe(false);

    const byRecovery = await createMfaUser(server);
    const other = server.trpc(byRecovery.auth.token);
    await other.mfa.disable.mutate({ recovery_code: byRecovery.recoveryCodes[0] ?? '' });
    expect((await other.auth.me.query()).mfa).toBe(false);
  });
});
