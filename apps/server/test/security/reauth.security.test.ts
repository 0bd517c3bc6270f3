// Invariant: enrolling a factor (generate, enable) and setting or changing the recovery email take a fresh session — a password proof at most 15 minutes old and, with MFA on, a second-factor proof as recent — so a stolen, recovered or reset session cannot make itself permanent; POST /api/user/reauth makes the same session fresh, counting wrong passwords like logins; disable keeps its own proof.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type HttpResult, registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, loginWithTotp, type MfaAccount, openMailbox } from '../support/mfa.js';
import { appCodeOf } from '../support/protected.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeNow, nextCode } from '../support/totp.js';

const FIFTEEN_MINUTES_SECONDS = 15 * 60;
const clock = new ManualClock(Date.now());
const keys = knownKeys();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock, env: keys });
});
afterAll(() => server.close());

const outcome = (res: HttpResult) => ({ status: res.status, code: appCodeOf(res) });
const reauthRequired = { status: 403, code: 'REAUTHENTICATION_REQUIRED' };

const setRecoveryEmail = (token: string, address: string) =>
  request(server.url, 'PATCH', '/api/users', { token, body: { recovery_email: address } });
const generate = (token: string) => request(server.url, 'GET', '/api/user/mfa/generate', { token });
const reauth = (
  token: string,
  body: { password: string; code?: string },
  headers: Record<string, string> = {},
) => request(server.url, 'POST', '/api/user/reauth', { token, body, headers });
const tokenOf = (res: HttpResult) => (res.json as { token: string }).token;

/** The attacker's view: a 24 h session JWT taken from a user without MFA, no longer fresh. */
async function stolenStaleSession(tag: string): Promise<Account> {
  const account = await registerAccount(server.url, tag);
  clock.advanceSeconds(FIFTEEN_MINUTES_SECONDS + 1);
  return account;
}

async function recoverWith(user: MfaAccount, index: number): Promise<string> {
  const res = await request(server.url, 'POST', '/api/user/mfa/recover', {
    body: { identifier: user.username, recovery_code: user.recoveryCodes[index] },
  });
  expect(res.status).toBe(200);
  return tokenOf(res);
}

describe('a stolen session cannot enroll the thief', () => {
  it('a stale session gets 403 REAUTHENTICATION_REQUIRED on recovery email, generate and enable; reauth opens them', async () => {
    const victim = await stolenStaleSession('st');
    expect(outcome(await setRecoveryEmail(victim.token, 'thief@example.test'))).toEqual(reauthRequired);
    expect(outcome(await generate(victim.token))).toEqual(reauthRequired);
    const trpc = await request(server.url, 'POST', '/trpc/mfa.generate', {
      unchecked: true,
      token: victim.token,
      body: {},
    });
    expect(outcome(trpc)).toEqual(reauthRequired);
    const me = (await request(server.url, 'GET', '/api/auth/user', { token: victim.token })).json as {
      recovery_email: string;
    };
    expect(me.recovery_email).toBe('');

    // The owner proves the password again: the same session becomes fresh.
    const proven = await reauth(victim.token, { password: victim.password });
    expect(proven.status).toBe(200);
    const token = tokenOf(proven);
    expect((await setRecoveryEmail(token, `rec-${victim.username}@example.test`)).status).toBe(200);
    const generated = await generate(token);
    expect(generated.status).toBe(200);
    const { secret, recovery_codes } = generated.json as { secret: string; recovery_codes: string[] };

    // Enable checks freshness after the enrollment and before the code.
    clock.advanceSeconds(FIFTEEN_MINUTES_SECONDS - 60);
    const regenerated = await generate(token);
    expect(regenerated.status).toBe(200);
    const { secret: pendingSecret, recovery_codes: pendingCodes } = regenerated.json as {
      secret: string;
      recovery_codes: string[];
    };
    const pending = { secret: pendingSecret, recovery_codes: pendingCodes };
    clock.advanceSeconds(61);
    const stale = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token,
      body: { code: await codeNow(pending.secret, clock), ...pending },
    });
    expect(outcome(stale)).toEqual(reauthRequired);
    const mismatch = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token,
      body: { code: await codeNow(secret, clock), secret, recovery_codes },
    });
    expect(outcome(mismatch)).toEqual({ status: 400, code: 'ENROLLMENT_MISMATCH' });
    const again = tokenOf(await reauth(token, { password: victim.password }));
    const enabled = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: again,
      body: { code: await codeNow(pending.secret, clock), ...pending },
    });
    expect(enabled.status).toBe(200);
  });

  it('freshness lasts 15 minutes to the second', async () => {
    const account = await registerAccount(server.url, 'fb');
    clock.advanceSeconds(FIFTEEN_MINUTES_SECONDS);
    expect((await generate(account.token)).status).toBe(200);
    clock.advanceSeconds(1);
    expect(outcome(await generate(account.token))).toEqual(reauthRequired);
  });

  it('a session from recover or reset is never fresh on its own; disable {} still works in the recovery window', async () => {
    const user = await createMfaUser(server.url, clock, await registerAccount(server.url, 'rc'));
    const recovered = await recoverWith(user, 0);
    expect(outcome(await setRecoveryEmail(recovered, 'thief@example.test'))).toEqual(reauthRequired);
    // The recovery code proved the second factor, not the password: the password completes it.
    expect(outcome(await reauth(recovered, { password: 'not the password' }))).toEqual({
      status: 403,
      code: 'PROOF_REJECTED',
    });
    const completed = await reauth(recovered, { password: user.password });
    expect(completed.status).toBe(200);
    expect((await setRecoveryEmail(tokenOf(completed), `new-${user.username}@example.test`)).status).toBe(
      200,
    );
    const disabled = await request(server.url, 'PUT', '/api/user/mfa/disable', {
      token: recovered,
      body: {},
    });
    expect(disabled.status).toBe(200);
    // MFA is off now, but the session still holds no password proof.
    expect(outcome(await generate(recovered))).toEqual(reauthRequired);
    const proven = await reauth(recovered, { password: user.password });
    expect(proven.status).toBe(200);
    expect((await generate(tokenOf(proven))).status).toBe(200);

    const other = await createMfaUser(server.url, clock, await registerAccount(server.url, 'rs'));
    const { token: resetToken } = (
      await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: other.email } })
    ).json as { token: string };
    const reset = await request(server.url, 'PUT', `/api/user/mfa/reset/${resetToken}`, {
      body: await openMailbox(server, keys).resetCodes(other),
    });
    expect(reset.status).toBe(200);
    expect(outcome(await generate(tokenOf(reset)))).toEqual(reauthRequired);
    expect(outcome(await setRecoveryEmail(tokenOf(reset), 'thief@example.test'))).toEqual(reauthRequired);
  });
});

