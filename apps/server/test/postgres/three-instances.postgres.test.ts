/**
 * Three instances on one PostgreSQL schema behave as one service (docs/contract.md
 * § Configuration: with DATABASE_URL "several instances share it"; "the rules are the same on
 * both"). Each instance runs in this process on its own DATA_DIR with its own pool; all share
 * one ManualClock and one SMTP receiver; a round-robin client spreads the requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpResult, request } from '../support/http.js';
import {
  type Cluster,
  createClusterMfaAccount,
  resetCodesFrom,
  resetMailsOf,
  spreadInParallel,
  startCluster,
  uniqueName,
} from '../support/three-instances.js';
import { nextCode, totpAt, wrongTotpAt } from '../support/totp.js';

const PARALLEL = 50;
/**
 * Fifty recovers or resets are 300 argon2id verifications (6 each): seconds on an idle machine,
 * more on a busy one. Room for that, never a wait: nothing here sleeps.
 */
const HASH_HEAVY_TIMEOUT_MS = 60_000;

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster(3);
});
afterAll(() => cluster?.close());

const statusesOf = (responses: HttpResult[]) => responses.map((r) => r.status);

/** Exactly one 200; every other answer is one of `loserStatuses`. */
function expectOneWinner(responses: HttpResult[], loserStatuses: number[]): HttpResult {
  const statuses = statusesOf(responses);
  const winners = responses.filter((r) => r.status === 200);
  expect(winners, statuses.join(',')).toHaveLength(1);
  for (const status of statuses.filter((s) => s !== 200))
    expect(loserStatuses, statuses.join(',')).toContain(status);
  return winners[0] as HttpResult;
}

/** The password step of an MFA user at `url`: 401 MFA_REQUIRED with X-MFA-Token. */
async function passwordStep(url: string, account: { username: string; password: string }): Promise<string> {
  const response = await request(url, 'POST', '/api/login', {
    body: { username: account.username, password: account.password },
  });
  expect(response.status).toBe(401);
  expect(response.json).toMatchObject({ code: 'MFA_REQUIRED' });
  const token = response.headers.get('x-mfa-token');
  expect(token).toBeTruthy();
  return token ?? '';
}

