// Invariant: over real HTTP, a login from a new device and address mails its owner a notice, and a flood of such logins (parallel, from many addresses, over REST and tRPC) gets at most 20 of them and one digest into a day, on both stores.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from '../support/http.js';
import { knownKeys, openMailbox } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';

const NOTICES_PER_DAY = 20;
const clock = new ManualClock(Date.now());
const keys = knownKeys();
let server: TestServer;
beforeAll(async () => {
  // One trusted hop: each login speaks from an address of its own (its X-Forwarded-For entry).
  server = await startTestServer({ clock, env: { ...keys, TRUST_PROXY: '1' } });
});
afterAll(() => server.close());

const mailsOf = async (to: string) => (await openMailbox(server, keys).all()).filter((m) => m.to === to);

describe('notices of new sign-ins over HTTP', () => {
  it('one for a new client, none for the same client again', async () => {
    const user = await registerAccount(server.url, 'nn');
    const from = { 'x-forwarded-for': '198.51.100.77' };
    const body = { username: user.username, password: user.password };
    const first = await request(server.url, 'POST', '/api/login', { body, headers: from });
    expect(first.status).toBe(200);
    expect((await request(server.url, 'POST', '/api/login', { body, headers: from })).status).toBe(200);
    const notices = (await mailsOf(user.email)).filter((m) => m.kind === 'new-login');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.text).toContain('198.51.100.77');
  });

  it('a parallel flood of logins from 40 addresses mails 20 notices and one digest', async () => {
    const user = await registerAccount(server.url, 'nf');
    const body = { username: user.username, password: user.password };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        request(server.url, 'POST', i % 2 === 0 ? '/api/login' : '/trpc/auth.login', {
          body,
          unchecked: i % 2 === 1,
          headers: { 'x-forwarded-for': `10.20.${Math.floor(i / 100)}.${i % 100}` },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    const mails = await mailsOf(user.email);
    expect(mails.filter((m) => m.kind === 'new-login')).toHaveLength(NOTICES_PER_DAY);
    expect(mails.filter((m) => m.kind === 'notices-paused')).toHaveLength(1);

    // The next day, notices go out again.
    clock.advanceSeconds(24 * 3600);
    expect(
      (await request(server.url, 'POST', '/api/login', { body, headers: { 'x-forwarded-for': '10.21.0.1' } }))
        .status,
    ).toBe(200);
    expect((await mailsOf(user.email)).filter((m) => m.kind === 'new-login')).toHaveLength(
      NOTICES_PER_DAY + 1,
    );
  });
});
