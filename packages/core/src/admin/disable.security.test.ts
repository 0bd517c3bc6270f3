// Invariant: a disabled account starts no session by any way of logging in, answers every attempt whose proof is wrong exactly as an enabled account would, and is told apart only once the proof was right; disabling ends every session in the same transaction, even against logins racing it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { listSecurityEvents } from '../events/list.js';
import { authenticateMfa } from '../mfa/authenticate.js';
import { recoverWithCode } from '../mfa/recover.js';
import { resetPassword } from '../password-reset/complete.js';
import { requestPasswordReset } from '../password-reset/request.js';
import { requestMfaReset } from '../reset/request.js';
import { resetMfa } from '../reset/reset.js';
import { readSession } from '../session/authenticate.js';
import {
  createMfaUser,
  createUser,
  latestPasswordReset,
  latestResetCode,
  openTestCore,
  outcomeOf,
  readOutbox,
  registerTestCredential,
  type StoreTestCore,
  TEST_META,
  TestAuthenticator,
  totpAt,
} from '../testing/index.js';
import { loginWithPasskey, startPasskeyLogin } from '../webauthn/passwordless.js';
import { authenticateMfaWebAuthn, startWebAuthnSecondStep } from '../webauthn/second-step.js';
import { type AdminActor, disableUserForAdmin, enableUserForAdmin, findUserForAdmin } from './actions.js';
import { createAdminKey } from './keys.js';

let t: StoreTestCore;
let actor: AdminActor;
beforeEach(async () => {
  t = await openTestCore();
  const { adminKey } = await createAdminKey(t.core, { name: 'ops', scopes: ['users:read', 'users:write'] });
  actor = { key: adminKey, meta: { clientAddress: '198.51.100.9' } };
});
afterEach(() => t.close());

const disable = (userId: string) => disableUserForAdmin(t.core, actor, userId);
const enable = (userId: string) => enableUserForAdmin(t.core, actor, userId);
const liveSessions = (userId: string) =>
  t.core.store.sessions.listLiveOfUser({ userId, nowMs: t.core.clock.now() });

async function mfaTokenOf(input: { username: string; password: string }): Promise<string> {
  const result = await loginWithPassword(t.core, input, TEST_META);
  if (result.status !== 'mfa_required') throw new Error('expected the MFA step');
  return result.mfaToken;
}

describe('logging in to a disabled account', () => {
  it('answers wrong passwords, and locks, exactly as for an enabled account', async () => {
    const enabled = await createUser(t.core);
    const disabled = await createUser(t.core);
    await disable(disabled.auth.id);
    const run = async (u: typeof enabled, clientAddress: string) => {
      const attempt = (password: string) =>
        loginWithPassword(t.core, { username: u.input.username, password }, { clientAddress }).then(
          () => 'ok',
          (error: { code: string; message: string; lockout?: unknown }) =>
            JSON.stringify([error.code, error.message, error.lockout]),
        );
      const outcomes: string[] = [];
      for (let i = 0; i < 5; i += 1) outcomes.push(await attempt('not the password'));
      // Locked now: the right password gets the same 429 on both.
      outcomes.push(await attempt(u.input.password));
      return outcomes;
    };
    const [onEnabled, onDisabled] = [await run(enabled, '192.0.2.1'), await run(disabled, '192.0.2.2')];
    expect(onDisabled).toEqual(onEnabled);
    expect(onDisabled[0]).toContain('INVALID_CREDENTIALS');
    expect(onDisabled[5]).toContain('TOO_MANY_ATTEMPTS');
    const types = (await listSecurityEvents(t.core, disabled.auth.id)).events.map((e) => e.type);
    expect(types.filter((type) => type === 'login_failed')).toHaveLength(5);
    expect(types).toContain('login_locked');
  });

  it('tells ACCOUNT_DISABLED only to the right password, starts no session and resets no failure', async () => {
    const u = await createUser(t.core);
    await disable(u.auth.id);
    const meta = { clientAddress: '192.0.2.3' };
    const login = (password: string) =>
      outcomeOf(loginWithPassword(t.core, { username: u.input.username, password }, meta));
    for (let i = 0; i < 4; i += 1) expect(await login('not the password')).toBe('INVALID_CREDENTIALS');
    expect(await login(u.input.password)).toBe('ACCOUNT_DISABLED');
    expect(await liveSessions(u.auth.id)).toEqual([]);
    // The right password reset nothing: the fifth wrong one still locks.
    expect(await login('not the password')).toBe('INVALID_CREDENTIALS');
    expect(await login(u.input.password)).toBe('TOO_MANY_ATTEMPTS');
  });

  it('issues no MFA token to a user with MFA, and refuses a token issued before the disable', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const earlier = await mfaTokenOf(u.input);
    await disable(u.auth.id);
    await expect(loginWithPassword(t.core, u.input, TEST_META)).rejects.toMatchObject({
      code: 'ACCOUNT_DISABLED',
    });
    const code = await totpAt(u.secret, t.clock.now());
    await expect(authenticateMfa(t.core, { token: earlier, code }, TEST_META)).rejects.toMatchObject({
      code: 'ACCOUNT_DISABLED',
    });
    expect(await liveSessions(u.auth.id)).toEqual([]);
    // Rolled back: neither the token nor the code was spent, so both work once enabled again.
    await enable(u.auth.id);
    await expect(authenticateMfa(t.core, { token: earlier, code }, TEST_META)).resolves.toMatchObject({
      id: u.auth.id,
    });
  });
});