describe('the main flows, each step on another instance', () => {
  it('register → recovery email → generate → enable → login with MFA token + TOTP → recover → disable', async () => {
    const { client, clock } = cluster;
    const firstCall = client.visited.length;
    const username = uniqueName('flow');
    const password = `correct horse ${username}`;
    const email = `${username}@example.test`;

    const registered = await client('POST', '/api/register', {
      body: { name: 'Flow', email, username, password },
    });
    expect(registered.status).toBe(200);
    const { token: registerToken, id } = registered.json as { token: string; id: string };
    expect(
      (
        await client('PATCH', '/api/users', {
          token: registerToken,
          body: { recovery_email: `rec.${email}` },
        })
      ).status,
    ).toBe(200);
    const generated = await client('GET', '/api/user/mfa/generate', { token: registerToken });
    expect(generated.status).toBe(200);
    const { secret, recovery_codes } = generated.json as { secret: string; recovery_codes: string[] };
    expect(recovery_codes).toHaveLength(6);
    const enabled = await client('PUT', '/api/user/mfa/enable', {
      token: registerToken,
      body: { code: await totpAt(secret, clock.now()), secret, recovery_codes },
    });
    expect(enabled.status).toBe(200);

    // The password step on one instance, the TOTP step on the next.
    const login = await client('POST', '/api/login', { body: { username, password } });
    expect(login.status).toBe(401);
    expect(login.json).toMatchObject({ code: 'MFA_REQUIRED' });
    const mfaToken = login.headers.get('x-mfa-token') ?? '';
    expect(mfaToken).not.toBe('');
    const code = await nextCode(secret, clock);
    const authed = await client('POST', '/api/user/mfa/auth', { body: { token: mfaToken, code } });
    expect(authed.status).toBe(200);
    expect(authed.json).toMatchObject({ id, user: username, mfa: true });
    const session = (authed.json as { token: string }).token;
    const me = await client('GET', '/api/auth/user', { token: session });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id, mfa: true });
    // Token and step were spent for every instance.
    expect((await client('POST', '/api/user/mfa/auth', { body: { token: mfaToken, code } })).status).toBe(
      401,
    );

    const recovered = await client('POST', '/api/user/mfa/recover', {
      body: { identifier: username, recovery_code: recovery_codes[0] },
    });
    expect(recovered.status).toBe(200);
    expect(recovered.json).toMatchObject({ id, mfa: true });
    expect(recovered.headers.get('x-expires-at')).toBe(String(Math.floor(clock.now() / 1000) + 600));
    const recoverSession = (recovered.json as { token: string }).token;
    // A recover ends every earlier session, on every instance.
    expect((await client('GET', '/api/auth/user', { token: session })).status).toBe(401);
    expect((await client('GET', '/api/auth/user', { token: session })).status).toBe(401);
    // The code was consumed for every instance.
    expect(
      (
        await client('POST', '/api/user/mfa/recover', {
          body: { identifier: username, recovery_code: recovery_codes[0] },
        })
      ).status,
    ).toBe(401);

    // Inside the window opened on another instance, disable takes `{}`.
    expect((await client('PUT', '/api/user/mfa/disable', { token: recoverSession, body: {} })).status).toBe(
      200,
    );
    const after = await client('GET', '/api/auth/user', { token: recoverSession });
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ id, mfa: false });
    const plainLogin = await client('POST', '/api/login', { body: { username, password } });
    expect(plainLogin.status).toBe(200);
    expect(plainLogin.headers.get('x-account-lockout')).toBe('0');
    expect(plainLogin.json).toMatchObject({ id, mfa: false });

    // Every step went to another instance than the one before, and all three served.
    const visited = client.visited.slice(firstCall);
    expect(new Set(visited).size).toBe(3);
    for (let i = 1; i < visited.length; i += 1) expect(visited[i]).not.toBe(visited[i - 1]);
  });

  it('reset by email: request on one instance, the mails sent by the workers, reset with the two codes on another', async () => {
    const { client, clock, receiver } = cluster;
    const account = await createClusterMfaAccount(cluster, 'reset');
    const login = await client('POST', '/api/login', {
      body: { username: account.username, password: account.password },
    });
    expect(login.status).toBe(401);
    const authed = await client('POST', '/api/user/mfa/auth', {
      body: { token: login.headers.get('x-mfa-token'), code: await nextCode(account.secret, clock) },
    });
    expect(authed.status).toBe(200);
    const session = (authed.json as { token: string }).token;

    const requested = await client('POST', '/api/user/mfa/reset', { body: { identifier: account.email } });
    expect(requested.status).toBe(200);
    expect(requested.json).toEqual({ token: expect.any(String) });
    await cluster.drainInTurn();
    const mails = resetMailsOf(receiver.received, account);
    expect(mails.map((m) => m.envelopeTo).sort()).toEqual([[account.email], [account.recoveryEmail]].sort());
    for (const mail of mails) expect(mail.text).toContain(`/mfa/reset/${account.id}`);
    const codes = resetCodesFrom(receiver.received, account);
    expect(codes.main_email_code).not.toBe(codes.recovery_email_code);

    const reset = await client('PUT', `/api/user/mfa/reset/${account.id}`, { body: codes });
    expect(reset.status).toBe(200);
    expect(reset.json).toMatchObject({ id: account.id, mfa: false });
    // Consumed for every instance; earlier sessions ended on every instance.
    expect((await client('PUT', `/api/user/mfa/reset/${account.id}`, { body: codes })).status).toBe(401);
    expect((await client('GET', '/api/auth/user', { token: session })).status).toBe(401);
    const plainLogin = await client('POST', '/api/login', {
      body: { username: account.username, password: account.password },
    });
    expect(plainLogin.status).toBe(200);
    expect(plainLogin.json).toMatchObject({ id: account.id, mfa: false });

    // The reset is announced to the main address, once, with no code in it.
    const before = receiver.received.length;
    await cluster.drainInTurn();
    const notices = receiver.received
      .slice(before)
      .filter((m) => m.subject === 'Twofold: MFA was reset by email');
    expect(notices.map((m) => m.envelopeTo)).toEqual([[account.email]]);
    expect(notices[0]?.text).not.toContain(codes.main_email_code);
  });
});

