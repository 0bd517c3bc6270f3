// Invariant: the device cookie is HttpOnly, SameSite=Strict, scoped to its transport's path, Secure (with the __Secure- prefix) over https, and is no session: it authenticates nothing.
import { buildRegisterInput, openTestCore, type StoreTestCore } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiApp } from '../src/app.js';
import { silentLogger } from '../src/logger.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

async function registeredLogin(app: ReturnType<typeof createApiApp>, path: string) {
  const input = buildRegisterInput();
  const json = { 'content-type': 'application/json' };
  await app.request('/api/register', { method: 'POST', headers: json, body: JSON.stringify(input) });
  return app.request(path, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: input.username, password: input.password }),
  });
}

const deviceCookieOf = (response: Response) =>
  response.headers.getSetCookie().find((c) => /^(__Secure-)?twofold_device=/.test(c));

describe('the device cookie', () => {
  it('is HttpOnly, SameSite=Strict, 30 days, on its transport path; Secure with __Secure- over https', async () => {
    const plain = createApiApp({ core: t.core, logger: silentLogger });
    const rest = deviceCookieOf(await registeredLogin(plain, '/api/login'));
    expect(rest).toMatch(/^twofold_device=[\w.-]+; Max-Age=2592000; Path=\/api; HttpOnly; SameSite=Strict$/);
    const trpc = deviceCookieOf(await registeredLogin(plain, '/trpc/auth.login'));
    expect(trpc).toMatch(/^twofold_device=[\w.-]+; Max-Age=2592000; Path=\/trpc; HttpOnly; SameSite=Strict$/);

    const secure = createApiApp({ core: t.core, logger: silentLogger, secureCookies: true });
    expect(deviceCookieOf(await registeredLogin(secure, '/api/login'))).toMatch(
      /^__Secure-twofold_device=[\w.-]+; Max-Age=2592000; Path=\/api; HttpOnly; Secure; SameSite=Strict$/,
    );
  });

  it('authenticates nothing: not as a cookie, not as a bearer token, not under the session name', async () => {
    const app = createApiApp({ core: t.core, logger: silentLogger });
    const value = deviceCookieOf(await registeredLogin(app, '/api/login'))
      ?.split(';')[0]
      ?.split('=')[1];
    expect(value).toBeTruthy();
    for (const headers of <Record<string, string>[]>[
      { cookie: `twofold_device=${value}` },
      { authorization: `Bearer ${value}` },
      { cookie: `twofold_session=${value}` },
    ]) {
      expect((await app.request('/api/auth/user', { headers })).status).toBe(401);
      expect((await app.request('/trpc/auth.me', { headers })).status).toBe(401);
    }
  });
});
