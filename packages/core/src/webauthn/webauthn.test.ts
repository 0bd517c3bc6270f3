import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { listSecurityEvents } from '../events/list.js';
import { authenticateMfa } from '../mfa/authenticate.js';
import { disableMfa } from '../mfa/disable.js';
import { isMfaEnabled } from '../mfa/factors.js';
import { generateMfa } from '../mfa/generate.js';
import {
  createMfaUser,
  createUser,
  freshSession,
  openTestCore,
  readOutbox,
  registerTestCredential,
  type StoreTestCore,
  TEST_META,
  TestAuthenticator,
  totpAt,
} from '../testing/index.js';
import { findUserById, type User } from '../users/find.js';
import { listWebAuthnCredentials, removeWebAuthnCredential, updateWebAuthnCredential } from './manage.js';
import { loginWithPasskey, startPasskeyLogin } from './passwordless.js';
import { startWebAuthnRegistration } from './registration-options.js';
import { authenticateMfaWebAuthn, startWebAuthnSecondStep } from './second-step.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const userOf = async (id: string): Promise<User> => {
  const user = await findUserById(t.core.store, id);
  if (!user) throw new Error(`no user ${id}`);
  return user;
};

async function mfaToken(input: { username: string; password: string }): Promise<string> {
  const result = await loginWithPassword(t.core, input, TEST_META);
  if (result.status !== 'mfa_required') throw new Error('expected the MFA step');
  return result.mfaToken;
}

const eventTypes = async (userId: string) =>
  (await listSecurityEvents(t.core, userId)).events.map((e) => e.type);

describe('registering a credential', () => {
  it('as the first factor turns MFA on, with 6 recovery codes shown once and a notification', async () => {
    const { input, auth } = await createUser(t.core);
    const result = await registerTestCredential(t.core, auth, new TestAuthenticator(), { name: 'Laptop' });
    expect(result.recovery_codes).toHaveLength(6);
    expect(result.credential).toMatchObject({ name: 'Laptop', passwordless: false, lastUsedAtMs: null });
    expect(await isMfaEnabled(t.core.store, auth.id)).toBe(true);
    expect((await loginWithPassword(t.core, input, TEST_META)).status).toBe('mfa_required');
    expect(await eventTypes(auth.id)).toEqual(expect.arrayContaining(['mfa_enabled', 'webauthn_added']));
    const [mail] = await readOutbox(t.core);
    expect(mail).toMatchObject({ kind: 'webauthn-added', to: input.email });
    expect(mail?.text).toContain('Laptop');
    expect(mail?.text).not.toContain(result.recovery_codes?.[0] ?? '-');
  });

  it('needs a recovery email while MFA is off, and a fresh session', async () => {
    const { auth } = await createUser(t.core);
    const user = await userOf(auth.id);
    await expect(startWebAuthnRegistration(t.core, freshSession(t.core, user))).rejects.toMatchObject({
      code: 'RECOVERY_EMAIL_REQUIRED',
    });
    const mfa = await createMfaUser(t.core, t.clock);
    const stale = freshSession(t.core, await userOf(mfa.auth.id));
    t.clock.advanceSeconds(16 * 60);
    await expect(startWebAuthnRegistration(t.core, stale)).rejects.toMatchObject({
      code: 'REAUTHENTICATION_REQUIRED',
    });
  });

  it('adds a key beside TOTP without new recovery codes, and excludes keys already registered', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const key = new TestAuthenticator();
    const result = await registerTestCredential(t.core, u.auth, key, { name: 'YubiKey' });
    expect(result.recovery_codes).toBeUndefined();
    const session = freshSession(t.core, await userOf(u.auth.id));
    const { options } = await startWebAuthnRegistration(t.core, session);
    expect(options.excludeCredentials?.map((c) => c.id)).toHaveLength(1);
    // The browser refuses to register an excluded authenticator again.
    expect(() => key.create(options)).toThrow();
    // The old recovery codes still work: recover was not replaced.
    expect(u.recoveryCodes).toHaveLength(6);
    // TOTP still logs in.
    const code = await totpAt(u.secret, t.clock.now());
    await expect(
      authenticateMfa(t.core, { token: await mfaToken(u.input), code }, TEST_META),
    ).resolves.toMatchObject({
      mfa: true,
    });
  });

  it('keeps one row per credential id in the whole store', async () => {
    const a = await createUser(t.core);
    await registerTestCredential(t.core, a.auth, new TestAuthenticator());
    const [row] = await t.core.store.webauthnCredentials.listOfUser(a.auth.id);
    if (!row) throw new Error('no credential');
    const b = await createUser(t.core);
    const copied = { ...row, id: 'another-id', userId: b.auth.id };
    expect(await t.core.store.transaction((tx) => tx.webauthnCredentials.insert(copied))).toBe(false);
  });
});

