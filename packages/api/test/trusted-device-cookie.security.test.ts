// Invariant: the trusted-device cookie is set only by a second step that asked for it, HttpOnly, SameSite=Strict, on its transport's path, Secure (with the __Secure- prefix) over https; with the right password it logs in its own user only, it is no session and the throttle's device cookie is no trusted device.
import { createMfaUser, totpAt } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiApp } from '../src/app.js';
import { silentLogger } from '../src/logger.js';
import { type ApiTestbed, openApiTestbed } from './api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

type App = ReturnType<typeof createApiApp>;
type MfaUser = Awaited<ReturnType<typeof createMfaUser>>;
const JSON_HEADERS = { 'content-type': 'application/json' };
const WEB_HEADERS = { ...JSON_HEADERS, 'x-twofold-session': 'cookie', 'x-twofold-csrf': '1' };

const post = (app: App, path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) });

const setCookie = (response: Response, name: RegExp) =>
  response.headers.getSetCookie().find((line) => name.test(line.split('=')[0] ?? ''));
const cookieValue = (line: string | undefined) => line?.split(';')[0]?.split('=').slice(1).join('=') ?? '';
const TRUSTED = /^(__Secure-)?twofold_trusted_device$/;

/** Password then code over REST, asking to trust the client: the response of the second step. */
async function restSecondStep(app: App, u: MfaUser, body: Record<string, unknown> = { trust_device: true }) {
  const first = await post(app, '/api/login', { username: u.input.username, password: u.input.password });
  expect(first.status).toBe(401);
  const token = first.headers.get('x-mfa-token') ?? '';
  t.clock.advanceSeconds(30);
  return post(app, '/api/user/mfa/auth', { token, code: await totpAt(u.secret, t.clock.now()), ...body });
}

const restLogin = (app: App, u: MfaUser, cookie?: string) =>
  post(
    app,
    '/api/login',
    { username: u.input.username, password: u.input.password },
    cookie ? { cookie } : {},
  );

