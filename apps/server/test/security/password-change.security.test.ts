// Invariant: a password change takes the current password (never a recovery code or email codes), counts wrong ones with login's 5-guess lock per account and address, ends every other session, tells both addresses without the password, and of parallel changes exactly one applies.
import { PASSWORD_POLICY } from '@twofold/core';
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpResult, registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, openMailbox } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';

const COOKIE = 'twofold_session';
const clock = new ManualClock(Date.now());
const keys = knownKeys();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock, env: keys });
});
afterAll(() => server.close());

const login = (username: string, password: string) =>
  request(server.url, 'POST', '/api/login', { body: { username, password } });
const change = (token: string, body: Record<string, unknown>) =>
  request(server.url, 'PATCH', '/api/users', { token, body });
const statusOf = async (token: string) =>
  (await request(server.url, 'GET', '/api/auth/user', { token })).status;
const tokenOf = (res: HttpResult) => (res.json as { token: string }).token;

describe('password change', () => {
  it('with the right current password: the old one is refused, the new one logs in, other sessions end, the returned token works', async () => {
    const a = await registerAccount(server.url, 'pc');
    const other = tokenOf(await login(a.username, a.password));
    const next = `${a.password}-next`;
    const res = await change(a.token, { password: next, current_password: a.password });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: a.id, user: a.username, email: a.email, token: expect.any(String) });
    expect(await statusOf(a.token)).toBe(401);
    expect(await statusOf(other)).toBe(401);
    expect(await statusOf(tokenOf(res))).toBe(200);
    expect((await login(a.username, a.password)).status).toBe(401);
    expect((await login(a.username, next)).status).toBe(200);
  });

  it('without current_password: 400 naming it, and nothing changes', async () => {
    const a = await registerAccount(server.url, 'pm');
    const res = await change(a.token, { password: 'a-new-long-password', name: 'Renamed' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      code: 'INVALID_INPUT',
      fields: { current_password: expect.any(String) },
    });
    const short = await change(a.token, { password: 'short', current_password: a.password });
    expect(short.status).toBe(400);
    expect(short.json).toMatchObject({ fields: { password: expect.any(String) } });
    expect((await login(a.username, a.password)).json).toMatchObject({ name: `Test ${a.username}` });
    expect(await statusOf(a.token)).toBe(200);
  });

  it('a wrong current password is 403; 5 of them, mixed with login failures, lock both change and login (429)', async () => {
    const a = await registerAccount(server.url, 'pw');
    const statuses: number[] = [];
    for (let i = 0; i < PASSWORD_POLICY.maxFailures; i++) {
      const res =
        i % 2 === 0
          ? await change(a.token, { password: 'a-new-long-password', current_password: `wrong-${i}` })
          : await login(a.username, `wrong-${i}`);
      statuses.push(res.status);
      if (i % 2 === 0) expect(res.json).toMatchObject({ code: 'PROOF_REJECTED' });
    }
    expect(statuses).toEqual([403, 401, 403, 401, 403]);
    const locked = await change(a.token, { password: 'a-new-long-password', current_password: a.password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(a.username, a.password)).status).toBe(429);
    // The session itself is not ended by guesses, and the password did not change.
    expect(await statusOf(a.token)).toBe(200);
    clock.advanceSeconds(PASSWORD_POLICY.baseLockSeconds + 1);
    expect((await login(a.username, a.password)).status).toBe(200);
  });

  it('a session opened by a recovery code cannot change the password without the current one', async () => {
    const u = await createMfaUser(server.url, clock, await registerAccount(server.url, 'pr'));
    const recovered = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: u.username, recovery_code: u.recoveryCodes[0] },
    });
    expect(recovered.status).toBe(200);
    const token = tokenOf(recovered);
    const attempts = [
      { password: 'attacker-password-1' },
      { password: 'attacker-password-1', current_password: u.recoveryCodes[1] },
      { password: 'attacker-password-1', recovery_code: u.recoveryCodes[1] },
    ];
    expect(await Promise.all(attempts.map(async (body) => (await change(token, body)).status))).toEqual([
      400, 403, 400,
    ]);
    // The owner's password still passes the first step (MFA is on: 401 with an MFA token).
    const owner = await login(u.username, u.password);
    expect(owner.headers.get('x-mfa-token')).toBeTruthy();
    expect(await statusOf(token)).toBe(200);
  });

  it('tells the main and the recovery address, without the old or the new password', async () => {
    const u = await createMfaUser(server.url, clock, await registerAccount(server.url, 'pn'));
    const next = `${u.password}-changed`;
    const res = await change(u.token, { password: next, current_password: u.password });
    expect(res.status).toBe(200);
    const mails = (await openMailbox(server, keys).all()).filter(
      (m) => m.kind === 'password-changed' && [u.email, u.recoveryEmail].includes(m.to),
    );
    expect(mails.map((m) => m.to).sort()).toEqual([u.email, u.recoveryEmail].sort());
    for (const mail of mails) {
      for (const part of [mail.subject, mail.text, mail.html]) {
        expect(part).not.toContain(next);
        expect(part).not.toContain(u.password);
      }
    }
  });

  it('in cookie mode over tRPC, the new session goes into the cookie', async () => {
    const a = await registerAccount(server.url, 'pt');
    const res = await request(server.url, 'POST', '/trpc/user.update', {
      unchecked: true,
      token: a.token,
      headers: { 'x-twofold-session': 'cookie' },
      body: { password: `${a.password}-trpc`, current_password: a.password },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ result: { data: { token: '' } } });
    const session = new RegExp(`${COOKIE}=([^;]+)`).exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(session).toBeDefined();
    expect(await statusOf(session ?? '')).toBe(200);
    expect(await statusOf(a.token)).toBe(401);
  });

  it('20 parallel changes with the right current password: exactly one applies, and only its password logs in', async () => {
    const a = await registerAccount(server.url, 'pp');
    const candidates = Array.from({ length: 20 }, (_, i) => `parallel-password-${i}`);
    const results = await Promise.all(
      candidates.map((password) => change(a.token, { password, current_password: a.password })),
    );
    const winners = results.flatMap((res, i) => (res.status === 200 ? [i] : []));
    expect(winners).toHaveLength(1);
    // The winner ended the session the others came with.
    expect(results.filter((res) => res.status !== 200).map((res) => res.status)).toEqual(Array(19).fill(401));
    const winner = candidates[winners[0] ?? 0] ?? '';
    expect((await login(a.username, winner)).status).toBe(200);
    const losers = candidates.filter((c) => c !== winner).slice(0, PASSWORD_POLICY.maxFailures - 2);
    for (const password of [a.password, ...losers])
      expect((await login(a.username, password)).status).toBe(401);
    expect((await login(a.username, winner)).status).toBe(200);
    expect(await statusOf(tokenOf(results[winners[0] ?? 0] as HttpResult))).toBe(200);
  });
});
