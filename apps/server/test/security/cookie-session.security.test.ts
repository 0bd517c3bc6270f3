// Invariant: the browser session cookie is set only by a completed login (never by the password step of an MFA user), is HttpOnly and SameSite=Strict, carries no more power than the JWT it holds (forged or ended ones are refused), and no state change authenticated by it runs without the x-twofold-csrf header.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, type MfaAccount, mfaTokenOf } from '../support/mfa.js';
import { appCodeOf, callEveryProtected } from '../support/protected.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { nextCode } from '../support/totp.js';

const COOKIE = 'twofold_session';
const clock = new ManualClock(Date.now());
let server: TestServer;
let alice: MfaAccount;
beforeAll(async () => {
  server = await startTestServer({ clock, env: knownKeys() });
  alice = await createMfaUser(server.url, clock, await registerAccount(server.url, 'ck'));
});
afterAll(() => server.close());

const cookieMode = { 'x-twofold-session': 'cookie' };
const sessionCookieOf = (setCookie: string | null) =>
  new RegExp(`${COOKIE}=([^;]+)`).exec(setCookie ?? '')?.[1];

describe('cookie sessions', () => {
  it('the password step of an MFA user sets no session cookie, even in cookie mode', async () => {
    const res = await request(server.url, 'POST', '/trpc/auth.login', {
      unchecked: true,
      body: { username: alice.username, password: alice.password },
      headers: cookieMode,
    });
    expect(res.status).toBe(200);
    expect(sessionCookieOf(res.headers.get('set-cookie'))).toBeUndefined();
    const rest = await request(server.url, 'POST', '/api/login', {
      body: { username: alice.username, password: alice.password },
      headers: cookieMode,
    });
    expect(rest.status).toBe(401);
    expect(sessionCookieOf(rest.headers.get('set-cookie'))).toBeUndefined();
  });

  it('the second step in cookie mode sets an HttpOnly SameSite=Strict cookie; mutations by cookie need the CSRF header', async () => {
    const token = await mfaTokenOf(server.url, alice);
    const res = await request(server.url, 'POST', '/trpc/mfa.auth', {
      unchecked: true,
      body: { token, code: await nextCode(alice.secret, clock) },
      headers: cookieMode,
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    const session = sessionCookieOf(setCookie);
    expect(session).toBeDefined();
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = { cookie: `${COOKIE}=${session}` };

    // Reads work by cookie.
    expect(
      (await request(server.url, 'GET', '/trpc/auth.me', { unchecked: true, headers: cookie })).status,
    ).toBe(200);
    // State changes by cookie without the header: 403, and nothing changed.
    for (const [method, path, body] of [
      ['PATCH', '/api/users', { name: 'csrf-victim' }],
      ['POST', '/trpc/user.update', { name: 'csrf-victim' }],
      ['PUT', '/api/user/mfa/disable', {}],
      ['POST', '/trpc/mfa.disable', {}],
      ['PUT', '/api/user/mfa/recovery/disable', undefined],
    ] as const) {
      const attack = await request(server.url, method, path, {
        headers: cookie,
        ...(body ? { body } : {}),
        unchecked: path.startsWith('/trpc/'),
      });
      expect({ path, status: attack.status, code: appCodeOf(attack) }).toEqual({
        path,
        status: 403,
        code: 'CSRF_REJECTED',
      });
    }
    const me = (await request(server.url, 'GET', '/api/auth/user', { token: alice.token })).json as {
      name: string;
      mfa: boolean;
    };
    expect(me.name).not.toBe('csrf-victim');
    expect(me.mfa).toBe(true);
    // With the header it is the web app: allowed.
    const allowed = await request(server.url, 'PATCH', '/api/users', {
      headers: { ...cookie, 'x-twofold-csrf': '1' },
      body: { name: 'renamed by the app' },
    });
    expect(allowed.status).toBe(200);
  });

  it('a forged JWT in the cookie opens nothing', async () => {
    const [header, payload] = alice.token.split('.');
    const forged = [
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`,
      `${header}.${payload}.AAAA`,
      'garbage',
    ];
    for (const value of forged) {
      for (const { name, result } of await callEveryProtected(server.url, {
        cookie: `${COOKIE}=${value}`,
        'x-twofold-csrf': '1',
      })) {
        expect({ name, status: result.status }).toEqual({ name, status: 401 });
      }
    }
  });
});
