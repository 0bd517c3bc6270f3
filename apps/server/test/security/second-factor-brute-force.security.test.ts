// Invariant: TOTP codes, recovery codes and email reset codes share one per-user counter on the endpoints behind the password or a session (auth, disable): no mix of endpoints, transports, fresh MFA tokens, new logins, parallelism or spoofed X-Forwarded-For gets more than 10 second-factor guesses before 429, no answer singles out the right code, and the anonymous paths (recover, reset: counted per identifier and address) neither count toward it nor are blocked by it.
import { SECOND_FACTOR_POLICY } from '@twofold/core';
import { ManualClock } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpResult, registerAccount, request } from '../support/http.js';
import {
  createMfaUser,
  knownKeys,
  loginWithTotp,
  type MfaAccount,
  mfaTokenOf,
  openMailbox,
} from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeNow, nextCode, wrongTotpAt } from '../support/totp.js';

const LIMIT = SECOND_FACTOR_POLICY.maxFailures;
let clock: ManualClock;
let server: TestServer;
let victim: MfaAccount;
let keys: ReturnType<typeof knownKeys>;
const mailbox = () => openMailbox(server, keys);

beforeEach(async () => {
  clock = new ManualClock(Date.now());
  keys = knownKeys();
  server = await startTestServer({ clock, env: keys });
  victim = await createMfaUser(server.url, clock, await registerAccount(server.url, 'bf'));
});
afterEach(() => server.close());

let spoof = 0;
const spoofed = () => {
  spoof += 1;
  return { 'x-forwarded-for': `198.51.100.${spoof % 250}` };
};

const WRONG_RECOVERY = 'AAAA-BBBB-CCCC-DDDD';

