// Invariant: the main email changes only under a fresh session and only once the new address proved itself by its mail; a taken address answers as registration does; the old address undoes the change once, ending every session.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, registerAccount, request } from '../support/http.js';
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

const newAccount = (tag: string): Promise<Account> => registerAccount(server.url, tag);

const change = (token: string, email: string) =>
  request(server.url, 'POST', '/api/user/email/change', { token, body: { email } });

describe('changing the main email over REST', () => {
  it('a stale session is refused before anything about the address is told', async () => {
    const account = await newAccount('cs');
    const other = await registerAccount(server.url, 'co');
    clock.advanceSeconds(16 * 60);
    for (const email of [other.email, `free-${account.email}`]) {
      const stale = await change(account.token, email);
      expect(stale.status).toBe(403);
      expect(stale.json).toMatchObject({ code: 'REAUTHENTICATION_REQUIRED' });
    }
  });

  it('a taken address answers as registration does', async () => {
    const account = await newAccount('ct');
    const other = await registerAccount(server.url, 'cu');
    const taken = await change(account.token, other.email.toUpperCase());
    const registering = await request(server.url, 'POST', '/api/register', {
      body: {
        name: 'Probe',
        email: other.email,
        username: `probe${Date.now().toString(36)}`,
        password: 'long enough pw',
      },
    });
    expect(taken.status).toBe(409);
    expect(`${taken.status} ${taken.text}`).toBe(`${registering.status} ${registering.text}`);
  });

  it('takes over once verified by the link; the old address undoes it once, ending every session', async () => {
    const account = await newAccount('cl');
    const next = `next-${account.email}`;
    const asked = await change(account.token, next);
    expect(asked.status).toBe(200);
    expect(asked.json).toMatchObject({ email: account.email, pending_email: next });

    const { token } = await mailbox.emailVerification(next);
    const verified = await request(server.url, 'POST', '/api/email/verify', { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.json).toMatchObject({ email: next, email_verified: true, pending_email: '' });
    const me = await request(server.url, 'GET', '/api/auth/user', { token: account.token });
    expect(me.json).toMatchObject({ email: next });
    const loginNew = await request(server.url, 'POST', '/api/login', {
      body: { username: next, password: account.password },
    });
    expect(loginNew.status).toBe(200);

    const undoToken = await mailbox.emailChangeUndo(account.email);
    const undone = await request(server.url, 'POST', '/api/email/change/undo', {
      body: { token: undoToken },
    });
    expect(undone.status).toBe(200);
    for (const session of [account.token, (loginNew.json as { token: string }).token]) {
      expect((await request(server.url, 'GET', '/api/auth/user', { token: session })).status).toBe(401);
    }
    const again = await request(server.url, 'POST', '/api/email/change/undo', { body: { token: undoToken } });
    const unknown = await request(server.url, 'POST', '/api/email/change/undo', {
      body: { token: 'no-such' },
    });
    expect(again.status).toBe(401);
    expect(`${again.status} ${again.text}`).toBe(`${unknown.status} ${unknown.text}`);
    const loginOld = await request(server.url, 'POST', '/api/login', {
      body: { username: account.email, password: account.password },
    });
    expect(loginOld.status).toBe(200);
  });

  it('typed client: the code confirms the change in a session; the undo is a public procedure', async () => {
    const account = await newAccount('cc');
    const fresh = await reauthToken(server.url, account, clock);
    const trpc = createTrpcClient(server.url, fresh);
    const next = `typed-${account.email}`;
    expect(await trpc.user.changeEmail.mutate({ email: next })).toMatchObject({ pending_email: next });
    const { code } = await mailbox.emailVerification(next);
    expect(await trpc.user.verifyEmail.mutate({ code })).toMatchObject({ email: next, email_verified: true });
    const anonymous = createTrpcClient(server.url);
    expect(
      await trpcErrorOf(anonymous.auth.undoEmailChange.mutate({ token: 'no-such-token' })),
    ).toMatchObject({
      appCode: 'INVALID_CODE',
    });
    await anonymous.auth.undoEmailChange.mutate({ token: await mailbox.emailChangeUndo(account.email) });
    expect(await trpcErrorOf(trpc.auth.me.query())).toMatchObject({ appCode: 'UNAUTHENTICATED' });
  });
});
