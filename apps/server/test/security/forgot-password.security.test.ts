// Invariant: "forgot password" answers the same for every identifier, its code or link sets a password once within 30 minutes and cannot be guessed, and it never gets anyone past the second factor nor keeps a session alive.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, openMailbox } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { nextCode } from '../support/totp.js';
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

const NEW_PASSWORD = 'a brand new passphrase';
const forgot = (identifier: string) =>
  request(server.url, 'POST', '/api/user/password/forgot', { body: { identifier } });
const reset = (body: Record<string, string | undefined>) =>
  request(server.url, 'POST', '/api/user/password/reset', { body });
const login = (username: string, password: string) =>
  request(server.url, 'POST', '/api/login', { body: { username, password } });
const me = (token: string) => request(server.url, 'GET', '/api/auth/user', { token });

/** A fresh account with a forgot-password mail waiting; the clock moved past the sending limit. */
async function accountWithMail(tag: string): Promise<{ account: Account; code: string; token: string }> {
  clock.advanceSeconds(61);
  const account = await registerAccount(server.url, tag);
  expect((await forgot(account.email)).status).toBe(200);
  return { account, ...(await mailbox.passwordReset(account.email)) };
}

describe('forgot password over REST and the typed client', () => {
  it('REST: the code sets the password, ends the session, and logs nobody in', async () => {
    const { account, code } = await accountWithMail('fp');
    const res = await reset({ identifier: account.username, code, password: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await me(account.token)).status).toBe(401);
    expect((await login(account.username, account.password)).status).toBe(401);
    expect((await login(account.username, NEW_PASSWORD)).status).toBe(200);
    const notices = (await mailbox.all()).filter(
      (m) => m.kind === 'password-reset' && m.to === account.email,
    );
    expect(notices).toHaveLength(1);
  });

  it("ShellHub's recover_password path and the typed client's link token do the same", async () => {
    clock.advanceSeconds(61);
    const account = await registerAccount(server.url, 'fs');
    const asked = await request(server.url, 'POST', '/api/user/recover_password', {
      body: { username: account.username },
    });
    expect(asked.status).toBe(200);
    expect(asked.text).toBe('');
    const { token } = await mailbox.passwordReset(account.email);
    const trpc = createTrpcClient(server.url);
    await expect(trpc.auth.resetPassword.mutate({ token, password: NEW_PASSWORD })).resolves.toBeUndefined();
    expect(
      await trpcErrorOf(trpc.auth.resetPassword.mutate({ token, password: NEW_PASSWORD })),
    ).toMatchObject({
      appCode: 'INVALID_CODE',
    });
    expect((await login(account.email, NEW_PASSWORD)).status).toBe(200);
    await expect(trpc.auth.forgotPassword.mutate({ identifier: 'nobody-here' })).resolves.toBeUndefined();
  });

  it('a reset password never skips the second step of an MFA user', async () => {
    clock.advanceSeconds(61);
    const account = await createMfaUser(server.url, clock, await registerAccount(server.url, 'fm'));
    expect((await forgot(account.username)).status).toBe(200);
    const { code } = await mailbox.passwordReset(account.email);
    expect((await reset({ identifier: account.email, code, password: NEW_PASSWORD })).status).toBe(200);
    const step = await login(account.username, NEW_PASSWORD);
    expect(step.status).toBe(401);
    expect(step.json).toMatchObject({ code: 'MFA_REQUIRED' });
    const mfaToken = step.headers.get('x-mfa-token') ?? '';
    const done = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: mfaToken, code: await nextCode(account.secret, clock) },
    });
    expect(done.status).toBe(200);
    const notices = (await mailbox.all()).filter((m) => m.kind === 'password-reset');
    expect(notices.map((m) => m.to)).toEqual(expect.arrayContaining([account.email, account.recoveryEmail]));
  });
});

describe('forgot password: attacks', () => {
  it('answers an unknown and a known identifier alike: 200, no body', async () => {
    clock.advanceSeconds(61);
    const account = await registerAccount(server.url, 'fe');
    const answers = new Set<string>();
    for (const identifier of [account.username, 'ghost-account', account.email, 'ghost@example.test']) {
      const res = await forgot(identifier);
      answers.add(`${res.status} ${res.text}`);
    }
    expect([...answers]).toEqual(['200 ']);
  });

  it('a used or expired code is refused with the 401 of a wrong one', async () => {
    const used = await accountWithMail('fu');
    expect(
      (await reset({ identifier: used.account.email, code: used.code, password: NEW_PASSWORD })).status,
    ).toBe(200);
    const expired = await accountWithMail('fx');
    clock.advanceSeconds(30 * 60);
    const answers = new Set<string>();
    for (const attempt of [
      { identifier: used.account.email, code: used.code },
      { token: used.token },
      { identifier: expired.account.email, code: expired.code },
      { token: expired.token },
      { identifier: 'ghost-account', code: 'ABCDEFGH' },
      { token: 'no-such-token' },
    ]) {
      const res = await reset({ ...attempt, password: 'yet another passphrase' });
      answers.add(`${res.status} ${res.text}`);
    }
    expect([...answers]).toHaveLength(1);
    expect([...answers][0]).toMatch(/^401 /);
    expect(JSON.parse([...answers][0]!.slice(4))).toEqual({
      message: expect.any(String),
      code: 'INVALID_CODE',
    });
    expect((await login(expired.account.username, expired.account.password)).status).toBe(200);
  });

  it('parallel use of one code: exactly one success', async () => {
    const { account, code } = await accountWithMail('fr');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        reset({ identifier: account.username, code, password: `${NEW_PASSWORD} ${i}` }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
    const winner = results.findIndex((r) => r.status === 200);
    expect((await login(account.username, `${NEW_PASSWORD} ${winner}`)).status).toBe(200);
  });

  it('brute force of the code is limited: the request burns for the address after 5, 429 after 10', async () => {
    const { account, code } = await accountWithMail('fb');
    const wrong = code.startsWith('A') ? 'BBBBBBBB' : 'AAAAAAAA';
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await reset({ identifier: account.username, code: wrong, password: NEW_PASSWORD })).status,
      );
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    // Later, with the lock over, the right code from this address is refused: the request burned for it.
    clock.advanceSeconds(61);
    expect((await reset({ identifier: account.username, code, password: NEW_PASSWORD })).status).toBe(401);
    expect((await login(account.username, account.password)).status).toBe(200);
  });
});