describe('second-factor brute force', () => {
  it('10 guesses spread over auth, tRPC and disable, then 429 there; recover still works', async () => {
    const session = await loginWithTotp(server.url, victim, clock);
    await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: victim.email } });

    const guesses: (() => Promise<HttpResult>)[] = [
      async () =>
        request(server.url, 'POST', '/api/user/mfa/auth', {
          body: {
            token: await mfaTokenOf(server.url, victim, spoofed()),
            code: await wrongTotpAt(victim.secret, clock.now()),
          },
          headers: spoofed(),
        }),
      async () =>
        request(server.url, 'POST', '/trpc/mfa.auth', {
          unchecked: true,
          body: {
            token: await mfaTokenOf(server.url, victim),
            code: await wrongTotpAt(victim.secret, clock.now()),
          },
          headers: spoofed(),
        }),
      async () =>
        request(server.url, 'PUT', '/api/user/mfa/disable', {
          token: session,
          body: { code: await wrongTotpAt(victim.secret, clock.now()) },
          headers: spoofed(),
        }),
      () =>
        request(server.url, 'PUT', '/api/user/mfa/disable', {
          token: session,
          body: { recovery_code: WRONG_RECOVERY },
          headers: spoofed(),
        }),
      () =>
        request(server.url, 'PUT', '/api/user/mfa/disable', {
          token: session,
          body: { main_email_code: 'AAAAA', recovery_email_code: 'BBBBB' },
          headers: spoofed(),
        }),
    ];
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await guesses[i % guesses.length]!()).status);
    expect(statuses.every((s) => s === 401 || s === 403)).toBe(true);

    // Every further attempt on every endpoint is 429, the right proofs included.
    for (const guess of guesses) expect((await guess()).status).toBe(429);
    const right = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: await mfaTokenOf(server.url, victim), code: await nextCode(victim.secret, clock) },
    });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(right.headers.get('x-account-lockout'))).toBeGreaterThan(clock.now() / 1000);
    // The password step still works: a second-factor lock is no denial of service of it.
    await expect(mfaTokenOf(server.url, victim)).resolves.toMatch(/^[0-9a-f-]{36}$/);
    // The anonymous recovery path neither counts toward this lock nor is blocked by it.
    const rightRecovery = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: victim.username, recovery_code: victim.recoveryCodes[0] },
    });
    expect(rightRecovery.status).toBe(200);

    // The lock ends after a minute, and the right code then works.
    clock.advanceSeconds(SECOND_FACTOR_POLICY.baseLockSeconds + 1);
    const after = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: await mfaTokenOf(server.url, victim), code: await nextCode(victim.secret, clock) },
    });
    expect(after.status).toBe(200);
  });

  it('a parallel burst over 30 fresh MFA tokens evaluates at most 10 codes; the right one is not singled out', async () => {
    const tokens = await Promise.all(Array.from({ length: 30 }, () => mfaTokenOf(server.url, victim)));
    clock.advanceSeconds(30);
    const right = await codeNow(victim.secret, clock);
    const wrong = await wrongTotpAt(victim.secret, clock.now());
    // The right code goes last, so it lands after the lock.
    const results = await Promise.all(
      tokens.map((token, i) =>
        request(server.url, 'POST', '/api/user/mfa/auth', {
          body: { token, code: i === tokens.length - 1 ? right : wrong },
          headers: spoofed(),
        }),
      ),
    );
    const evaluated = results.filter((r) => r.status !== 429);
    expect(evaluated.length).toBeLessThanOrEqual(LIMIT);
    const last = results.at(-1)!;
    if (last.status !== 200) {
      expect(last.status).toBe(429);
      expect(evaluated.every((r) => r.status === 401)).toBe(true);
    }
  });

  it('a parallel burst on one MFA token: once it is burned, the right code gets the same answer as wrong ones', async () => {
    const token = await mfaTokenOf(server.url, victim);
    clock.advanceSeconds(30);
    const right = await codeNow(victim.secret, clock);
    const wrong = await wrongTotpAt(victim.secret, clock.now());
    const results = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        request(server.url, 'POST', '/api/user/mfa/auth', { body: { token, code: i === 8 ? right : wrong } }),
      ),
    );
    const last = results.at(-1)!;
    if (last.status === 200) return;
    const wrongAnswers = new Set(results.slice(0, -1).map((r) => `${r.status} ${r.text}`));
    expect(wrongAnswers).toContain(`${last.status} ${last.text}`);
  });

  it('a parallel burst of 30 recovery-code guesses evaluates at most 10; the right code is not singled out', async () => {
    const right = victim.recoveryCodes[2]!;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        request(server.url, 'POST', '/api/user/mfa/recover', {
          body: { identifier: victim.username, recovery_code: i === 29 ? right : WRONG_RECOVERY },
          headers: spoofed(),
        }),
      ),
    );
    // 30 × 6 hashes exceed one address's share of the hash queue (docs/contract.md § Bounded
    // work): the rest answer 503 before any comparison, and count nothing.
    const evaluated = results.filter((r) => r.status !== 429 && r.status !== 503);
    expect(evaluated.length).toBeLessThanOrEqual(LIMIT);
    const last = results.at(-1)!;
    if (last.status !== 200) expect(evaluated.every((r) => r.status === 401)).toBe(true);
  });

  it('a parallel burst of 30 email-code guesses from one address burns the request for it: the right codes fail there afterwards', async () => {
    const { token } = (
      await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: victim.username } })
    ).json as { token: string };
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        request(server.url, 'PUT', `/api/user/mfa/reset/${token}`, {
          body: { main_email_code: `AAAA${'23456789'[i % 8]}`, recovery_email_code: 'BBBBB' },
          headers: spoofed(),
        }),
      ),
    );
    // Answers past the burn are 401 without a comparison: none of them tells anything. Each try
    // checks 3 code pairs, so 30 at once exceed one address's share of the hash queue: the rest
    // answer 503 before any comparison (docs/contract.md § Bounded work).
    expect(results.every((r) => r.status === 401 || r.status === 429 || r.status === 503)).toBe(true);
    expect(results.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(5);
    // Burned: even the right codes no longer work, once any lock has passed.
    clock.advanceSeconds(SECOND_FACTOR_POLICY.maxLockSeconds);
    const res = await request(server.url, 'PUT', `/api/user/mfa/reset/${token}`, {
      body: await mailbox().resetCodes(victim),
    });
    expect(res.status).toBe(401);
  });
});
