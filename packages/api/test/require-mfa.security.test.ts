/**
 * Invariant (docs/contract.md § Required MFA): while the operator requires MFA, a session of a
 * user without a second factor (past any grace period) can do nothing but enrol one, on every
 * tRPC procedure and every REST route; enrolling lifts the restriction on that same session.
 */
import { type MfaRequirement, nowSeconds } from '@twofold/core';
import { createUser, TestAuthenticator, totpAt } from '@twofold/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { restRoutes } from '../src/rest/routes/index.js';
import { appRouter } from '../src/router.js';
import { type ApiTestbed, appCodeOf, openApiTestbed } from './api-testbed.js';

/** The manual clock's start (core testing): the requirement begins a minute later. */
const CLOCK_START_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const SINCE_MS = CLOCK_START_MS + 60_000;
const DAY_SECONDS = 24 * 3600;

let t: ApiTestbed;
afterEach(() => t.close());

async function open(requireMfa: MfaRequirement = { graceDays: 0, sinceMs: SINCE_MS }) {
  t = await openApiTestbed({ requireMfa });
}

/** The procedures a restricted session may call (the procedures' meta; user.update: recovery email only). */
const ALLOWED_PROCEDURES = new Set([
  'auth.me',
  'user.reauth',
  'user.update',
  'user.emailStatus',
  'user.sendEmailVerification',
  'user.verifyEmail',
  'mfa.generate',
  'mfa.enable',
  'mfa.webauthn.registrationOptions',
  'mfa.webauthn.register',
  // Leaving needs no second factor set up (docs/contract.md § Leaving).
  'user.export',
  'user.delete',
]);
const ALLOWED_OPERATIONS = new Set([
  'getAuthUser',
  'reauthenticate',
  'updateUser',
  'emailVerificationStatus',
  'sendEmailVerification',
  'verifyEmailCode',
  'generateMFA',
  'enableMFA',
  'webauthnRegistrationOptions',
  'webauthnRegister',
  'exportAccount',
  'deleteAccount',
  'deleteAccountPost',
]);

type AnyProcedure = (input?: unknown) => Promise<unknown>;

/** The caller's procedure at a dotted path (`mfa.webauthn.list`). */
function procedureAt(caller: unknown, path: string): AnyProcedure {
  let node = caller as Record<string, unknown>;
  for (const segment of path.split('.')) node = node[segment] as Record<string, unknown>;
  return node as unknown as AnyProcedure;
}

async function restError(response: Response) {
  return { status: response.status, body: (await response.json()) as { code: string; message: string } };
}

/** A user who exists before the requirement began, then a login once it holds. */
async function existingUser() {
  const user = await createUser(t.core);
  t.clock.set(SINCE_MS);
  return user;
}