describe('the trusted-device cookie', () => {
  it('is set only when asked: HttpOnly, SameSite=Strict, 30 days, on its transport path; Secure over https', async () => {
    const u = await createMfaUser(t.core, t.clock);
    expect(setCookie(await restSecondStep(t.app, u, {}), TRUSTED)).toBeUndefined();
    const rest = setCookie(await restSecondStep(t.app, u), TRUSTED);
    expect(rest).toMatch(
      /^twofold_trusted_device=[\w-]{43}; Max-Age=2592000; Path=\/api; HttpOnly; SameSite=Strict$/,
    );

    const secure = createApiApp({ core: t.core, logger: silentLogger, secureCookies: true });
    expect(setCookie(await restSecondStep(secure, u), TRUSTED)).toMatch(
      /^__Secure-twofold_trusted_device=[\w-]{43}; Max-Age=2592000; Path=\/api; HttpOnly; Secure; SameSite=Strict$/,
    );

    const first = await post(
      t.app,
      '/trpc/auth.login',
      { username: u.input.username, password: u.input.password },
      WEB_HEADERS,
    );
    const { mfaToken } = ((await first.json()) as { result: { data: { mfaToken: string } } }).result.data;
    t.clock.advanceSeconds(30);
    const trpc = await post(
      t.app,
      '/trpc/mfa.auth',
      { token: mfaToken, code: await totpAt(u.secret, t.clock.now()), trust_device: true },
      WEB_HEADERS,
    );
    expect(trpc.status).toBe(200);
    expect(setCookie(trpc, TRUSTED)).toMatch(
      /^twofold_trusted_device=[\w-]{43}; Max-Age=2592000; Path=\/trpc; HttpOnly; SameSite=Strict$/,
    );
  });

  it('makes the right password a complete login on REST and tRPC, for its user only', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const other = await createMfaUser(t.core, t.clock);
    const value = cookieValue(setCookie(await restSecondStep(t.app, u), TRUSTED));
    const cookie = `twofold_trusted_device=${value}`;

    const trusted = await restLogin(t.app, u, cookie);
    expect(trusted.status).toBe(200);
    expect(trusted.headers.get('x-account-lockout')).toBe('0');
    expect(await trusted.json()).toMatchObject({
      user: u.input.username,
      mfa: true,
      token: expect.any(String),
    });
    expect((await restLogin(t.app, u)).status).toBe(401);
    const foreign = await restLogin(t.app, other, cookie);
    expect(foreign.status).toBe(401);
    expect(foreign.headers.get('x-mfa-token')).toBeTruthy();
    const wrong = await post(
      t.app,
      '/api/login',
      { username: u.input.username, password: 'not the password' },
      { cookie },
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });

    // The cookie is per transport path; a browser's tRPC login presents the one set under /trpc.
    const first = await post(
      t.app,
      '/trpc/auth.login',
      { username: u.input.username, password: u.input.password },
      WEB_HEADERS,
    );
    const { mfaToken } = ((await first.json()) as { result: { data: { mfaToken: string } } }).result.data;
    t.clock.advanceSeconds(30);
    const trpcCookie = cookieValue(
      setCookie(
        await post(
          t.app,
          '/trpc/mfa.auth',
          { token: mfaToken, code: await totpAt(u.secret, t.clock.now()), trust_device: true },
          WEB_HEADERS,
        ),
        TRUSTED,
      ),
    );
    const web = await post(
      t.app,
      '/trpc/auth.login',
      { username: u.input.username, password: u.input.password },
      { ...WEB_HEADERS, cookie: `twofold_trusted_device=${trpcCookie}` },
    );
    expect(((await web.json()) as { result: { data: { status: string } } }).result.data.status).toBe(
      'authenticated',
    );
    expect(setCookie(web, /^twofold_session$/)).toBeTruthy();
  });

  it('is no session, and the throttle device cookie is no trusted device', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const second = await restSecondStep(t.app, u);
    const trusted = cookieValue(setCookie(second, TRUSTED));
    const device = cookieValue(setCookie(second, /^twofold_device$/));
    expect(device).toBeTruthy();
    for (const headers of <Record<string, string>[]>[
      { cookie: `twofold_trusted_device=${trusted}` },
      { cookie: `twofold_session=${trusted}` },
      { authorization: `Bearer ${trusted}` },
    ]) {
      expect((await t.app.request('/api/auth/user', { headers })).status).toBe(401);
      expect((await t.app.request('/api/user/trusted-devices', { headers })).status).toBe(401);
    }
    expect((await restLogin(t.app, u, `twofold_trusted_device=${device}`)).status).toBe(401);
    expect((await restLogin(t.app, u, `twofold_device=${trusted}`)).status).toBe(401);
  });

  it('is listed (the current one marked) and revoked one by one over REST; another user’s id is 404', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const other = await createMfaUser(t.core, t.clock);
    const value = cookieValue(setCookie(await restSecondStep(t.app, u), TRUSTED));
    await restSecondStep(t.app, other);
    const cookie = `twofold_trusted_device=${value}`;
    const session = (await (await restLogin(t.app, u, cookie)).json()) as { token: string };
    const headers = { authorization: `Bearer ${session.token}`, cookie };

    const listed = await t.app.request('/api/user/trusted-devices', { headers });
    expect(listed.status).toBe(200);
    const { devices } = (await listed.json()) as { devices: { id: string; isCurrent: boolean }[] };
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ isCurrent: true, lastUsedAtMs: t.clock.now() });

    const othersToken = (await (await restSecondStep(t.app, other, {})).json()) as { token: string };
    const othersDevices = (await (
      await t.app.request('/api/user/trusted-devices', {
        headers: { authorization: `Bearer ${othersToken.token}` },
      })
    ).json()) as { devices: { id: string }[] };
    const foreign = await t.app.request(`/api/user/trusted-devices/${othersDevices.devices[0]?.id}`, {
      method: 'DELETE',
      headers,
    });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ code: 'TRUSTED_DEVICE_NOT_FOUND' });

    const revoked = await t.app.request(`/api/user/trusted-devices/${devices[0]?.id}`, {
      method: 'DELETE',
      headers,
    });
    expect(revoked.status).toBe(200);
    expect((await restLogin(t.app, u, cookie)).status).toBe(401);
    expect(await (await t.app.request('/api/user/trusted-devices', { headers })).json()).toEqual({
      devices: [],
    });
    expect(
      (await t.app.request(`/api/user/trusted-devices/${devices[0]?.id}`, { method: 'DELETE', headers }))
        .status,
    ).toBe(404);
  });
});