describe(`${PARALLEL} parallel uses of one single-use thing, spread over the three instances`, () => {
  it(
    'one recovery code (in every accepted spelling, by username and by email): one recover',
    async () => {
      const account = await createClusterMfaAccount(cluster, 'rrc');
      const code = account.recoveryCodes[0] as string;
      const spellings = [
        code,
        code.toLowerCase(),
        code.replace(/(.{4})(?!$)/g, '$1-'),
        code.replace(/(.{4})(?!$)/g, '$1 ').toLowerCase(),
      ];
      const identifiers = [account.username, account.email, account.email.toUpperCase()];
      const responses = await spreadInParallel(cluster.urls, PARALLEL, (i) => ({
        method: 'POST',
        path: i % 2 === 0 ? '/api/user/mfa/recover' : '/api/user/mfa/recovery',
        body: {
          identifier: identifiers[Math.floor(i / 3) % identifiers.length],
          recovery_code: spellings[i % spellings.length],
        },
      }));
      const winner = expectOneWinner(responses, [401]);
      expect(winner.json).toMatchObject({ id: account.id });
      // The other codes are untouched.
      const other = await request(cluster.urls[0] as string, 'POST', '/api/user/mfa/recover', {
        body: { identifier: account.username, recovery_code: account.recoveryCodes[1] },
      });
      expect(other.status).toBe(200);
    },
    HASH_HEAVY_TIMEOUT_MS,
  );

  it('one MFA token, each request with a code valid on its own (previous, current, next step): one login', async () => {
    const { clock, urls } = cluster;
    const account = await createClusterMfaAccount(cluster, 'rtok');
    // Past enable's step and the one after, so all three steps of the window are unused.
    clock.advanceSeconds(30);
    const token = await passwordStep(urls[1] as string, account);
    const codes = await Promise.all([-1, 0, 1].map((offset) => totpAt(account.secret, clock.now(), offset)));
    const responses = await spreadInParallel(urls, PARALLEL, (i) => ({
      method: 'POST',
      path: '/api/user/mfa/auth',
      body: { token, code: codes[Math.floor(i / 3) % 3] },
    }));
    // Losers: 401, or 429 once their replayed steps reached the user's second-factor limit.
    const winner = expectOneWinner(responses, [401, 429]);
    expect(winner.json).toMatchObject({ id: account.id, mfa: true });
  });

  it(
    'one TOTP step on fifty MFA tokens, each used on another instance than the one that issued it: one login',
    async () => {
      const { clock, urls } = cluster;
      const account = await createClusterMfaAccount(cluster, 'rstep');
      const logins = await spreadInParallel(urls, PARALLEL, () => ({
        method: 'POST',
        path: '/api/login',
        body: { username: account.username, password: account.password },
      }));
      expect(statusesOf(logins)).toEqual(Array(PARALLEL).fill(401));
      const tokens = logins.map((r) => r.headers.get('x-mfa-token'));
      expect(new Set(tokens).size).toBe(PARALLEL);
      const code = await nextCode(account.secret, clock);
      const responses = await spreadInParallel(urls, PARALLEL, (i) => ({
        method: 'POST',
        path: '/api/user/mfa/auth',
        // Token i+1 came from instance (i+1) mod 3; it is used on instance i mod 3.
        body: { token: tokens[(i + 1) % PARALLEL], code },
      }));
      const winner = expectOneWinner(responses, [401, 429]);
      expect(winner.json).toMatchObject({ id: account.id, mfa: true });
    },
    HASH_HEAVY_TIMEOUT_MS,
  );

  it(
    'one reset request, named by its token or by the user id, with the right codes: one reset',
    async () => {
      const { client, receiver, urls } = cluster;
      const account = await createClusterMfaAccount(cluster, 'rreset');
      const requested = await client('POST', '/api/user/mfa/reset', {
        body: { identifier: account.username },
      });
      expect(requested.status).toBe(200);
      const resetToken = (requested.json as { token: string }).token;
      await cluster.drainInTurn();
      const codes = resetCodesFrom(receiver.received, account);
      const responses = await spreadInParallel(urls, PARALLEL, (i) => ({
        method: 'PUT',
        path: `/api/user/mfa/reset/${i % 2 === 0 ? account.id : resetToken}`,
        body: codes,
      }));
      const winner = expectOneWinner(responses, [401]);
      expect(winner.json).toMatchObject({ id: account.id, mfa: false });
      for (const url of urls) {
        const login = await request(url, 'POST', '/api/login', {
          body: { username: account.username, password: account.password },
        });
        expect(login.status).toBe(200);
        expect(login.json).toMatchObject({ mfa: false });
      }
    },
    HASH_HEAVY_TIMEOUT_MS,
  );
});

