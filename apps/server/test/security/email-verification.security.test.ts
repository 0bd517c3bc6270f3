// Invariant: an address counts as verified only after the code (in its user's session) or the link of a verification mail to that address, each usable once, and the answer to a wrong one never tells whose it was.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrpcClient, trpcErrorOf } from '../support/contract/trpc-client.js';
import { registerAccount, request } from '../support/http.js';
import { knownKeys, openMailbox, reauthToken } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const keys = knownKeys();
const clock = new ManualClock(Date.now());
let server: TestServer;
let mailbox: ReturnType<typeof openMailbox>;
beforeAll(async () => {
  server = await startTestServer({ clock, env: keys });
  mailbox = openMailbox(server, keys);
});
afterAll(() => server.close());

const status = (token: string) => request(server.url, 'GET', '/api/user/email/status', { token });

describe('verified addresses over REST and the typed client', () => {
  it('REST: the link verifies the main address once, without a session', async () => {
    const account = await registerAccount(server.url, 'ev');
    expect((await status(account.token)).json).toMatchObject({ email_verified: false, recovery_email: '' });
    const sent = await request(server.url, 'POST', '/api/user/email/verification', {
      token: account.token,
      body: { address: 'email' },
    });
    expect(sent.status).toBe(200);
    const again = await request(server.url, 'POST', '/api/user/email/verification', {
      token: account.token,
      body: { address: 'email' },
    });
    expect(again.status).toBe(429);
    const { token } = await mailbox.emailVerification(account.email);
    const verified = await request(server.url, 'POST', '/api/email/verify', { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.json).toMatchObject({ email: account.email, email_verified: true });
    const used = await request(server.url, 'POST', '/api/email/verify', { body: { token } });
    const unknown = await request(server.url, 'POST', '/api/email/verify', {
      body: { token: 'no-such-token' },
    });
    expect(`${used.status} ${used.text}`).toBe(`${unknown.status} ${unknown.text}`);
    expect(used.status).toBe(401);
    expect((await status(account.token)).json).toMatchObject({ email_verified: true });
  });

  it('typed client: the code verifies the recovery address in a session; a wrong one is 401', async () => {
    const account = await registerAccount(server.url, 'ec');
    const fresh = await reauthToken(server.url, account, clock);
    const recovery = `rec-${account.username}@example.test`;
    expect(
      (await request(server.url, 'PATCH', '/api/users', { token: fresh, body: { recovery_email: recovery } }))
        .status,
    ).toBe(200);
    const trpc = createTrpcClient(server.url, fresh);
    await trpc.user.sendEmailVerification.mutate({ address: 'recovery_email' });
    const { code } = await mailbox.emailVerification(recovery);
    expect(
      await trpcErrorOf(
        trpc.user.verifyEmail.mutate({ code: code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA' }),
      ),
    ).toMatchObject({ appCode: 'INVALID_CODE' });
    expect(await trpc.user.verifyEmail.mutate({ code })).toMatchObject({
      email_verified: false,
      recovery_email_verified: true,
    });
    expect(await trpcErrorOf(trpc.user.verifyEmail.mutate({ code }))).toMatchObject({
      appCode: 'INVALID_CODE',
    });
  });

  it('parallel use of one link: exactly one success', async () => {
    clock.advanceSeconds(61);
    const account = await registerAccount(server.url, 'ep');
    await request(server.url, 'POST', '/api/user/email/verification', {
      token: account.token,
      body: { address: 'email' },
    });
    const { token } = await mailbox.emailVerification(account.email);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => request(server.url, 'POST', '/api/email/verify', { body: { token } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
  });
});
