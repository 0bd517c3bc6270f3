// Invariant: only a live trusted-device token of that very user, set by a second step that asked for it, lets the right password alone log in; another user's, a forged, an expired or a revoked token changes nothing (the second step is asked), a wrong password still counts, and every recover, reset, MFA disable, password change or reset and operator sign-out revokes them all.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  disableUserForAdmin,
  enableUserForAdmin,
  endSessionsForAdmin,
  resetMfaForAdmin,
} from '../admin/actions.js';
import { createAdminKey } from '../admin/keys.js';
import { loginWithPassword } from '../auth/login.js';
import type { RequestMeta } from '../context.js';
import { listSecurityEvents } from '../events/list.js';
import { authenticateMfa } from '../mfa/authenticate.js';
import { disableMfa } from '../mfa/disable.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { recoverWithCode } from '../mfa/recover.js';
import { resetPassword } from '../password-reset/complete.js';
import { requestPasswordReset } from '../password-reset/request.js';
import { regenerateRecoveryCodes } from '../recovery-codes/regenerate.js';
import { requestMfaReset } from '../reset/request.js';
import { resetMfa } from '../reset/reset.js';
import { readSession } from '../session/authenticate.js';
import { listSessions } from '../session/list.js';
import {
  createMfaUser,
  createTestDevice,
  createUser,
  enableMfaForUser,
  freshSession,
  latestPasswordReset,
  latestResetCode,
  openTestCore,
  outcomeOf,
  readOutbox,
  registerTestCredential,
  type StoreTestCore,
  TEST_META,
  TestAuthenticator,
  type TestDevice,
  testSql,
  totpAt,
} from '../testing/index.js';
import { PASSWORD_POLICY } from '../throttle/failure-counter.js';
import { findUserById } from '../users/find.js';
import { updateUser } from '../users/update.js';
import { removeWebAuthnCredential } from '../webauthn/manage.js';
import { authenticateMfaWebAuthn, startWebAuthnSecondStep } from '../webauthn/second-step.js';
import { listTrustedDevices } from './list.js';
import { revokeTrustedDevice } from './revoke.js';
import { TRUSTED_DEVICE_TTL_SECONDS } from './token.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

type MfaUser = Awaited<ReturnType<typeof createMfaUser>>;
interface Credentials {
  username: string;
  password: string;
}

const BROWSER: RequestMeta = { clientAddress: '203.0.113.5', userAgent: 'Mozilla/5.0 (X11) Firefox/140' };

/** The password step, from a browser holding `trusted` (its trusted-device cookie) if given. */
const login = (who: Credentials, trusted?: TestDevice) =>
  loginWithPassword(t.core, { username: who.username, password: who.password }, BROWSER, undefined, trusted);

async function mfaTokenOf(who: Credentials, trusted?: TestDevice): Promise<string> {
  const result = await login(who, trusted);
  if (result.status !== 'mfa_required') throw new Error('expected the second step');
  return result.mfaToken;
}

/** Password, then a TOTP code with "trust this browser": the browser's new cookie value. */
async function trustBrowser(u: MfaUser): Promise<string> {
  const browser = createTestDevice();
  const token = await mfaTokenOf(u.input);
  t.clock.advanceSeconds(30);
  const code = await totpAt(u.secret, t.clock.now());
  await authenticateMfa(t.core, { token, code, trust_device: true }, BROWSER, undefined, browser);
  if (!browser.issued) throw new Error('no trusted-device cookie');
  return browser.issued;
}

/** What the password alone answers on a browser holding `cookie`. */
async function passwordAloneOn(u: { input: Credentials }, cookie: string | undefined) {
  return (await login(u.input, createTestDevice(cookie))).status;
}

const eventTypes = async (userId: string) =>
  (await listSecurityEvents(t.core, userId)).events.map((event) => event.type);