describe('every other way in refuses a disabled account', () => {
  it('recover: a wrong code answers as ever; a right one is refused and not spent', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await disable(u.auth.id);
    const recover = (recovery_code: string) =>
      outcomeOf(recoverWithCode(t.core, { identifier: u.input.username, recovery_code }, TEST_META));
    expect(await recover('AAAAAAAAAAAAAAAA')).toBe('INVALID_CODE');
    const code = u.recoveryCodes[0] ?? '';
    expect(await recover(code)).toBe('ACCOUNT_DISABLED');
    expect(await liveSessions(u.auth.id)).toEqual([]);
    await enable(u.auth.id);
    expect(await recover(code)).toBe('ok');
  });

  it('reset by email: nothing is mailed after the disable; a request made before cannot complete', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { token } = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    const codes = {
      main_email_code: await latestResetCode(t.core, u.input.email),
      recovery_email_code: await latestResetCode(t.core, u.recoveryEmail),
    };
    await disable(u.auth.id);
    t.clock.advanceSeconds(120);
    const before = (await readOutbox(t.core)).length;
    const again = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    expect(again.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(await readOutbox(t.core)).toHaveLength(before);

    await expect(resetMfa(t.core, { id: token, ...codes }, TEST_META)).rejects.toMatchObject({
      code: 'ACCOUNT_DISABLED',
    });
    expect(await liveSessions(u.auth.id)).toEqual([]);
    // MFA stays on: the reset rolled back whole.
    expect((await findUserForAdmin(t.core, actor, u.auth.id)).mfa).toBe(true);
  });

  it('forgot password: nothing is mailed after the disable; a code mailed before sets no password', async () => {
    const u = await createUser(t.core);
    await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    const { code, token } = await latestPasswordReset(t.core, u.input.email);
    await disable(u.auth.id);
    t.clock.advanceSeconds(120);
    const before = (await readOutbox(t.core)).length;
    await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    expect(await readOutbox(t.core)).toHaveLength(before);

    const password = 'a brand new passphrase';
    expect(await outcomeOf(resetPassword(t.core, { token: `${token}x`, password }, TEST_META))).toBe(
      'INVALID_CODE',
    );
    expect(
      await outcomeOf(resetPassword(t.core, { identifier: u.input.username, code, password }, TEST_META)),
    ).toBe('ACCOUNT_DISABLED');
    expect(await outcomeOf(resetPassword(t.core, { token, password }, TEST_META))).toBe('ACCOUNT_DISABLED');
    await enable(u.auth.id);
    // The old password still logs in: nothing was changed.
    expect((await loginWithPassword(t.core, u.input, TEST_META)).status).toBe('authenticated');
  });

  it('passkey login and the second step with a key are refused once the key is accepted', async () => {
    const key = new TestAuthenticator();
    const u = await createUser(t.core);
    await registerTestCredential(t.core, u.auth, key, { passwordless: true });
    const token = await mfaTokenOf(u.input);
    const { options: secondStep } = await startWebAuthnSecondStep(t.core, { token });
    await disable(u.auth.id);

    const { options } = await startPasskeyLogin(t.core);
    await expect(loginWithPasskey(t.core, { response: key.get(options) }, TEST_META)).rejects.toMatchObject({
      code: 'ACCOUNT_DISABLED',
    });
    await expect(
      authenticateMfaWebAuthn(t.core, { token, response: key.get(secondStep) }, TEST_META),
    ).rejects.toMatchObject({ code: 'ACCOUNT_DISABLED' });
    expect(await liveSessions(u.auth.id)).toEqual([]);
  });
});

describe('disabling and enabling', () => {
  it('ends every session at once, records both actions with the key, and enabling lets the password in', async () => {
    const u = await createUser(t.core);
    const second = await loginWithPassword(t.core, u.input, TEST_META);
    if (second.status !== 'authenticated') throw new Error('expected a session');
    await disable(u.auth.id);
    for (const token of [u.auth.token, second.auth.token]) {
      await expect(readSession(t.core, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect(await findUserForAdmin(t.core, actor, u.auth.id)).toMatchObject({ disabled: true });
    // Disabling twice is harmless.
    await disable(u.auth.id);

    await enable(u.auth.id);
    expect(await findUserForAdmin(t.core, actor, u.auth.id)).toMatchObject({ disabled: false });
    const login = await loginWithPassword(t.core, u.input, TEST_META);
    expect(login.status).toBe('authenticated');
    // Sessions ended by the disable stay ended.
    await expect(readSession(t.core, u.auth.token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    const events = (await listSecurityEvents(t.core, u.auth.id)).events;
    const byKey = events.filter((e) => e.type === 'admin_user_disabled' || e.type === 'admin_user_enabled');
    expect(byKey.map((e) => e.type).sort()).toEqual([
      'admin_user_disabled',
      'admin_user_disabled',
      'admin_user_enabled',
    ]);
  });

  it('leaves no session behind when logins race the disable', async () => {
    const u = await createUser(t.core);
    const logins = Array.from({ length: 12 }, () =>
      loginWithPassword(t.core, u.input, TEST_META).then(
        (result) => (result.status === 'authenticated' ? result.auth.token : 'mfa'),
        (error: { code: string }) => error.code,
      ),
    );
    const [outcomes] = await Promise.all([Promise.all(logins), disable(u.auth.id)]);
    expect(await liveSessions(u.auth.id)).toEqual([]);
    for (const outcome of outcomes) {
      if (outcome === 'ACCOUNT_DISABLED') continue;
      // A login that won the race got a session the disable then ended.
      await expect(readSession(t.core, outcome)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});
