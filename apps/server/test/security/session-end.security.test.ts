// Invariant: a session ended by recover, reset, logout or the user ("end", "end all others") is refused on every protected route from then on (its JWT, bearer or cookie), and no other session is.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, loginWithTotp, type MfaAccount, openMailbox } from '../support/mfa.js';
import { appCodeOf, callEveryProtected } from '../support/protected.js';
import { startTestServer, type TestServer } from '../support/server.js';

const clock = new ManualClock(Date.now());
const keys = knownKeys();
let server: TestServer;
let other: MfaAccount;
beforeAll(async () => {
  server = await startTestServer({ clock, env: keys });
  other = await createMfaUser(server.url, clock, await registerAccount(server.url, 'so'));
});
afterAll(() => server.close());

async function expectEnded(token: string) {
  for (const { name, result } of await callEveryProtected(server.url, { authorization: `Bearer ${token}` })) {
    expect({ name, status: result.status, code: appCodeOf(result) }).toEqual({
      name,
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  }
}
const works = async (token: string) =>
  (await request(server.url, 'GET', '/api/auth/user', { token })).status === 200;

describe('sessions ended by recover and reset', () => {
  it('recover ends earlier sessions, keeps the new one and other users', async () => {
    const user = await createMfaUser(server.url, clock, await registerAccount(server.url, 'sr'));
    const earlier = [user.token, await loginWithTotp(server.url, user, clock)];
    const res = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: user.username, recovery_code: user.recoveryCodes[0] },
    });
    expect(res.status).toBe(200);
    for (const token of earlier) await expectEnded(token);
    expect(await works((res.json as { token: string }).token)).toBe(true);
    expect(await works(other.token)).toBe(true);
  });

  it('reset ends earlier sessions, keeps the new one and other users', async () => {
    const user = await createMfaUser(server.url, clock, await registerAccount(server.url, 'sx'));
    const earlier = [user.token, await loginWithTotp(server.url, user, clock)];
    const { token } = (
      await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: user.email } })
    ).json as {
      token: string;
    };
    const res = await request(server.url, 'PUT', `/api/user/mfa/reset/${token}`, {
      body: await openMailbox(server, keys).resetCodes(user),
    });
    expect(res.status).toBe(200);
    for (const t of earlier) await expectEnded(t);
    expect(await works((res.json as { token: string }).token)).toBe(true);
    expect(await works(other.token)).toBe(true);
  });
});

describe('sessions ended by the user', () => {
  const login = async (user: { username: string; password: string }) =>
    (
      (
        await request(server.url, 'POST', '/api/login', {
          body: { username: user.username, password: user.password },
        })
      ).json as { token: string }
    ).token;

  it('logout ends that session on every route; its other sessions stay', async () => {
    const user = await registerAccount(server.url, 'sl');
    const kept = await login(user);
    const out = await request(server.url, 'POST', '/api/logout', { token: user.token });
    expect(out.status).toBe(200);
    await expectEnded(user.token);
    expect(await works(kept)).toBe(true);
  });

  it('"end" and "end all others" end them on every route; the current one stays', async () => {
    const user = await registerAccount(server.url, 'se');
    const [second, third] = [await login(user), await login(user)];
    const listed = (await request(server.url, 'GET', '/api/user/sessions', { token: third })).json as {
      sessions: Array<{ id: string; isCurrent: boolean }>;
    };
    const ofSecond = listed.sessions.find((s) => !s.isCurrent && s.id)?.id ?? '';
    // Which of the others is `second` does not matter: ending one, then the rest, ends both.
    expect(
      (await request(server.url, 'DELETE', `/api/user/sessions/${ofSecond}`, { token: third })).status,
    ).toBe(200);
    expect((await request(server.url, 'DELETE', '/api/user/sessions', { token: third })).status).toBe(200);
    for (const token of [user.token, second]) await expectEnded(token);
    expect(await works(third)).toBe(true);
  });
});
