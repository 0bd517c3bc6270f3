// Invariant: an export holds what the account is and did, never a secret; an account is deleted only by a fresh session of its own with, while MFA is on, a second factor given with the request, and after that nothing it held opens anything.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, loginWithTotp, mfaTokenOf } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { nextCode } from '../support/totp.js';
import { createTrpcClient, trpcErrorOf } from '../support/trpc-client.js';

const keys = knownKeys();
const clock = new ManualClock(Date.now());
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock, env: keys });
});
afterAll(() => server.close());

const me = (token: string) => request(server.url, 'GET', '/api/auth/user', { token });

describe('export', () => {
  it('REST: a JSON download of the profile, factors, sessions and events, without a secret', async () => {
    const account = await createMfaUser(server.url, clock, await registerAccount(server.url, 'ex'));
    const token = await loginWithTotp(server.url, account, clock);
    const exported = await request(server.url, 'GET', '/api/user/export', { token });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toBe(
      `attachment; filename="twofold-account-${account.username}.json"`,
    );
    expect(exported.json).toMatchObject({
      profile: { id: account.id, username: account.username, email: account.email },
      factors: { mfa: true, totp: { enabledAtMs: expect.any(Number) }, recoveryCodes: { unused: 6 } },
      sessions: expect.arrayContaining([expect.objectContaining({ isCurrent: true })]),
    });
    for (const secret of [account.secret, account.password, token, ...account.recoveryCodes])
      expect(exported.text).not.toContain(secret);
  });
});

describe('deletion', () => {
  it('REST: refused under a stale session and without or with a wrong second factor; then the account and its tokens are gone', async () => {
    const account = await createMfaUser(server.url, clock, await registerAccount(server.url, 'de'));
    const token = await loginWithTotp(server.url, account, clock);
    const pendingMfaToken = await mfaTokenOf(server.url, account);

    clock.advanceSeconds(16 * 60);
    const stale = await request(server.url, 'DELETE', '/api/user', {
      token,
      body: { code: await nextCode(account.secret, clock) },
    });
    expect(stale.status).toBe(403);
    expect(stale.json).toMatchObject({ code: 'REAUTHENTICATION_REQUIRED' });

    const fresh = await loginWithTotp(server.url, account, clock);
    const withoutProof = await request(server.url, 'DELETE', '/api/user', { token: fresh });
    expect(withoutProof.status).toBe(400);
    expect(withoutProof.json).toMatchObject({ code: 'INVALID_INPUT', fields: { code: expect.any(String) } });
    const wrong = await request(server.url, 'POST', '/api/user/delete', {
      token: fresh,
      body: { recovery_code: 'AAAA-BBBB-CCCC-DDDD' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json).toMatchObject({ code: 'PROOF_REJECTED' });
    expect((await me(fresh)).status).toBe(200);

    const deleted = await request(server.url, 'DELETE', '/api/user', {
      token: fresh,
      body: { recovery_code: account.recoveryCodes[0] },
    });
    expect(deleted.status).toBe(200);
    for (const session of [token, fresh]) expect((await me(session)).status).toBe(401);
    const secondStep = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: pendingMfaToken, code: await nextCode(account.secret, clock) },
    });
    expect(secondStep.status).toBe(401);
    const recover = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: account.username, recovery_code: account.recoveryCodes[1] },
    });
    expect(recover.status).toBe(401);
    const login = await request(server.url, 'POST', '/api/login', {
      body: { username: account.username, password: account.password },
    });
    expect(login.status).toBe(401);
    expect(login.json).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    // The identifiers are free again.
    const again = await request(server.url, 'POST', '/api/register', {
      body: { name: 'Again', email: account.email, username: account.username, password: account.password },
    });
    expect(again.status).toBe(200);
  });

  it('REST: an account without MFA needs only a fresh session and no body', async () => {
    const account = await registerAccount(server.url, 'dn');
    expect((await request(server.url, 'DELETE', '/api/user', { token: account.token })).status).toBe(200);
    expect((await me(account.token)).status).toBe(401);
  });

  it('typed client: user.export and user.delete with a TOTP code', async () => {
    const account = await createMfaUser(server.url, clock, await registerAccount(server.url, 'dt'));
    const trpc = createTrpcClient(server.url, await loginWithTotp(server.url, account, clock));
    expect((await trpc.user.export.query()).profile).toMatchObject({ username: account.username });
    expect(await trpcErrorOf(trpc.user.delete.mutate({}))).toMatchObject({ appCode: 'INVALID_INPUT' });
    await trpc.user.delete.mutate({ code: await nextCode(account.secret, clock) });
    expect(await trpcErrorOf(trpc.auth.me.query())).toMatchObject({ appCode: 'UNAUTHENTICATED' });
  });
});
