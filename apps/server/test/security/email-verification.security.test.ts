// Invariant: an address counts as verified only after the code (in its user's session) or the link of a verification mail to that address, each usable once, and the answer to a wrong one never tells whose it was.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from '../support/http.js';
import { knownKeys, openMailbox, reauthToken } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTrpcClient, trpcErrorOf } from '../support/trpc-client.js';

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
  it('REST: registration mails a link that verifies the main address once, without a session', async () => {
    const account = await registerAccount(server.url, 'ev');
    expect((await status(account.token)).json).toMatchObject({ email_verified: false, recovery_email: '' });
    // Registration mailed one: asking for another waits a minute.
    const send = () =>
      request(server.url, 'POST', '/api/user/email/verification', {
        token: account.token,
        body: { address: 'email' },
      });
    const tooSoon = await send();
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(0);
    const { token: first } = await mailbox.emailVerification(account.email);
    clock.advanceSeconds(61);
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(429);
    const { token } = await mailbox.emailVerification(account.email);
    expect(token).not.toBe(first);
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

  it('typed client: setting the recovery address mails it a code, which verifies it in a session; a wrong one is 401', async () => {
    const account = await registerAccount(server.url, 'ec');
    const fresh = await reauthToken(server.url, account, clock);
    const recovery = `rec-${account.username}@example.test`;
    expect(
      (await request(server.url, 'PATCH', '/api/users', { token: fresh, body: { recovery_email: recovery } }))
        .status,
    ).toBe(200);
    const trpc = createTrpcClient(server.url, fresh);
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
    const account = await registerAccount(server.url, 'ep');
    const { token } = await mailbox.emailVerification(account.email);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => request(server.url, 'POST', '/api/email/verify', { body: { token } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
  });
});
