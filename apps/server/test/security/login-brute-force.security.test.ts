// Invariant: no mix of login endpoints, transports, parallelism or spoofed X-Forwarded-For gets more than 5 password guesses per account and source, or more than 30 failed logins per source across accounts, before 429; an IPv6 /64 is one source.
import { LOGIN_ADDRESS_POLICY, PASSWORD_POLICY } from '@twofold/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpResult, registerAccount, request } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

let spoof = 0;
const spoofedHeaders = () => {
  spoof += 1;
  return { 'x-forwarded-for': `203.0.113.${spoof % 250}`, 'x-real-ip': `198.51.100.${spoof % 250}` };
};

/** One login through a rotating choice of REST paths and the tRPC procedure, with a spoofed address. */
function login(username: string, password: string, via: number): Promise<HttpResult> {
  const headers = spoofedHeaders();
  const body = { username, password };
  if (via % 3 === 0) return request(server.url, 'POST', '/api/login', { body, headers });
  if (via % 3 === 1) return request(server.url, 'POST', '/api/auth/user', { body, headers });
  return request(server.url, 'POST', '/trpc/auth.login', { unchecked: true, body, headers });
}

const isLocked = (r: HttpResult) => r.status === 429;

describe('password brute force over HTTP', () => {
  it('locks after 5 guesses across /api/login, /api/auth/user and tRPC, spoofed headers ignored', async () => {
    const victim = await registerAccount(server.url, 'v');
    const statuses: number[] = [];
    for (let i = 0; i < PASSWORD_POLICY.maxFailures; i++) {
      statuses.push((await login(victim.username, `guess-number-${i}`, i)).status);
    }
    expect(statuses).toEqual(Array(PASSWORD_POLICY.maxFailures).fill(401));
    for (let via = 0; via < 3; via++) {
      const right = await login(victim.username, victim.password, via);
      expect(right.status).toBe(429);
      if (via < 2) {
        expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(
          PASSWORD_POLICY.baseLockSeconds - 2,
        );
        expect(Number(right.headers.get('x-account-lockout'))).toBeGreaterThan(Date.now() / 1000);
        expect(right.json).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
      }
    }
    // The email address is the same account: no fresh counter there.
    expect((await login(victim.email, victim.password, 0)).status).toBe(429);
  });

  it('a parallel burst of 30 guesses gets at most 5 evaluated; the right password is not singled out', async () => {
    const victim = await registerAccount(server.url, 'p');
    const RIGHT = 21;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        login(victim.username, i === RIGHT ? victim.password : `parallel-guess-${i}`, i),
      ),
    );
    const evaluated = results.filter((r) => !isLocked(r));
    expect(evaluated.length).toBeLessThanOrEqual(PASSWORD_POLICY.maxFailures);
    expect(results.filter(isLocked).length).toBeGreaterThanOrEqual(30 - PASSWORD_POLICY.maxFailures);
    const right = results[RIGHT]!;
    if (isLocked(right)) expect(evaluated.every((r) => r.status === 401)).toBe(true);
    else expect(right.status).toBe(200);
  });

  it('one guess at each of many accounts from one address is throttled after 30 failures', async () => {
    const real = await Promise.all([1, 2, 3, 4].map(() => registerAccount(server.url, 's')));
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_ADDRESS_POLICY.maxFailures; i++) {
      const username = i < real.length ? real[i]!.username : `sprayed-${i}`;
      statuses.push((await login(username, 'Spring2026!', i)).status);
    }
    expect(statuses).toEqual(Array(LOGIN_ADDRESS_POLICY.maxFailures).fill(401));
    // A further guess at a real account, right or wrong, waits (with the lock's end), unless the
    // account has proven itself from this address: these registered here, so their right
    // password still gets in (docs/contract.md § Failed attempts and lockouts).
    const next = await login(real[0]!.username, 'Spring2026!', 0);
    expect(next.status).toBe(429);
    expect(next.json).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login('someone-else', 'Spring2026!', 1)).status).toBe(429);
    expect((await login(real[1]!.username, real[1]!.password, 2)).status).toBe(200);
  });

  it('behind a trusted proxy, rotating addresses inside one IPv6 /64 shares one budget', async () => {
    // The client, then the outer proxy 192.0.2.1, then the socket peer: two trusted hops.
    const proxied = await startTestServer({ env: { TRUST_PROXY: '2' } });
    try {
      const victim = await registerAccount(proxied.url, 'six');
      const from = (address: string) => ({ 'x-forwarded-for': `${address}, 192.0.2.1` });
      const guess = (username: string, password: string, address: string) =>
        request(proxied.url, 'POST', '/api/login', { body: { username, password }, headers: from(address) });
      const statuses: number[] = [];
      for (let i = 0; i < LOGIN_ADDRESS_POLICY.maxFailures; i++) {
        statuses.push(
          (await guess(`sprayed-${i}`, 'Spring2026!', `2001:db8:6:4::${(i + 1).toString(16)}`)).status,
        );
      }
      expect(statuses).toEqual(Array(LOGIN_ADDRESS_POLICY.maxFailures).fill(401));
      expect((await guess(victim.username, victim.password, '2001:DB8:6:4:beef::1')).status).toBe(429);
      expect((await guess(victim.username, victim.password, '2001:db8:6:5::1')).status).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});