async function loginOverRest(input: { username: string; password: string }) {
  const response = await t.request('POST', '/api/login', {
    body: { username: input.username, password: input.password },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string } & Record<string, unknown>;
}

describe('REQUIRE_MFA=all: the restricted session', () => {
  it('is announced by login (REST and tRPC), me and auth.session', async () => {
    await open();
    const { input } = await existingUser();
    const auth = await loginOverRest(input);
    expect(auth).toMatchObject({ mfa: false, mfa_enrollment_required: true });
    expect(auth).not.toHaveProperty('mfa_enrollment_days_left');
    const login = await t.caller().auth.login({ username: input.username, password: input.password });
    expect(login).toMatchObject({ status: 'authenticated', auth: { mfa_enrollment_required: true } });
    expect(await t.caller(auth.token).auth.me()).toMatchObject({ mfa_enrollment_required: true });
    expect(await t.caller(auth.token).auth.session()).toMatchObject({ mfa_enrollment_required: true });
    const me = await t.request('GET', '/api/auth/user', { token: auth.token });
    expect(await me.json()).toMatchObject({ mfa_enrollment_required: true });
  });

  it('gets 403 MFA_ENROLLMENT_REQUIRED from every other protected tRPC procedure', async () => {
    await open();
    const { input } = await existingUser();
    const { token } = await loginOverRest(input);
    // Admin procedures take an operator's key, not a session (docs/contract.md § Administration).
    const paths = Object.keys(appRouter._def.procedures).filter((path) => !path.startsWith('admin.'));
    let denied = 0;
    for (const path of paths) {
      // Protected: refused without a session before its input is even read.
      const anonymous = await appCodeOf(procedureAt(t.caller(), path)(undefined)).catch(() => 'OK');
      if (anonymous !== 'UNAUTHENTICATED') continue;
      if (ALLOWED_PROCEDURES.has(path) && path !== 'user.update') continue;
      const code = await appCodeOf(procedureAt(t.caller(token), path)({}));
      expect({ path, code }).toEqual({ path, code: 'MFA_ENROLLMENT_REQUIRED' });
      denied += 1;
    }
    expect(denied).toBeGreaterThanOrEqual(9);
  });

  it('gets 403 MFA_ENROLLMENT_REQUIRED from every other protected REST route, before reading the body', async () => {
    await open();
    const { input } = await existingUser();
    const { token } = await loginOverRest(input);
    let denied = 0;
    for (const route of restRoutes) {
      if (
        !route.isProtected ||
        (ALLOWED_OPERATIONS.has(route.operationId) && route.operationId !== 'updateUser')
      )
        continue;
      const path = route.path.replace(/\{[^}]+\}/g, 'some-id');
      const body = route.requestBody ? { password: 'new password 123', bogus: 1 } : undefined;
      const { status, body: error } = await restError(
        await t.request(route.method, path, { token, ...(body ? { body } : {}) }),
      );
      expect({ op: route.operationId, status, code: error.code }).toEqual({
        op: route.operationId,
        status: 403,
        code: 'MFA_ENROLLMENT_REQUIRED',
      });
      expect(error.message).toMatch(/second factor/);
      denied += 1;
    }
    expect(denied).toBeGreaterThanOrEqual(9);
  });

  it('cannot change the password, the name, regenerate codes or read events (attack)', async () => {
    await open();
    const { input, auth: registered } = await existingUser();
    const { token } = await loginOverRest(input);
    const caller = t.caller(token);
    const newPassword = 'attacker chosen 123';
    for (const update of [
      { password: newPassword, current_password: input.password },
      { recovery_email: 'mine@example.test', password: newPassword, current_password: input.password },
      { recovery_email: 'mine@example.test', name: 'Owned' },
      { name: 'Owned' },
    ]) {
      expect(await appCodeOf(caller.user.update(update))).toBe('MFA_ENROLLMENT_REQUIRED');
      const rest = await t.request('PATCH', '/api/users', { token, body: update });
      expect(rest.status).toBe(403);
    }
    expect(await appCodeOf(caller.mfa.recoveryCodes.regenerate())).toBe('MFA_ENROLLMENT_REQUIRED');
    expect(await appCodeOf(caller.user.securityEvents())).toBe('MFA_ENROLLMENT_REQUIRED');
    expect(await appCodeOf(caller.mfa.disable({}))).toBe('MFA_ENROLLMENT_REQUIRED');
    // Nothing changed: the password, the name, no recovery email.
    const again = await loginOverRest(input);
    expect(again).toMatchObject({ name: registered.name, recovery_email: '' });
  });

  it('may log out, re-authenticate, set the recovery email, enrol TOTP, and then has full access on the same session', async () => {
    await open();
    const { input } = await existingUser();
    const { token } = await loginOverRest(input);
    expect(
      (await t.request('POST', '/api/user/reauth', { token, body: { password: input.password } })).status,
    ).toBe(200);
    // Logging out is allowed too: it ends that session (another one here), not this one.
    const other = await loginOverRest(input);
    expect(await t.caller(other.token).auth.logout()).toBeUndefined();
    expect((await t.request('GET', '/api/auth/user', { token: other.token })).status).toBe(401);
    const set = await t.request('PATCH', '/api/users', { token, body: { recovery_email: 'r@example.test' } });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({
      recovery_email: 'r@example.test',
      mfa_enrollment_required: true,
    });
    const generated = await t.request('GET', '/api/user/mfa/generate', { token });
    expect(generated.status).toBe(200);
    const { secret, recovery_codes } = (await generated.json()) as {
      secret: string;
      recovery_codes: string[];
    };
    const code = await totpAt(secret, t.clock.now());
    const enabled = await t.request('PUT', '/api/user/mfa/enable', {
      token,
      body: { code, secret, recovery_codes },
    });
    expect(enabled.status).toBe(200);
    // The same token now reaches everything.
    expect((await t.request('GET', '/api/user/security-events', { token })).status).toBe(200);
    expect((await t.caller(token).mfa.recoveryCodes.status()).unused).toBe(6);
    const me = await t.caller(token).auth.me();
    expect(me.mfa).toBe(true);
    expect(me).not.toHaveProperty('mfa_enrollment_required');
  });

  it('may enrol a security key over tRPC, and then has full access', async () => {
    await open();
    const { input } = await existingUser();
    const login = await t.caller().auth.login({ username: input.username, password: input.password });
    if (login.status !== 'authenticated') throw new Error('expected a login');
    const caller = t.caller(login.auth.token);
    await caller.user.update({ recovery_email: 'key@example.test' });
    const key = new TestAuthenticator();
    const { options } = await caller.mfa.webauthn.registrationOptions();
    const registered = await caller.mfa.webauthn.register({ name: 'Key', response: key.create(options) });
    expect(registered.recovery_codes).toHaveLength(6);
    expect((await caller.mfa.webauthn.list()).credentials).toHaveLength(1);
    expect((await caller.user.securityEvents()).events.length).toBeGreaterThan(0);
  });

  it('returns as soon as MFA is off again (the last key removed)', async () => {
    await open();
    const { input } = await existingUser();
    const login = await t.caller().auth.login({ username: input.username, password: input.password });
    if (login.status !== 'authenticated') throw new Error('expected a login');
    const caller = t.caller(login.auth.token);
    await caller.user.update({ recovery_email: 'gone@example.test' });
    const key = new TestAuthenticator();
    const { options } = await caller.mfa.webauthn.registrationOptions();
    const { credential } = await caller.mfa.webauthn.register({ name: 'Key', response: key.create(options) });
    // Removing a factor needs a fresh second-factor proof: a complete login with the key.
    const step = await t.caller().auth.login({ username: input.username, password: input.password });
    if (step.status !== 'mfa_required') throw new Error('expected the second step');
    const assertion = await t.caller().mfa.webauthn.authOptions({ token: step.mfaToken });
    const full = await t
      .caller()
      .mfa.webauthn.auth({ token: step.mfaToken, response: key.get(assertion.options) });
    await t.caller(full.token).mfa.webauthn.remove({ id: credential.id });
    expect(await appCodeOf(t.caller(full.token).user.securityEvents())).toBe('MFA_ENROLLMENT_REQUIRED');
    expect(await t.caller(full.token).auth.me()).toMatchObject({ mfa: false, mfa_enrollment_required: true });
  });

  it('holds for a user who registers under the requirement (no grace for new accounts)', async () => {
    await open({ graceDays: 30, sinceMs: SINCE_MS });
    t.clock.set(SINCE_MS + 1);
    const { auth } = await createUser(t.core);
    expect(auth).toMatchObject({ mfa_enrollment_required: true });
    expect(await appCodeOf(t.caller(auth.token).user.securityEvents())).toBe('MFA_ENROLLMENT_REQUIRED');
  });

  it('leaves users with MFA and servers without the setting alone', async () => {
    await open();
    t.clock.set(SINCE_MS);
    const { auth } = await createUser(t.core);
    expect(await appCodeOf(t.caller(auth.token).user.securityEvents())).toBe('MFA_ENROLLMENT_REQUIRED');
    await t.close();
    t = await openApiTestbed();
    const plain = await createUser(t.core);
    expect(plain.auth).not.toHaveProperty('mfa_enrollment_required');
    expect((await t.caller(plain.auth.token).user.securityEvents()).events).toHaveLength(1);
  });
});

