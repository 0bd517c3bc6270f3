// Invariant: over real HTTP, only the trusted-device cookie a second step set for that user (REST or the web app's tRPC) makes the right password alone a full login, for 30 days; copied to another user, forged, expired, revoked by the user or by a password change or recover, it changes nothing, and a wrong password still counts.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpResult, registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, type MfaAccount, mfaTokenOf } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { nextCode } from '../support/totp.js';

const TRUSTED_COOKIE = 'twofold_trusted_device';
const THIRTY_DAYS_SECONDS = 30 * 24 * 3600;
const WEB_HEADERS = { 'x-twofold-session': 'cookie', 'x-twofold-csrf': '1' };

const clock = new ManualClock(Date.now());
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock, env: knownKeys() });
});
afterAll(() => server.close());

const newMfaAccount = async (tag: string) =>
  createMfaUser(server.url, clock, await registerAccount(server.url, tag));

/** A `Set-Cookie` line of `res` for the cookie `name`: its value and its attributes. */
function cookieOf(res: HttpResult, name: string): { value: string; attributes: string } | undefined {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair = '', ...attributes] = line.split(';');
  return { value: pair.slice(name.length + 1), attributes: attributes.join(';').trim() };
}

/** The REST second step with "trust this browser": the trusted-device cookie it set. */
async function trustOverRest(account: MfaAccount): Promise<string> {
  const res = await request(server.url, 'POST', '/api/user/mfa/auth', {
    body: {
      token: await mfaTokenOf(server.url, account),
      code: await nextCode(account.secret, clock),
      trust_device: true,
    },
  });
  expect(res.status).toBe(200);
  const cookie = cookieOf(res, TRUSTED_COOKIE);
  expect(cookie?.attributes).toBe('Max-Age=2592000; Path=/api; HttpOnly; SameSite=Strict');
  return cookie?.value ?? '';
}

const restLogin = (account: Pick<MfaAccount, 'username' | 'password'>, trusted?: string) =>
  request(server.url, 'POST', '/api/login', {
    body: { username: account.username, password: account.password },
    headers: trusted === undefined ? {} : { cookie: `${TRUSTED_COOKIE}=${trusted}` },
  });

describe('trusted devices over REST', () => {
  it('the password alone logs in on the trusted client: 200 UserAuth and a working session', async () => {
    const user = await newMfaAccount('td');
    const cookie = await trustOverRest(user);
    const res = await restLogin(user, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-mfa-token')).toBeNull();
    const { token } = res.json as { token: string };
    expect((await request(server.url, 'GET', '/api/auth/user', { token })).status).toBe(200);
    const sessions = await request(server.url, 'GET', '/api/user/sessions', { token });
    expect((sessions.json as { sessions: { isCurrent: boolean; method: string }[] }).sessions).toContainEqual(
      expect.objectContaining({ isCurrent: true, method: 'password_trusted_device' }),
    );
    // Without the cookie: the second step, as before.
    const plain = await restLogin(user);
    expect(plain.status).toBe(401);
    expect(plain.headers.get('x-mfa-token')).toBeTruthy();
  });

  it("another user's cookie, a forged one and an expired one ask for the second step", async () => {
    const alice = await newMfaAccount('tda');
    const bob = await newMfaAccount('tdb');
    const cookie = await trustOverRest(alice);
    const forged = `${cookie.slice(0, -1)}${cookie.endsWith('A') ? 'B' : 'A'}`;
    for (const [who, presented] of [
      [bob, cookie],
      [alice, forged],
      [alice, ''],
    ] as const) {
      const res = await restLogin(who, presented);
      expect({ who: who.username, status: res.status }).toEqual({ who: who.username, status: 401 });
      expect(res.headers.get('x-mfa-token')).toBeTruthy();
    }
    clock.advanceSeconds(THIRTY_DAYS_SECONDS);
    expect((await restLogin(alice, cookie)).status).toBe(401);
  });

  it('a wrong password with the cookie fails and counts: 5, then 429 even for the right one', async () => {
    const user = await newMfaAccount('tdw');
    const cookie = await trustOverRest(user);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await restLogin({ ...user, password: 'not the password' }, cookie)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await restLogin(user, cookie)).status).toBe(429);
  });

  it('revoked one by one, or all by a password change or a recover, it asks for the second step', async () => {
    const user = await newMfaAccount('tdr');
    const [first, second] = [await trustOverRest(user), await trustOverRest(user)];
    const token = (
      (await restLogin(user, first)).json as {
        token: string;
      }
    ).token;
    const listed = await request(server.url, 'GET', '/api/user/trusted-devices', {
      token,
      headers: { cookie: `${TRUSTED_COOKIE}=${first}` },
    });
    const { devices } = listed.json as { devices: { id: string; isCurrent: boolean }[] };
    expect(devices.map((d) => d.isCurrent).sort()).toEqual([false, true]);
    const current = devices.find((d) => d.isCurrent)?.id ?? '';
    expect(
      (await request(server.url, 'DELETE', `/api/user/trusted-devices/${current}`, { token })).status,
    ).toBe(200);
    expect((await restLogin(user, first)).status).toBe(401);
    expect((await restLogin(user, second)).status).toBe(200);

    const changed = await request(server.url, 'PATCH', '/api/users', {
      token,
      body: { password: 'a brand new password', current_password: user.password },
    });
    expect(changed.status).toBe(200);
    expect((await restLogin({ ...user, password: 'a brand new password' }, second)).status).toBe(401);

    const again = await newMfaAccount('tdq');
    const cookie = await trustOverRest(again);
    const recovered = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: again.username, recovery_code: again.recoveryCodes[0] },
    });
    expect(recovered.status).toBe(200);
    expect((await restLogin(again, cookie)).status).toBe(401);
  });
});

describe('trusted devices in the web app (tRPC, cookies only)', () => {
  it('trust, log out, log in again with the password alone', async () => {
    const user = await newMfaAccount('tdt');
    const post = (path: string, body: unknown, cookies: string[] = []) =>
      request(server.url, 'POST', `/trpc/${path}`, {
        unchecked: true,
        body,
        headers: { ...WEB_HEADERS, ...(cookies.length > 0 ? { cookie: cookies.join('; ') } : {}) },
      });
    const first = await post('auth.login', { username: user.username, password: user.password });
    const { mfaToken } = (first.json as { result: { data: { mfaToken: string } } }).result.data;
    const second = await post('mfa.auth', {
      token: mfaToken,
      code: await nextCode(user.secret, clock),
      trust_device: true,
    });
    expect(second.status).toBe(200);
    const trusted = cookieOf(second, TRUSTED_COOKIE);
    const session = cookieOf(second, 'twofold_session');
    expect(trusted?.attributes).toBe('Max-Age=2592000; Path=/trpc; HttpOnly; SameSite=Strict');
    expect(session?.value).toBeTruthy();
    const jar = [`twofold_session=${session?.value}`, `${TRUSTED_COOKIE}=${trusted?.value}`];

    const out = await post('auth.logout', {}, jar);
    expect(out.status).toBe(200);
    const again = await post('auth.login', { username: user.username, password: user.password }, [
      jar[1] ?? '',
    ]);
    expect((again.json as { result: { data: { status: string } } }).result.data.status).toBe('authenticated');
    const newSession = cookieOf(again, 'twofold_session')?.value;
    expect(newSession).toBeTruthy();
    const me = await request(server.url, 'GET', '/trpc/auth.me', {
      unchecked: true,
      headers: { cookie: `twofold_session=${newSession}` },
    });
    expect(me.status).toBe(200);
  });
});