describe('the second step with a security key', () => {
  it('answers a UserAuth for an assertion to the token’s options', async () => {
    const { input, auth } = await createUser(t.core);
    const key = new TestAuthenticator();
    await registerTestCredential(t.core, auth, key);
    const token = await mfaToken(input);
    const { options } = await startWebAuthnSecondStep(t.core, { token });
    expect(options.allowCredentials).toHaveLength(1);
    const userAuth = await authenticateMfaWebAuthn(t.core, { token, response: key.get(options) }, TEST_META);
    expect(userAuth).toMatchObject({ id: auth.id, mfa: true });
    expect((await listWebAuthnCredentials(t.core, auth.id)).credentials[0]?.lastUsedAtMs).toBe(t.clock.now());
    expect(await eventTypes(auth.id)).toContain('mfa_auth_succeeded');
  });

  it('refuses a TOTP code for a user whose only factor is a key, and options for a user without keys', async () => {
    const { input, auth } = await createUser(t.core);
    await registerTestCredential(t.core, auth, new TestAuthenticator());
    await expect(
      authenticateMfa(t.core, { token: await mfaToken(input), code: '123456' }, TEST_META),
    ).rejects.toMatchObject({ code: 'INVALID_CODE' });
    const u = await createMfaUser(t.core, t.clock);
    await expect(startWebAuthnSecondStep(t.core, { token: await mfaToken(u.input) })).rejects.toMatchObject({
      code: 'NO_WEBAUTHN_CREDENTIAL',
    });
    await expect(startWebAuthnSecondStep(t.core, { token: 'not-a-token' })).rejects.toMatchObject({
      code: 'INVALID_MFA_TOKEN',
    });
  });
});

describe('passkey login', () => {
  it('logs in without the password with a credential allowed for it, as a fresh complete login', async () => {
    const { auth } = await createUser(t.core);
    const key = new TestAuthenticator();
    await registerTestCredential(t.core, auth, key, { passwordless: true });
    const { options } = await startPasskeyLogin(t.core);
    expect(options.userVerification).toBe('required');
    expect(options.allowCredentials ?? []).toHaveLength(0);
    const userAuth = await loginWithPasskey(t.core, { response: key.get(options) }, TEST_META);
    expect(userAuth).toMatchObject({ id: auth.id, mfa: true });
    expect(await eventTypes(auth.id)).toContain('passkey_login_succeeded');
  });

  it('refuses a credential the user did not allow for it, until allowed in a fresh session', async () => {
    const { auth } = await createUser(t.core);
    const key = new TestAuthenticator();
    const { credential } = await registerTestCredential(t.core, auth, key);
    let { options } = await startPasskeyLogin(t.core);
    await expect(loginWithPasskey(t.core, { response: key.get(options) }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_ASSERTION',
    });
    const stale = freshSession(t.core, await userOf(auth.id));
    t.clock.advanceSeconds(16 * 60);
    await expect(
      updateWebAuthnCredential(t.core, stale, { id: credential.id, passwordless: true }, TEST_META),
    ).rejects.toMatchObject({ code: 'REAUTHENTICATION_REQUIRED' });
    // Renaming needs no fresh session.
    await updateWebAuthnCredential(t.core, stale, { id: credential.id, name: 'Phone' }, TEST_META);
    const updated = await updateWebAuthnCredential(
      t.core,
      freshSession(t.core, await userOf(auth.id)),
      { id: credential.id, passwordless: true },
      TEST_META,
    );
    expect(updated).toMatchObject({ name: 'Phone', passwordless: true });
    ({ options } = await startPasskeyLogin(t.core));
    await expect(loginWithPasskey(t.core, { response: key.get(options) }, TEST_META)).resolves.toMatchObject({
      id: auth.id,
    });
  });
});

describe('removing factors', () => {
  it('keeps the other factors when one key goes; the last one going turns MFA off', async () => {
    const { input, auth } = await createUser(t.core);
    const first = await registerTestCredential(t.core, auth, new TestAuthenticator(), { name: 'A' });
    const second = await registerTestCredential(t.core, auth, new TestAuthenticator(), { name: 'B' });
    const session = () => userOf(auth.id).then((u) => freshSession(t.core, u));
    await removeWebAuthnCredential(t.core, await session(), { id: first.credential.id }, TEST_META);
    expect(await isMfaEnabled(t.core.store, auth.id)).toBe(true);
    expect((await readOutbox(t.core))[0]).toMatchObject({ kind: 'webauthn-removed' });
    await expect(
      removeWebAuthnCredential(t.core, await session(), { id: first.credential.id }, TEST_META),
    ).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    await removeWebAuthnCredential(t.core, await session(), { id: second.credential.id }, TEST_META);
    expect(await isMfaEnabled(t.core.store, auth.id)).toBe(false);
    expect((await readOutbox(t.core))[0]).toMatchObject({ kind: 'mfa-disabled' });
    expect(await eventTypes(auth.id)).toContain('mfa_disabled');
    expect((await loginWithPassword(t.core, input, TEST_META)).status).toBe('authenticated');
    // The first factor's recovery codes went with MFA.
    const code = first.recovery_codes?.[1] ?? '';
    await expect(
      disableMfa(t.core, await userOf(auth.id), { recovery_code: code }, TEST_META),
    ).rejects.toMatchObject({ code: 'MFA_NOT_ENABLED' });
  });

  it('removes every key when MFA is disabled, and another user cannot touch them', async () => {
    const { auth } = await createUser(t.core);
    const { credential, recovery_codes } = await registerTestCredential(
      t.core,
      auth,
      new TestAuthenticator(),
    );
    const other = await createUser(t.core);
    await expect(
      removeWebAuthnCredential(
        t.core,
        freshSession(t.core, await userOf(other.auth.id)),
        { id: credential.id },
        TEST_META,
      ),
    ).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    // TOTP generate answers 409 while a key keeps MFA on.
    await expect(
      generateMfa(t.core, freshSession(t.core, await userOf(auth.id)), TEST_META),
    ).rejects.toMatchObject({
      code: 'MFA_ALREADY_ENABLED',
    });
    await disableMfa(t.core, await userOf(auth.id), { recovery_code: recovery_codes?.[0] ?? '' }, TEST_META);
    expect((await listWebAuthnCredentials(t.core, auth.id)).credentials).toEqual([]);
    expect(await isMfaEnabled(t.core.store, auth.id)).toBe(false);
  });
});