describe('reauth', () => {
  it('an MFA user proves password and a TOTP code; the code is consumed', async () => {
    const user = await createMfaUser(server.url, clock, await registerAccount(server.url, 'rm'));
    const session = await loginWithTotp(server.url, user, clock);
    // Fresh right after the full login.
    expect((await setRecoveryEmail(session, `new-${user.username}@example.test`)).status).toBe(200);
    clock.advanceSeconds(FIFTEEN_MINUTES_SECONDS + 1);
    expect(outcome(await setRecoveryEmail(session, `later-${user.username}@example.test`))).toEqual(
      reauthRequired,
    );
    expect(outcome(await reauth(session, { password: user.password }))).toEqual({
      status: 400,
      code: 'INVALID_INPUT',
    });
    const code = await nextCode(user.secret, clock);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(outcome(await reauth(session, { password: user.password, code: wrong }))).toEqual({
      status: 403,
      code: 'PROOF_REJECTED',
    });
    const proven = await reauth(session, { password: user.password, code });
    expect(proven.status).toBe(200);
    expect(proven.json).toMatchObject({ id: user.id, mfa: true });
    expect((await setRecoveryEmail(tokenOf(proven), `later-${user.username}@example.test`)).status).toBe(200);
    // The accepted step is used up (replay protection, on every endpoint).
    expect(outcome(await reauth(session, { password: user.password, code }))).toEqual({
      status: 403,
      code: 'PROOF_REJECTED',
    });
  });

  it('wrong reauth passwords count with wrong logins toward the 5-guess lock', async () => {
    const account = await registerAccount(server.url, 'rl');
    for (let i = 0; i < 2; i += 1) {
      const login = await request(server.url, 'POST', '/api/login', {
        body: { username: account.username, password: 'wrong password' },
      });
      expect(login.status).toBe(401);
    }
    for (let i = 0; i < 3; i += 1) {
      expect(outcome(await reauth(account.token, { password: 'wrong password' }))).toEqual({
        status: 403,
        code: 'PROOF_REJECTED',
      });
    }
    const locked = await reauth(account.token, { password: account.password });
    expect(outcome(locked)).toEqual({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
    expect(locked.headers.get('retry-after')).toBeTruthy();
    const login = await request(server.url, 'POST', '/api/login', {
      body: { username: account.username, password: account.password },
    });
    expect(login.status).toBe(429);
    // The session itself is not ended by the lock.
    expect((await request(server.url, 'GET', '/api/auth/user', { token: account.token })).status).toBe(200);
  });

  it('over tRPC in cookie mode the cookie is replaced by the fresh session', async () => {
    const account = await registerAccount(server.url, 'rk');
    const cookieMode = { 'x-twofold-session': 'cookie' };
    const login = await request(server.url, 'POST', '/trpc/auth.login', {
      unchecked: true,
      body: { username: account.username, password: account.password },
      headers: cookieMode,
    });
    const cookieOf = (res: HttpResult) =>
      /twofold_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    const first = cookieOf(login);
    expect(first).toBeDefined();
    clock.advanceSeconds(FIFTEEN_MINUTES_SECONDS + 1);
    const headers = { cookie: `twofold_session=${first}`, 'x-twofold-csrf': '1', ...cookieMode };
    const stale = await request(server.url, 'POST', '/trpc/user.update', {
      unchecked: true,
      headers,
      body: { recovery_email: `rec-${account.username}@example.test` },
    });
    expect(outcome(stale)).toEqual(reauthRequired);
    const proven = await request(server.url, 'POST', '/trpc/user.reauth', {
      unchecked: true,
      headers,
      body: { password: account.password },
    });
    expect(proven.status).toBe(200);
    const second = cookieOf(proven);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(JSON.stringify(proven.json)).not.toContain(second);
    const fresh = await request(server.url, 'POST', '/trpc/user.update', {
      unchecked: true,
      headers: { ...headers, cookie: `twofold_session=${second}` },
      body: { recovery_email: `rec-${account.username}@example.test` },
    });
    expect(fresh.status).toBe(200);
  });
});
