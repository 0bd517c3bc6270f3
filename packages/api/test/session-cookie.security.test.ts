/**
 * Invariant: a browser session lives only in an HttpOnly, SameSite=Strict cookie that no
 * response body ever reveals, and a state change authenticated by that cookie needs the
 * `x-twofold-csrf: 1` header, which a cross-site form cannot send.
 */
import {
  buildRegisterInput,
  createMfaUser,
  latestResetCode,
  openTestCore,
  type StoreTestCore,
  totpAt,
} from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiApp } from '../src/app.js';
import { silentLogger } from '../src/logger.js';
import { appRouter } from '../src/router.js';
import type { ProcedureMeta } from '../src/trpc/enrollment-meta.js';

let t: StoreTestCore;
let app: ReturnType<typeof createApiApp>;

beforeEach(async () => {
  t = await openTestCore();
  app = createApiApp({ core: t.core, logger: silentLogger });
});
afterEach(() => t.close());

const WEB_HEADERS = { 'x-twofold-session': 'cookie', 'x-twofold-csrf': '1' } as const;

interface TrpcBody {
  result?: { data?: Record<string, unknown> | null };
  error?: { message: string; data: { appCode: string; httpStatus: number } };
}

function mutate(path: string, input: unknown, headers: Record<string, string> = {}) {
  return app.request(`/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
}

function query(path: string, headers: Record<string, string> = {}) {
  return app.request(`/trpc/${path}`, { headers });
}

const bodyOf = async (response: Response) => (await response.json()) as TrpcBody;

async function dataOf<T>(response: Response): Promise<T> {
  const data = (await bodyOf(response)).result?.data;
  if (!data) throw new Error(`no result data (status ${response.status})`);
  return data as T;
}

/** The `name=value` part of the response's session cookie. */
function cookiePairOf(response: Response): string {
  // A complete login also sets the device cookie: pick the session's.
  const header = response.headers.getSetCookie().find((c) => /^(__Host-)?twofold_session=/.test(c)) ?? '';
  return header.split(';')[0] ?? '';
}

async function registerInCookieMode() {
  const input = buildRegisterInput();
  const response = await mutate('auth.register', input, WEB_HEADERS);
  expect(response.status).toBe(200);
  return { input, response, cookie: cookiePairOf(response) };
}

describe('logging in from the web app (x-twofold-session: cookie)', () => {
  it('sets an HttpOnly SameSite=Strict cookie for Path=/ and blanks the token in the body', async () => {
    const { response } = await registerInCookieMode();
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^twofold_session=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('Max-Age=86400');
    expect(setCookie).not.toContain('Secure');
    const body = await bodyOf(response);
    expect(body.result?.data).toMatchObject({ token: '', mfa: false });
  });

  it('does the same for auth.login, with username or email', async () => {
    const { input } = await registerInCookieMode();
    for (const username of [input.username, input.email]) {
      const response = await mutate('auth.login', { username, password: input.password }, WEB_HEADERS);
      expect(cookiePairOf(response)).toMatch(/^twofold_session=.+/);
      const data = await dataOf<{ status: string; auth: { token: string } }>(response);
      expect(data.status).toBe('authenticated');
      expect(data.auth.token).toBe('');
    }
  });

  it('keeps the token in the body and sets no cookie for other clients', async () => {
    const response = await mutate('auth.register', buildRegisterInput());
    expect(response.headers.get('set-cookie')).toBeNull();
    const data = await dataOf<{ token: string }>(response);
    expect(data.token.split('.')).toHaveLength(3);
    const rest = await app.request('/api/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...WEB_HEADERS },
      body: JSON.stringify(buildRegisterInput()),
    });
    expect(rest.headers.get('set-cookie')).toBeNull();
    expect(((await rest.json()) as { token: string }).token.split('.')).toHaveLength(3);
  });

  it('marks the cookie Secure with the __Host- prefix when the public URL is https', async () => {
    const secureApp = createApiApp({ core: t.core, logger: silentLogger, secureCookies: true });
    const response = await secureApp.request('/trpc/auth.register', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...WEB_HEADERS },
      body: JSON.stringify(buildRegisterInput()),
    });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-twofold_session=/);
    expect(setCookie).toContain('; Secure');
    const cookie = cookiePairOf(response);
    expect((await secureApp.request('/trpc/auth.me', { headers: { cookie } })).status).toBe(200);
    // The unprefixed name is not read by a server that issues the prefixed one.
    const plain = cookie.replace('__Host-', '');
    expect((await secureApp.request('/trpc/auth.me', { headers: { cookie: plain } })).status).toBe(401);
  });
});

describe('the session cookie authenticates', () => {
  it('tRPC queries and REST reads, without ever echoing the JWT', async () => {
    const { input, cookie } = await registerInCookieMode();
    const me = await query('auth.me', { cookie: `theme=dark; ${cookie}` });
    expect(me.status).toBe(200);
    expect((await bodyOf(me)).result?.data).toMatchObject({ user: input.username });

    const rest = await app.request('/api/auth/user', { headers: { cookie } });
    expect(rest.status).toBe(200);
    const body = (await rest.json()) as { token: string; user: string };
    expect(body.user).toBe(input.username);
    expect(body.token).toBe('');
  });

  it('refuses a tampered or foreign cookie with 401', async () => {
    const { cookie } = await registerInCookieMode();
    const [name, jwt] = cookie.split('=') as [string, string];
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const value of [`${header}.${payload}.${flipped}`, 'not-a-jwt']) {
      const response = await query('auth.me', { cookie: `${name}=${value}` });
      expect(response.status).toBe(401);
    }
    const other = await openTestCore();
    try {
      const otherApp = createApiApp({ core: other.core, logger: silentLogger });
      expect((await otherApp.request('/trpc/auth.me', { headers: { cookie } })).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('CSRF: a state change authenticated by the cookie', () => {
  it('is refused with 403 CSRF_REJECTED without x-twofold-csrf: 1 (a cross-site form post)', async () => {
    const { cookie } = await registerInCookieMode();
    for (const csrf of [undefined, '0', 'true', '']) {
      const headers: Record<string, string> = { cookie, 'x-twofold-session': 'cookie' };
      if (csrf !== undefined) headers['x-twofold-csrf'] = csrf;
      const response = await mutate('auth.logout', {}, headers);
      expect(response.status).toBe(403);
      const body = await bodyOf(response);
      expect(body.error?.data.appCode).toBe('CSRF_REJECTED');
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });

  it('is refused on a login procedure too when the cookie rides along', async () => {
    const { input, cookie } = await registerInCookieMode();
    const response = await app.request('/trpc/auth.login', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ username: input.username, password: input.password }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('passes with the header; reads need no header', async () => {
    const { cookie } = await registerInCookieMode();
    expect((await query('auth.me', { cookie })).status).toBe(200);
    const response = await mutate('auth.logout', {}, { cookie, ...WEB_HEADERS });
    expect(response.status).toBe(200);
  });

  it('does not apply to bearer-authenticated requests, even with a stray cookie', async () => {
    const registered = await mutate('auth.register', buildRegisterInput());
    const { token } = await dataOf<{ token: string }>(registered);
    const response = await mutate(
      'auth.logout',
      {},
      {
        authorization: `Bearer ${token}`,
        cookie: 'twofold_session=stale',
      },
    );
    expect(response.status).toBe(200);
  });
});

describe('auth.logout', () => {
  it('clears the cookie (Max-Age=0, same name and attributes)', async () => {
    const { cookie } = await registerInCookieMode();
    const response = await mutate('auth.logout', {}, { cookie, ...WEB_HEADERS });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^twofold_session=;/);
    expect(setCookie).toContain('Max-Age=0');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
  });

  it('answers 200 without a session, so a stale tab can always log out', async () => {
    const response = await mutate('auth.logout', {}, WEB_HEADERS);
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toContain('Max-Age=0');
  });
});

describe('every procedure that logs in', () => {
  it('is marked so in its meta, and nothing else is (the cookie mode follows the mark)', () => {
    // The router's record types its entries as routers too; each is a procedure here.
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { meta?: ProcedureMeta } }
    >;
    const marked = Object.entries(procedures)
      .filter(([, procedure]) => procedure._def.meta?.issuesSession)
      .map(([path]) => path);
    expect(marked.sort()).toEqual(
      [
        'auth.login',
        'auth.register',
        'mfa.auth',
        'mfa.recover',
        'mfa.reset',
        'mfa.webauthn.auth',
        'mfa.webauthn.login',
        'user.reauth',
        'user.update',
      ].sort(),
    );
  });

  it('moves the JWT into the cookie: mfa.auth, mfa.recover and mfa.reset', async () => {
    const user = await createMfaUser(t.core, t.clock);
    const login = await mutate(
      'auth.login',
      { username: user.input.username, password: user.input.password },
      WEB_HEADERS,
    );
    const { mfaToken } = await dataOf<{ mfaToken: string }>(login);
    expect(login.headers.get('set-cookie')).toBeNull();

    const code = await totpAt(user.secret, t.clock.now());
    const auth = await mutate('mfa.auth', { token: mfaToken, code }, WEB_HEADERS);
    expect(cookiePairOf(auth)).toMatch(/^twofold_session=.+/);
    expect(await dataOf<{ token: string }>(auth)).toMatchObject({ token: '', mfa: true });

    const recover = await mutate(
      'mfa.recover',
      { identifier: user.input.username, recovery_code: user.recoveryCodes[0] },
      WEB_HEADERS,
    );
    const recovered = await dataOf<{ auth: { token: string }; expiresAtSeconds: number }>(recover);
    expect(recovered.auth.token).toBe('');
    expect(recovered.expiresAtSeconds).toBeGreaterThan(t.clock.now() / 1000);
    const recoverCookie = cookiePairOf(recover);
    expect(recoverCookie).toMatch(/^twofold_session=.+/);
    // The recovery ended earlier sessions: the cookie of mfa.auth is now refused.
    expect((await query('auth.me', { cookie: cookiePairOf(auth) })).status).toBe(401);
    expect((await query('auth.me', { cookie: recoverCookie })).status).toBe(200);

    const request = await mutate('mfa.requestReset', { identifier: user.input.username }, WEB_HEADERS);
    const { token } = await dataOf<{ token: string }>(request);
    const reset = await mutate(
      'mfa.reset',
      {
        id: token,
        main_email_code: await latestResetCode(t.core, user.input.email),
        recovery_email_code: await latestResetCode(t.core, user.recoveryEmail),
      },
      WEB_HEADERS,
    );
    expect(cookiePairOf(reset)).toMatch(/^twofold_session=.+/);
    expect(await dataOf<{ token: string; mfa: boolean }>(reset)).toMatchObject({ token: '', mfa: false });
  });
});

describe('CSRF on the MFA operations', () => {
  it('refuses generate and disable by cookie without the header, over tRPC and REST', async () => {
    const { cookie } = await registerInCookieMode();
    const generate = await mutate('mfa.generate', undefined, { cookie });
    expect(generate.status).toBe(403);
    expect((await bodyOf(generate)).error?.data.appCode).toBe('CSRF_REJECTED');
    expect((await mutate('mfa.disable', {}, { cookie })).status).toBe(403);

    // GET /api/user/mfa/generate changes state (a pending enrollment): a link must not do it.
    const rest = await app.request('/api/user/mfa/generate', { headers: { cookie } });
    expect(rest.status).toBe(403);
    expect(((await rest.json()) as { code: string }).code).toBe('CSRF_REJECTED');
    const allowed = await app.request('/api/user/mfa/generate', {
      headers: { cookie, 'x-twofold-csrf': '1' },
    });
    expect(allowed.status).toBe(200);
  });
});