describe('trusting a browser at the second step', () => {
  it('sets a random cookie, stores only its keyed hash bound to the user, records it and mails a notice', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const cookie = await trustBrowser(u);
    expect(cookie).toMatch(/^[\w-]{43}$/);
    const rows = await testSql(t.core).all<Record<string, unknown>>('SELECT * FROM trusted_devices');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: u.auth.id, client_address: BROWSER.clientAddress });
    expect(JSON.stringify(rows)).not.toContain(cookie);
    expect(Number(rows[0]?.expires_at_ms)).toBe(t.clock.now() + TRUSTED_DEVICE_TTL_SECONDS * 1000);
    expect(await eventTypes(u.auth.id)).toContain('device_trusted');
    const [mail] = (await readOutbox(t.core)).filter((m) => m.kind === 'device-trusted');
    expect(mail).toMatchObject({ to: u.input.email });
    expect(mail?.text).toContain(BROWSER.clientAddress);
    expect(mail?.text).not.toContain(cookie);
  });

  it('trusts nothing unless asked, and nothing where no cookie can carry the token', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const browser = createTestDevice();
    let token = await mfaTokenOf(u.input);
    t.clock.advanceSeconds(30);
    await authenticateMfa(
      t.core,
      { token, code: await totpAt(u.secret, t.clock.now()) },
      BROWSER,
      undefined,
      browser,
    );
    expect(browser.issued).toBeUndefined();
    token = await mfaTokenOf(u.input);
    t.clock.advanceSeconds(30);
    await authenticateMfa(
      t.core,
      { token, code: await totpAt(u.secret, t.clock.now()), trust_device: true },
      BROWSER,
    );
    expect(await testSql(t.core).all('SELECT id FROM trusted_devices')).toEqual([]);
  });

  it('trusts at the second step with a security key too', async () => {
    const { input, auth } = await createUser(t.core);
    const key = new TestAuthenticator();
    await registerTestCredential(t.core, auth, key);
    const token = await mfaTokenOf(input);
    const { options } = await startWebAuthnSecondStep(t.core, { token });
    const browser = createTestDevice();
    await authenticateMfaWebAuthn(
      t.core,
      { token, response: key.get(options), trust_device: true },
      BROWSER,
      undefined,
      browser,
    );
    expect(await passwordAloneOn({ input }, browser.issued)).toBe('authenticated');
  });
});

describe('the password alone on a trusted browser', () => {
  it('logs in with a full session whose method says so, for 30 days, and is listed with its last use', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const cookie = await trustBrowser(u);
    t.clock.advanceSeconds(3600);
    const result = await login(u.input, createTestDevice(cookie));
    if (result.status !== 'authenticated') throw new Error('expected a session');
    expect(result.auth).toMatchObject({ id: u.auth.id, mfa: true });
    const session = await readSession(t.core, result.auth.token);
    const { sessions } = await listSessions(t.core, { id: session.id, userId: u.auth.id });
    expect(sessions[0]).toMatchObject({ isCurrent: true, method: 'password_trusted_device' });
    expect((await eventTypes(u.auth.id))[0]).toBe('trusted_device_login_succeeded');

    const { devices } = await listTrustedDevices(t.core, u.auth.id, cookie);
    expect(devices).toEqual([
      {
        id: expect.any(String),
        isCurrent: true,
        userAgent: BROWSER.userAgent,
        clientAddress: BROWSER.clientAddress,
        createdAtMs: t.clock.now() - 3600_000,
        lastUsedAtMs: t.clock.now(),
        expiresAtMs: t.clock.now() - 3600_000 + TRUSTED_DEVICE_TTL_SECONDS * 1000,
      },
    ]);
    expect((await listTrustedDevices(t.core, u.auth.id, undefined)).devices[0]?.isCurrent).toBe(false);

    // Without the cookie, the same password asks for the second step.
    expect(await passwordAloneOn(u, undefined)).toBe('mfa_required');
    // Just before the 30 days end it still works; at their end it does not, nor is it listed.
    t.clock.advanceSeconds(TRUSTED_DEVICE_TTL_SECONDS - 3600 - 1);
    expect(await passwordAloneOn(u, cookie)).toBe('authenticated');
    t.clock.advanceSeconds(1);
    expect(await passwordAloneOn(u, cookie)).toBe('mfa_required');
    expect((await listTrustedDevices(t.core, u.auth.id, cookie)).devices).toEqual([]);
  });

  it('proves no second factor now: the session is not fresh for a change of factors', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const cookie = await trustBrowser(u);
    const result = await login(u.input, createTestDevice(cookie));
    if (result.status !== 'authenticated') throw new Error('expected a session');
    const session = await readSession(t.core, result.auth.token);
    expect(session.proofs.secondFactorAtSec).toBeUndefined();
    expect(await outcomeOf(regenerateRecoveryCodes(t.core, session, TEST_META))).toBe(
      'REAUTHENTICATION_REQUIRED',
    );
  });

  it('leaves the password step as it is: a wrong password fails, counts, and locks', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const cookie = await trustBrowser(u);
    const wrong = { username: u.input.username, password: 'not the password' };
    const outcomes: string[] = [];
    for (let i = 0; i < PASSWORD_POLICY.maxFailures + 1; i++) {
      outcomes.push(await outcomeOf(login(wrong, createTestDevice(cookie))));
    }
    expect(outcomes.slice(0, PASSWORD_POLICY.maxFailures)).toEqual(
      Array(PASSWORD_POLICY.maxFailures).fill('INVALID_CREDENTIALS'),
    );
    expect(outcomes.at(-1)).toBe('TOO_MANY_ATTEMPTS');
    expect(await outcomeOf(login(u.input, createTestDevice(cookie)))).toBe('TOO_MANY_ATTEMPTS');
    expect(await eventTypes(u.auth.id)).toContain('login_locked');
    t.clock.advanceSeconds(PASSWORD_POLICY.baseLockSeconds + 1);
    expect(await passwordAloneOn(u, cookie)).toBe('authenticated');
  });

  it("refuses another user's cookie, a forged one and garbage: the second step is asked", async () => {
    const alice = await createMfaUser(t.core, t.clock);
    const bob = await createMfaUser(t.core, t.clock);
    const alicesCookie = await trustBrowser(alice);
    expect(await passwordAloneOn(bob, alicesCookie)).toBe('mfa_required');
    // The last character changed, whatever it was.
    const forged = `${alicesCookie.slice(0, -1)}${alicesCookie.endsWith('A') ? 'B' : 'A'}`;
    for (const cookie of [forged, '', 'x'.repeat(43), 'x'.repeat(10_000), `${alicesCookie}.`]) {
      expect(await passwordAloneOn(alice, cookie)).toBe('mfa_required');
    }
    // Bob trusting his own browser gives Alice's cookie nothing for him either.
    await trustBrowser(bob);
    expect(await passwordAloneOn(bob, alicesCookie)).toBe('mfa_required');
    expect(await passwordAloneOn(alice, alicesCookie)).toBe('authenticated');
  });

  it('is the second factor for nobody without MFA: the password alone logs them in anyway', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const cookie = await trustBrowser(u);
    const plain = await createUser(t.core);
    const result = await login(plain.input, createTestDevice(cookie));
    expect(result).toMatchObject({ status: 'authenticated' });
    if (result.status !== 'authenticated') return;
    const session = await readSession(t.core, result.auth.token);
    const { sessions } = await listSessions(t.core, { id: session.id, userId: plain.auth.id });
    expect(sessions.find((s) => s.isCurrent)?.method).toBe('password');
  });
});

