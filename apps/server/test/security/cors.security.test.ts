// Invariant: only the configured exact origins get CORS headers (preflights included), never with credentials, and the headers a console must read are exposed; a request a browser sends from another origin is never authenticated by a cookie, on either transport, whatever CORS allows.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpResult, registerAccount, request } from '../support/http.js';
import { createMfaUser, type MfaAccount, mfaTokenOf } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { nextCode } from '../support/totp.js';

const CONSOLE = 'https://console.example.test';
const OTHER_CONSOLE = 'http://localhost:5199';
const STRANGER = 'https://evil.example.test';
const EXPOSED = ['X-MFA-Token', 'X-Account-Lockout', 'Retry-After', 'X-Expires-At'];

const clock = new ManualClock(Date.now());
let server: TestServer;
let plain: TestServer;
let alice: MfaAccount;

beforeAll(async () => {
  [server, plain] = await Promise.all([
    startTestServer({ clock, env: { CORS_ORIGINS: `${CONSOLE},${OTHER_CONSOLE}` } }),
    startTestServer(),
  ]);
  alice = await createMfaUser(server.url, clock, await registerAccount(server.url, 'cors'));
}, 60_000);
afterAll(() => Promise.all([server.close(), plain.close()]));

const corsHeadersOf = (res: HttpResult) =>
  Object.fromEntries([...res.headers.entries()].filter(([name]) => name.startsWith('access-control-')));
const exposedOf = (res: HttpResult) =>
  (res.headers.get('access-control-expose-headers') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());

const preflight = (target: TestServer, origin: string, requestHeaders = 'authorization,content-type') =>
  // A preflight is the browser's, not an operation of the document.
  request(target.url, 'OPTIONS', '/api/login', {
    unchecked: true,
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': requestHeaders,
    },
  });

/** A cookie session of alice, as the web app gets it (tRPC second step in cookie mode). */
async function cookieSession(): Promise<string> {
  const token = await mfaTokenOf(server.url, alice);
  const res = await request(server.url, 'POST', '/trpc/mfa.auth', {
    unchecked: true,
    body: { token, code: await nextCode(alice.secret, clock) },
    headers: { 'x-twofold-session': 'cookie' },
  });
  const session = /twofold_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!session) throw new Error(`no session cookie: ${res.status} ${res.text}`);
  return `twofold_session=${session}`;
}