describe('locks reached through one instance hold on the others', () => {
  it('10 wrong codes at the second step on one instance: the other two answer 429 with Retry-After', async () => {
    const { clock, urls } = cluster;
    const [a, b, c] = urls as [string, string, string];
    const account = await createClusterMfaAccount(cluster, 'lock2f');
    const wrong = await wrongTotpAt(account.secret, clock.now());
    // An MFA token dies after 5 wrong codes: two tokens carry the 10 failures, all on `a`.
    for (let t = 0; t < 2; t += 1) {
      const token = await passwordStep(a, account);
      for (let i = 0; i < 5; i += 1) {
        const failed = await request(a, 'POST', '/api/user/mfa/auth', { body: { token, code: wrong } });
        expect(failed.status, `failure ${t * 5 + i + 1}`).toBe(401);
      }
    }

    const lockEnds = Math.floor(clock.now() / 1000) + 60;
    const right = await totpAt(account.secret, clock.now());
    for (const url of [b, c]) {
      // The lock blocks the second factor only: the password step still issues a token.
      const token = await passwordStep(url, account);
      const locked = await request(url, 'POST', '/api/user/mfa/auth', { body: { token, code: right } });
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe('60');
      expect(locked.headers.get('x-account-lockout')).toBe(String(lockEnds));
    }

    // The lock lasts 1 minute, for every instance.
    clock.advanceSeconds(60);
    const token = await passwordStep(c, account);
    const unlocked = await request(b, 'POST', '/api/user/mfa/auth', {
      body: { token, code: await totpAt(account.secret, clock.now()) },
    });
    expect(unlocked.status).toBe(200);
  });

  it('5 wrong passwords on one instance: the right password answers 429 with Retry-After on the other two', async () => {
    const { clock, urls } = cluster;
    const [a, b, c] = urls as [string, string, string];
    const username = uniqueName('lockpw');
    const password = `correct horse ${username}`;
    const registered = await request(a, 'POST', '/api/register', {
      body: { name: 'Lock', email: `${username}@example.test`, username, password },
    });
    expect(registered.status).toBe(200);
    for (let i = 0; i < 5; i += 1) {
      const failed = await request(a, 'POST', '/api/login', {
        body: { username, password: 'wrong password!' },
      });
      expect(failed.status, `failure ${i + 1}`).toBe(401);
    }
    const lockEnds = Math.floor(clock.now() / 1000) + 60;
    for (const url of [b, c]) {
      const locked = await request(url, 'POST', '/api/login', { body: { username, password } });
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe('60');
      expect(locked.headers.get('x-account-lockout')).toBe(String(lockEnds));
    }
    clock.advanceSeconds(60);
    const unlocked = await request(c, 'POST', '/api/login', { body: { username, password } });
    expect(unlocked.status).toBe(200);
    expect(unlocked.headers.get('x-account-lockout')).toBe('0');
  });
});

describe('mail from three instances to one SMTP server', () => {
  it(
    'three workers draining one outbox at once deliver every queued email exactly once',
    async () => {
      const { client, receiver } = cluster;
      const accounts = [];
      for (let i = 0; i < 6; i += 1) accounts.push(await createClusterMfaAccount(cluster, 'mail'));
      // What this suite queued so far (notices of the setup, lock notices) goes out first.
      await cluster.drainInTurn();
      const before = receiver.received.length;

      // Two reset mails per account, requested through all three instances.
      for (const account of accounts) {
        expect(
          (await client('POST', '/api/user/mfa/reset', { body: { identifier: account.username } })).status,
        ).toBe(200);
      }
      const queued = 2 * accounts.length;

      const perWorker = await cluster.drainAtOnce();
      expect(perWorker.reduce((sum, n) => sum + n, 0)).toBe(queued);
      // All three really took part.
      for (const n of perWorker) expect(n, perWorker.join(',')).toBeGreaterThan(0);
      // A worker's drain resolves once the SMTP server has accepted what it sent.
      const received = receiver.received.slice(before);
      expect(received).toHaveLength(queued);
      expect(new Set(received.map((m) => `${m.envelopeTo.join()}|${m.subject}|${m.text}`)).size).toBe(queued);
      for (const account of accounts) {
        expect(
          resetMailsOf(received, account)
            .map((m) => m.envelopeTo)
            .sort(),
        ).toEqual([[account.email], [account.recoveryEmail]].sort());
      }

      // Nothing is left to send twice.
      expect(await cluster.drainAtOnce()).toEqual([0, 0, 0]);
      expect(receiver.received).toHaveLength(before + queued);
    },
    HASH_HEAVY_TIMEOUT_MS,
  );
});
