/**
 * Invariant: a token whose server-side session has ended (logout, "end", "end all others",
 * recover, reset, password change) is refused on every protected route, REST and tRPC, bearer
 * and cookie; and a user can end only their own sessions.
 */
import { buildRegisterInput, createUser } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, appCodeOf, openApiTestbed } from './api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

const WEB_HEADERS = { 'x-twofold-session': 'cookie', 'x-twofold-csrf': '1' } as const;

async function cookieLogin() {
  const response = await t.app.request('/trpc/auth.register', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...WEB_HEADERS },
    body: JSON.stringify(buildRegisterInput()),
  });
  expect(response.status).toBe(200);
  const header = response.headers.getSetCookie().find((c) => c.startsWith('twofold_session=')) ?? '';
  return header.split(';')[0] ?? '';
}

describe('a logged-out token replayed', () => {
  it('is refused on REST and tRPC, as bearer and as cookie', async () => {
    const { auth } = await createUser(t.core);
    await t.caller(auth.token).auth.logout();
    expect((await t.request('GET', '/api/auth/user', { token: auth.token })).status).toBe(401);
    expect((await t.request('GET', '/api/user/sessions', { token: auth.token })).status).toBe(401);
    expect(await appCodeOf(t.caller(auth.token).auth.me())).toBe('UNAUTHENTICATED');
    expect(await appCodeOf(t.caller(auth.token).user.sessions.list())).toBe('UNAUTHENTICATED');

    const cookie = await cookieLogin();
    expect((await t.app.request('/trpc/auth.me', { headers: { cookie } })).status).toBe(200);
    const out = await t.app.request('/trpc/auth.logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, ...WEB_HEADERS },
      body: '{}',
    });
    expect(out.status).toBe(200);
    expect((await t.app.request('/trpc/auth.me', { headers: { cookie } })).status).toBe(401);
    expect((await t.app.request('/api/auth/user', { headers: { cookie } })).status).toBe(401);
    const session = await t.app.request('/trpc/auth.session', { headers: { cookie } });
    expect(((await session.json()) as { result: { data: unknown } }).result.data).toBeNull();
  });

  it('is refused by every request racing the logout once the logout has answered', async () => {
    const { auth } = await createUser(t.core);
    const racing = Array.from({ length: 20 }, () =>
      t.request('GET', '/api/auth/user', { token: auth.token }),
    );
    await t.caller(auth.token).auth.logout();
    const statuses = (await Promise.all(racing)).map((r) => r.status);
    // Each racing request is either served before the end or refused; none fails otherwise.
    expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
    const after = await Promise.all(
      Array.from({ length: 20 }, () => t.request('GET', '/api/auth/user', { token: auth.token })),
    );
    expect(after.map((r) => r.status)).toEqual(Array(20).fill(401));
  });

  it('parallel ends of one session: exactly one succeeds, the rest answer 404', async () => {
    const { input, auth } = await createUser(t.core);
    const login = await t.caller().auth.login({ username: input.username, password: input.password });
    if (login.status !== 'authenticated') throw new Error('expected a session');
    const { sessions } = await t.caller(auth.token).user.sessions.list();
    const target = sessions.find((s) => !s.isCurrent)?.id ?? '';
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.request('DELETE', `/api/user/sessions/${target}`, { token: auth.token }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(404)]);
    expect((await t.request('GET', '/api/auth/user', { token: login.auth.token })).status).toBe(401);
  });
});

describe("another user's session", () => {
  it('cannot be ended: 404 like an unknown id, and it stays live', async () => {
    const a = await createUser(t.core);
    const b = await createUser(t.core);
    const { sessions } = await t.caller(b.auth.token).user.sessions.list();
    const idOfB = sessions[0]?.id ?? '';
    const byRest = await t.request('DELETE', `/api/user/sessions/${idOfB}`, { token: a.auth.token });
    expect(byRest.status).toBe(404);
    const unknown = await t.request('DELETE', '/api/user/sessions/no-such-session', { token: a.auth.token });
    expect(unknown.status).toBe(404);
    expect(await byRest.json()).toEqual(await unknown.json());
    expect(await appCodeOf(t.caller(a.auth.token).user.sessions.end({ id: idOfB }))).toBe(
      'SESSION_NOT_FOUND',
    );
    // "End all others" of A leaves B alone, and A's list never shows B's session.
    await t.caller(a.auth.token).user.sessions.endOthers();
    expect((await t.request('GET', '/api/auth/user', { token: b.auth.token })).status).toBe(200);
    const listedByA = await t.caller(a.auth.token).user.sessions.list();
    expect(listedByA.sessions.map((s) => s.id)).not.toContain(idOfB);
  });

  it('malformed ids are refused before anything is looked up', async () => {
    const a = await createUser(t.core);
    expect(await appCodeOf(t.caller(a.auth.token).user.sessions.end({ id: '' }))).toBe('INVALID_INPUT');
    expect(await appCodeOf(t.caller(a.auth.token).user.sessions.end({ id: 'x'.repeat(500) }))).toBe(
      'INVALID_INPUT',
    );
  });
});
