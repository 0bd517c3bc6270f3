// Invariant: over REST and tRPC, a client address throttled for spraying still lets in the right password of an account that completed a login from it within 30 days or presents that account's device cookie (never skipping the second step), while every wrong password and every unproven attempt from it answers 429.
import { LOGIN_ADDRESS_POLICY } from '@twofold/core';
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type HttpResult, registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, type MfaAccount, mfaTokenOf } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { nextCode } from '../support/totp.js';

const DEVICE_COOKIE = 'twofold_device';
const clock = new ManualClock(Date.now());
let server: TestServer;
beforeAll(async () => {
  // One trusted hop, so each test can speak from an address of its own (one X-Forwarded-For entry).
  server = await startTestServer({ clock, env: { ...knownKeys(), TRUST_PROXY: '1' } });
});
afterAll(() => server.close());

interface From {
  address: string;
  cookie?: string | undefined;
}
const headersOf = ({ address, cookie }: From) => ({
  'x-forwarded-for': address,
  ...(cookie ? { cookie: `${DEVICE_COOKIE}=${cookie}` } : {}),
});
const restLogin = (who: Pick<Account, 'username' | 'password'>, from: From, path = '/api/login') =>
  request(server.url, 'POST', path, {
    body: { username: who.username, password: who.password },
    headers: headersOf(from),
  });
const trpcLogin = (who: Pick<Account, 'username' | 'password'>, from: From) =>
  request(server.url, 'POST', '/trpc/auth.login', {
    unchecked: true,
    body: { username: who.username, password: who.password },
    headers: headersOf(from),
  });

/** The device cookie a response sets, with its attributes. */
function deviceCookieOf(res: HttpResult): { value: string; attributes: string } | undefined {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
  if (!line) return undefined;
  const [pair = '', ...attributes] = line.split(';');
  return { value: pair.slice(DEVICE_COOKIE.length + 1), attributes: attributes.join(';') };
}

/** The spray: 40 failed logins for other accounts from one address, ending throttled. */
async function spray(address: string) {
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) {
    statuses.push(
      (await restLogin({ username: `spray-${address}-${i}`, password: 'Spring2026!' }, { address })).status,
    );
  }
  expect(statuses.slice(0, LOGIN_ADDRESS_POLICY.maxFailures)).toEqual(
    Array(LOGIN_ADDRESS_POLICY.maxFailures).fill(401),
  );
  expect(statuses.at(-1)).toBe(429);
}