describe('revoking', () => {
  it('one by one: that cookie asks for the second step again; an id of another user answers 404 and stays', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const first = await trustBrowser(u);
    const second = await trustBrowser(u);
    const other = await createMfaUser(t.core, t.clock);
    const othersCookie = await trustBrowser(other);

    const user = await findUserById(t.core.store, u.auth.id);
    if (!user) throw new Error('user');
    const session = freshSession(t.core, user);
    const { devices } = await listTrustedDevices(t.core, u.auth.id, first);
    expect(devices).toHaveLength(2);
    const firstId = devices.find((d) => d.isCurrent)?.id ?? '';
    await revokeTrustedDevice(t.core, session, { id: firstId }, TEST_META);
    expect(await passwordAloneOn(u, first)).toBe('mfa_required');
    expect(await passwordAloneOn(u, second)).toBe('authenticated');
    expect((await eventTypes(u.auth.id)).slice(0, 2)).toContain('trusted_device_revoked');
    expect(await outcomeOf(revokeTrustedDevice(t.core, session, { id: firstId }, TEST_META))).toBe(
      'TRUSTED_DEVICE_NOT_FOUND',
    );

    const [othersDevice] = (await listTrustedDevices(t.core, other.auth.id, othersCookie)).devices;
    expect(
      await outcomeOf(revokeTrustedDevice(t.core, session, { id: othersDevice?.id ?? '' }, TEST_META)),
    ).toBe('TRUSTED_DEVICE_NOT_FOUND');
    expect(await passwordAloneOn(other, othersCookie)).toBe('authenticated');
  });

  it('races: of parallel revocations of one device one wins; logins racing them never outlive them', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const cookie = await trustBrowser(u);
    const user = await findUserById(t.core.store, u.auth.id);
    if (!user) throw new Error('user');
    const [device] = (await listTrustedDevices(t.core, u.auth.id, cookie)).devices;
    const revoke = () =>
      revokeTrustedDevice(t.core, freshSession(t.core, user), { id: device?.id ?? '' }, TEST_META);
    const outcomes = await Promise.all([
      ...Array.from({ length: 5 }, () => outcomeOf(revoke())),
      ...Array.from({ length: 5 }, async () => (await login(u.input, createTestDevice(cookie))).status),
    ]);
    expect(outcomes.slice(0, 5).sort()).toEqual([
      'TRUSTED_DEVICE_NOT_FOUND',
      'TRUSTED_DEVICE_NOT_FOUND',
      'TRUSTED_DEVICE_NOT_FOUND',
      'TRUSTED_DEVICE_NOT_FOUND',
      'ok',
    ]);
    for (const status of outcomes.slice(5)) expect(['authenticated', 'mfa_required']).toContain(status);
    expect(await passwordAloneOn(u, cookie)).toBe('mfa_required');
  });

  /** Each event that must revoke every trusted device of the user, done as its user would. */
  const REVOKING: Record<string, (u: MfaUser) => Promise<unknown>> = {
    recover: (u) =>
      recoverWithCode(
        t.core,
        { identifier: u.input.username, recovery_code: u.recoveryCodes[0] ?? '' },
        TEST_META,
      ),
    'reset by email': async (u) => {
      await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
      await resetMfa(
        t.core,
        {
          id: u.auth.id,
          main_email_code: await latestResetCode(t.core, u.input.email),
          recovery_email_code: await latestResetCode(t.core, u.recoveryEmail),
        },
        TEST_META,
      );
    },
    'MFA disable': async (u) => {
      const user = await findUserById(t.core.store, u.auth.id);
      if (!user) throw new Error('user');
      t.clock.advanceSeconds(30);
      await disableMfa(t.core, user, { code: await totpAt(u.secret, t.clock.now()) }, TEST_META);
    },
    'password change': async (u) => {
      const result = await login(u.input);
      if (result.status !== 'mfa_required') throw new Error('expected the second step');
      t.clock.advanceSeconds(30);
      const auth = await authenticateMfa(
        t.core,
        { token: result.mfaToken, code: await totpAt(u.secret, t.clock.now()) },
        TEST_META,
      );
      await updateUser(
        t.core,
        await readSession(t.core, auth.token),
        { password: 'a brand new password', current_password: u.input.password },
        TEST_META,
      );
    },
    'forgotten-password reset': async (u) => {
      await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
      const { token } = await latestPasswordReset(t.core, u.input.email);
      await resetPassword(t.core, { token, password: 'a brand new password' }, TEST_META);
    },
    'an operator resetting MFA': async (u) => {
      const { adminKey } = await createAdminKey(t.core, { name: 'ops', scopes: ['mfa:reset'] });
      await resetMfaForAdmin(t.core, { key: adminKey, meta: TEST_META }, u.auth.id);
    },
    'an operator ending the sessions': async (u) => {
      const { adminKey } = await createAdminKey(t.core, { name: 'ops', scopes: ['sessions:end'] });
      await endSessionsForAdmin(t.core, { key: adminKey, meta: TEST_META }, u.auth.id);
    },
    'an operator disabling the account (then enabling it)': async (u) => {
      const { adminKey } = await createAdminKey(t.core, { name: 'ops', scopes: ['users:write'] });
      await disableUserForAdmin(t.core, { key: adminKey, meta: TEST_META }, u.auth.id);
      await enableUserForAdmin(t.core, { key: adminKey, meta: TEST_META }, u.auth.id);
    },
  };

  for (const [event, act] of Object.entries(REVOKING)) {
    it(`all at once on ${event}, in its transaction, with an event`, async () => {
      const u = await createMfaUser(t.core, t.clock);
      const cookies = [await trustBrowser(u), await trustBrowser(u)];
      const bystander = await createMfaUser(t.core, t.clock);
      const bystandersCookie = await trustBrowser(bystander);
      await act(u);
      const rows = await testSql(t.core).all('SELECT id FROM trusted_devices WHERE user_id = ?', u.auth.id);
      expect(rows).toEqual([]);
      expect(await eventTypes(u.auth.id)).toContain('trusted_devices_revoked');
      // With MFA still on, or on again, the old cookies ask for the second step.
      if (!(await isMfaEnabled(t.core.store, u.auth.id))) await enableMfaForUser(t.core, u.auth);
      const password = event.includes('password') ? 'a brand new password' : u.input.password;
      for (const cookie of cookies) {
        expect(await passwordAloneOn({ input: { username: u.input.username, password } }, cookie)).toBe(
          'mfa_required',
        );
      }
      expect(await passwordAloneOn(bystander, bystandersCookie)).toBe('authenticated');
    });
  }

  it('when the last security key goes (MFA off)', async () => {
    const { input, auth } = await createUser(t.core);
    const key = new TestAuthenticator();
    await registerTestCredential(t.core, auth, key);
    const token = await mfaTokenOf(input);
    const { options } = await startWebAuthnSecondStep(t.core, { token });
    const browser = createTestDevice();
    await authenticateMfaWebAuthn(
      t.core,
      { token, response: key.get(options), trust_device: true },
      BROWSER,
      undefined,
      browser,
    );
    const user = await findUserById(t.core.store, auth.id);
    if (!user) throw new Error('user');
    const [credential] = await t.core.store.webauthnCredentials.listOfUser(auth.id);
    await removeWebAuthnCredential(
      t.core,
      freshSession(t.core, user),
      { id: credential?.id ?? '' },
      TEST_META,
    );
    expect(await testSql(t.core).all('SELECT id FROM trusted_devices')).toEqual([]);
    expect(await eventTypes(auth.id)).toContain('trusted_devices_revoked');
  });
});