describe('REQUIRE_MFA grace period', () => {
  it('counts from the start of the requirement for existing users, then restricts them', async () => {
    await open({ graceDays: 7, sinceMs: SINCE_MS });
    const { input } = await existingUser();
    const auth = await loginOverRest(input);
    const graceEndSec = Math.floor(SINCE_MS / 1000) + 7 * DAY_SECONDS;
    expect(auth).toMatchObject({
      mfa_enrollment_required: false,
      mfa_enrollment_days_left: 7,
      mfa_enrollment_due_at_seconds: graceEndSec,
    });
    expect((await t.caller(auth.token).user.securityEvents()).events.length).toBeGreaterThan(0);
    t.clock.advanceSeconds(6 * DAY_SECONDS + 1);
    const later = await loginOverRest(input);
    expect(await t.caller(later.token).auth.me()).toMatchObject({ mfa_enrollment_days_left: 1 });
    t.clock.set(graceEndSec * 1000 - 1);
    const lastDay = await loginOverRest(input);
    expect(lastDay).toMatchObject({ mfa_enrollment_required: false, mfa_enrollment_days_left: 1 });
    expect((await t.request('GET', '/api/user/security-events', { token: lastDay.token })).status).toBe(200);
    t.clock.set(graceEndSec * 1000);
    expect(nowSeconds(t.clock)).toBe(graceEndSec);
    const late = await loginOverRest(input);
    expect(late).toMatchObject({ mfa_enrollment_required: true });
    expect(late).not.toHaveProperty('mfa_enrollment_days_left');
    const refused = await restError(
      await t.request('GET', '/api/user/security-events', { token: late.token }),
    );
    expect(refused).toMatchObject({ status: 403, body: { code: 'MFA_ENROLLMENT_REQUIRED' } });
    // A token from the grace period is restricted too: the rule is read per request.
    expect(await appCodeOf(t.caller(lastDay.token).user.securityEvents())).toBe('MFA_ENROLLMENT_REQUIRED');
  });
});