describe('proven clients behind a throttled address, over HTTP', () => {
  it('the issue: after 40 failures for other accounts, a user known from that address gets in; a sprayer does not', async () => {
    const nat = { address: '198.51.100.10' };
    const colleague = await registerAccount(server.url, 'nat');
    const mfaColleague = await createMfaUser(server.url, clock, await registerAccount(server.url, 'natm'));
    expect((await restLogin(colleague, nat)).status).toBe(200);
    const token = await mfaTokenOf(server.url, mfaColleague, headersOf(nat));
    const second = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token, code: await nextCode(mfaColleague.secret, clock) },
      headers: headersOf(nat),
    });
    expect(second.status).toBe(200);
    const stranger = await registerAccount(server.url, 'nats');
    await spray(nat.address);

    const rest = await restLogin(colleague, nat);
    expect(rest.status).toBe(200);
    expect(rest.headers.get('x-account-lockout')).toBe('0');
    expect((await restLogin(colleague, nat, '/api/auth/user')).status).toBe(200);
    expect((await trpcLogin(colleague, nat)).status).toBe(200);
    const mfa = await restLogin(mfaColleague, nat);
    expect(mfa.status).toBe(401);
    expect(mfa.headers.get('x-mfa-token')).toBeTruthy();

    // The sprayer, an account never used from there, and a proven pair's wrong password: all 429.
    for (const attempt of [
      { username: 'spray-next', password: 'Spring2026!' },
      stranger,
      { username: colleague.username, password: 'not-the-password' },
    ]) {
      const res = await restLogin(attempt, nat);
      expect({ who: attempt.username, status: res.status }).toEqual({ who: attempt.username, status: 429 });
      expect(res.json).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('a complete login sets an HttpOnly SameSite=Strict device cookie per transport that lifts the throttle elsewhere', async () => {
    const user = await registerAccount(server.url, 'dev');
    const home = { address: '198.51.100.20' };
    const fromRest = deviceCookieOf(await restLogin(user, home));
    const fromTrpc = deviceCookieOf(await trpcLogin(user, home));
    expect(fromRest?.attributes).toMatch(/Path=\/api(;|$)/);
    expect(fromTrpc?.attributes).toMatch(/Path=\/trpc(;|$)/);
    for (const cookie of [fromRest, fromTrpc]) {
      expect(cookie?.attributes).toMatch(/HttpOnly/);
      expect(cookie?.attributes).toMatch(/SameSite=Strict/);
      expect(cookie?.attributes).toMatch(/Max-Age=2592000/);
    }
    // A client that presents its live cookie is not handed another one.
    expect(deviceCookieOf(await restLogin(user, { ...home, cookie: fromRest?.value }))).toBeUndefined();

    const office = { address: '198.51.100.21' };
    await spray(office.address);
    expect((await restLogin(user, office)).status).toBe(429);
    expect((await restLogin(user, { ...office, cookie: fromRest?.value })).status).toBe(200);
    expect((await trpcLogin(user, { ...office, cookie: fromTrpc?.value })).status).toBe(200);
    // Wrong password with the cookie: 429 like everyone else's there.
    expect(
      (await restLogin({ ...user, password: 'not-the-password' }, { ...office, cookie: fromRest?.value }))
        .status,
    ).toBe(429);
  });

  it("another account's device cookie or a forged one gives nothing", async () => {
    const alice = await registerAccount(server.url, 'alc');
    const bob = await registerAccount(server.url, 'bob');
    const alicesCookie = deviceCookieOf(await restLogin(alice, { address: '198.51.100.30' }))?.value;
    expect(alicesCookie).toBeTruthy();
    const cafe = { address: '198.51.100.31' };
    await spray(cafe.address);

    expect((await restLogin(bob, { ...cafe, cookie: alicesCookie })).status).toBe(429);
    // The last character changed, whatever it was (a fixed 'AA' would match one cookie in 4096).
    const forged = `${alicesCookie?.slice(0, -1)}${alicesCookie?.endsWith('A') ? 'B' : 'A'}`;
    expect((await restLogin(alice, { ...cafe, cookie: forged })).status).toBe(429);
    expect((await restLogin(alice, { ...cafe, cookie: alicesCookie })).status).toBe(200);
  });

  it('an MFA user: the password step proves nothing; the second step sets the cookie, which never skips that step', async () => {
    const user: MfaAccount = await createMfaUser(server.url, clock, await registerAccount(server.url, 'mfd'));
    const home = { address: '198.51.100.40' };
    const passwordOnly = await restLogin(user, home);
    expect(passwordOnly.status).toBe(401);
    expect(deviceCookieOf(passwordOnly)).toBeUndefined();
    const second = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: passwordOnly.headers.get('x-mfa-token'), code: await nextCode(user.secret, clock) },
      headers: headersOf({ address: '198.51.100.41' }),
    });
    expect(second.status).toBe(200);
    const cookie = deviceCookieOf(second)?.value;
    expect(cookie).toBeTruthy();

    // `home` saw only the password step: not proven there.
    await spray(home.address);
    expect((await restLogin(user, home)).status).toBe(429);
    // With the cookie: the right password gets the second step, not a session.
    const withCookie = await restLogin(user, { ...home, cookie });
    expect(withCookie.status).toBe(401);
    expect(withCookie.headers.get('x-mfa-token')).toBeTruthy();
    expect(deviceCookieOf(withCookie)).toBeUndefined();
  });
});
