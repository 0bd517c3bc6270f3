// Invariant: no request gets unbounded work: a tRPC batch of more than 10 calls is refused with 413 before any call runs, and the 409s of registration and recovery-email changes (which tell whether an address is taken) are throttled per client address.
import { MAX_TRPC_BATCH_CALLS } from '@twofold/api';
import { IDENTIFIER_PROBE_POLICY } from '@twofold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFrom } from '../support/from-address.js';
import { isErrorEnvelope, registerAccount, request } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** `calls` logins of unknown names in one tRPC batch (POST, the body keyed by call index). */
function loginBatch(calls: number, from = '127.0.0.1') {
  const path = `/trpc/${Array(calls).fill('auth.login').join(',')}?batch=1`;
  const body = Object.fromEntries(
    Array.from({ length: calls }, (_, i) => [
      String(i),
      { username: `nobody-${i}`, password: 'wrong-guess' },
    ]),
  );
  return clientFrom(server.url, from).request('POST', path, { body, unchecked: true });
}

describe('tRPC batch size', () => {
  it(`is ${MAX_TRPC_BATCH_CALLS} calls, as the contract says`, () => {
    expect(MAX_TRPC_BATCH_CALLS).toBe(10);
  });

  it('11 calls: 413 with the error envelope', async () => {
    const res = await loginBatch(MAX_TRPC_BATCH_CALLS + 1, '127.0.0.3');
    expect(res.status).toBe(413);
    expect(isErrorEnvelope(res.json)).toBe(true);
    expect((res.json as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('11 calls over GET (queries) and 60 calls are refused the same way', async () => {
    const get = await request(server.url, 'GET', `/trpc/${Array(11).fill('auth.me').join(',')}?batch=1`, {
      unchecked: true,
    });
    expect(get.status).toBe(413);
    expect(isErrorEnvelope(get.json)).toBe(true);
    expect((await loginBatch(60, '127.0.0.3')).status).toBe(413);
  });

  it('10 calls run: ten answers, none of them 413', async () => {
    const res = await loginBatch(MAX_TRPC_BATCH_CALLS, '127.0.0.4');
    expect(res.status).not.toBe(413);
    expect(Array.isArray(res.json)).toBe(true);
    const answers = res.json as { error?: { data?: { httpStatus?: number } } }[];
    expect(answers).toHaveLength(MAX_TRPC_BATCH_CALLS);
    for (const answer of answers) expect(answer.error?.data?.httpStatus).toBe(401);
  });
});

describe('409 answers are throttled per client address', () => {
  it(`${IDENTIFIER_PROBE_POLICY.maxFailures} taken-address answers from one address (register and PATCH /api/users together), then 429 with Retry-After; another address still gets its 409`, async () => {
    const probed = await registerAccount(server.url, 'pr');
    const prober = await registerAccount(server.url, 'pp');
    const statuses: number[] = [];
    let i = 0;
    for (; i < IDENTIFIER_PROBE_POLICY.maxFailures; i++) {
      const res =
        i % 2
          ? await request(server.url, 'POST', '/api/register', {
              body: {
                name: 'P',
                email: probed.email,
                username: `probe${i}x${Date.now()}`,
                password: 'long-enough-pw',
              },
            })
          : await request(server.url, 'PATCH', '/api/users', {
              token: prober.token,
              body: { recovery_email: probed.email },
            });
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array(IDENTIFIER_PROBE_POLICY.maxFailures).fill(409));

    const register = await request(server.url, 'POST', '/api/register', {
      body: {
        name: 'P',
        email: probed.email,
        username: `probe${i}x${Date.now()}`,
        password: 'long-enough-pw',
      },
    });
    expect(register.status).toBe(429);
    expect(Number(register.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const patch = await request(server.url, 'PATCH', '/api/users', {
      token: prober.token,
      body: { recovery_email: probed.email },
    });
    expect(patch.status).toBe(429);
    // A free address answers 429 too while the lock runs: a 200 among 429s would say "not taken".
    const free = await request(server.url, 'POST', '/api/register', {
      body: {
        name: 'P',
        email: `free${Date.now()}@example.test`,
        username: `free${Date.now()}`,
        password: 'long-enough-pw',
      },
    });
    expect(free.status).toBe(429);
    // The tRPC procedure shares the counter.
    const trpc = await request(server.url, 'POST', '/trpc/auth.register', {
      unchecked: true,
      body: {
        name: 'P',
        email: probed.email,
        username: `probe${i}y${Date.now()}`,
        password: 'long-enough-pw',
      },
    });
    expect(trpc.status).toBe(429);

    const other = clientFrom(server.url, '127.0.0.5');
    const elsewhere = await other.request('POST', '/api/register', {
      body: {
        name: 'P',
        email: probed.email,
        username: `probe${i}z${Date.now()}`,
        password: 'long-enough-pw',
      },
    });
    other.close();
    expect(elsewhere.status).toBe(409);
  });
});