describe('CORS for the configured origins', () => {
  it('answers a preflight from an allowed origin, without credentials, and only for bearer and JSON headers', async () => {
    for (const origin of [CONSOLE, OTHER_CONSOLE]) {
      const res = await preflight(server, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')?.split(',')).toEqual(
        expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
      );
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',');
      expect(allowed.sort()).toEqual(['authorization', 'content-type']);
      expect(res.headers.get('access-control-max-age')).toBe('600');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
    // The cookie-session headers are not offered, so a browser refuses to send them cross-origin.
    const csrf = await preflight(server, CONSOLE, 'x-twofold-csrf,x-twofold-session');
    expect(csrf.headers.get('access-control-allow-headers')?.toLowerCase()).not.toMatch(/x-twofold/);
  });

  it('gives a disallowed origin, a request without Origin and a server without CORS_ORIGINS no CORS header', async () => {
    for (const res of [
      await preflight(server, STRANGER),
      await preflight(server, `${CONSOLE}.evil.test`),
      await preflight(server, CONSOLE.toUpperCase()),
      await preflight(plain, CONSOLE),
      await request(server.url, 'GET', '/api/auth/user', { headers: { origin: STRANGER } }),
      await request(server.url, 'GET', '/api/auth/user'),
      await request(plain.url, 'GET', '/api/auth/user', { headers: { origin: CONSOLE } }),
    ]) {
      expect(corsHeadersOf(res)).toEqual({});
      expect(res.status).not.toBe(204);
    }
  });

  it('lets an allowed origin read answers, errors included, and the headers it needs', async () => {
    const login = await request(server.url, 'POST', '/api/login', {
      headers: { origin: CONSOLE },
      body: { username: alice.username, password: alice.password },
    });
    expect(login.status).toBe(401);
    expect(login.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(login.headers.get('access-control-allow-credentials')).toBeNull();
    expect(exposedOf(login)).toEqual(EXPOSED.map((name) => name.toLowerCase()));
    expect(login.headers.get('x-mfa-token')).toBeTruthy();
    expect(login.headers.get('vary')).toMatch(/origin/i);

    // A bearer token works from the console.
    const me = await request(server.url, 'GET', '/api/auth/user', {
      headers: { origin: CONSOLE, 'sec-fetch-site': 'cross-site' },
      token: alice.token,
    });
    expect(me.status).toBe(200);
    expect(me.headers.get('access-control-allow-origin')).toBe(CONSOLE);

    // The recovery window's end and a lockout's headers are readable too.
    const recover = await request(server.url, 'POST', '/api/user/mfa/recover', {
      headers: { origin: CONSOLE },
      body: { identifier: alice.username, recovery_code: alice.recoveryCodes[0] },
    });
    expect(recover.status).toBe(200);
    expect(recover.headers.get('x-expires-at')).toMatch(/^\d+$/);
    expect(recover.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    alice.token = (recover.json as { token: string }).token;
    const victim = await registerAccount(server.url, 'lck');
    let locked: HttpResult | undefined;
    for (let i = 0; i < 6; i += 1) {
      locked = await request(server.url, 'POST', '/api/login', {
        headers: { origin: CONSOLE },
        body: { username: victim.username, password: 'not the password' },
      });
    }
    expect(locked?.status).toBe(429);
    expect(locked?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(locked?.headers.get('x-account-lockout')).toMatch(/^\d+$/);
    expect(locked?.headers.get('access-control-allow-origin')).toBe(CONSOLE);
  });
});

describe('cookies never work cross-origin', () => {
  it('a cookie sent from another origin authenticates nothing; the same cookie same-origin does', async () => {
    const cookie = await cookieSession();
    const sameOrigin = await request(server.url, 'GET', '/api/auth/user', {
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);

    const crossOrigin: Record<string, string>[] = [
      { cookie, origin: CONSOLE },
      { cookie, origin: CONSOLE, 'sec-fetch-site': 'cross-site' },
      { cookie, 'sec-fetch-site': 'same-site' },
      { cookie, origin: STRANGER, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of crossOrigin) {
      const rest = await request(server.url, 'GET', '/api/auth/user', { headers });
      expect(rest.status, JSON.stringify(headers)).toBe(401);
      expect(rest.headers.get('access-control-allow-credentials')).toBeNull();
      const trpc = await request(server.url, 'GET', '/trpc/auth.session', { unchecked: true, headers });
      expect(trpc.status).toBe(200);
      expect((trpc.json as { result: { data: unknown } }).result.data).toBeNull();
    }

    // A state change with the cookie and the CSRF header from the console changes nothing.
    const logout = await request(server.url, 'POST', '/api/logout', {
      headers: { cookie, origin: CONSOLE, 'x-twofold-csrf': '1' },
    });
    expect(logout.status).toBe(200);
    const stillIn = await request(server.url, 'GET', '/api/auth/user', { headers: { cookie } });
    expect(stillIn.status).toBe(200);
  });

  it('a login from another origin asking for a cookie session gets its token in the body and no cookie', async () => {
    const account = await registerAccount(server.url, 'xo');
    const res = await request(server.url, 'POST', '/trpc/auth.login', {
      unchecked: true,
      headers: { origin: CONSOLE, 'sec-fetch-site': 'cross-site', 'x-twofold-session': 'cookie' },
      body: { username: account.username, password: account.password },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie') ?? '').not.toMatch(/twofold_session=/);
    const data = (res.json as { result: { data: { status: string; auth: { token: string } } } }).result.data;
    expect(data.auth.token).not.toBe('');
  });
});
