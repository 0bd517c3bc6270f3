import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { authenticateMfa } from '../mfa/authenticate.js';
import { readSession } from '../session/authenticate.js';
import {
  createMfaUser,
  createTestDevice,
  createUser,
  openTestCore,
  outcomeOf,
  readOutbox,
  registerTestCredential,
  rowsOfUser,
  type StoreTestCore,
  TEST_META,
  TestAuthenticator,
  type TestDevice,
  testSql,
  totpAt,
} from '../testing/index.js';
import { startWebAuthnReauth } from '../webauthn/reauth-options.js';
import { authenticateMfaWebAuthn, startWebAuthnSecondStep } from '../webauthn/second-step.js';
import { deleteAccount } from './delete-account.js';
import { exportAccount } from './export.js';
import { registerUser } from './register.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

/** A full login with the code of the next step: a fresh session of an MFA user. */
async function freshMfaLogin(u: Awaited<ReturnType<typeof createMfaUser>>, browser?: TestDevice) {
  const step = await loginWithPassword(
    t.core,
    { username: u.input.username, password: u.input.password },
    TEST_META,
  );
  if (step.status !== 'mfa_required') throw new Error('expected the second step');
  t.clock.advanceSeconds(30);
  const auth = await authenticateMfa(
    t.core,
    {
      token: step.mfaToken,
      code: await totpAt(u.secret, t.clock.now()),
      trust_device: browser !== undefined,
    },
    TEST_META,
    undefined,
    browser,
  );
  return { token: auth.token, session: await readSession(t.core, auth.token) };
}

describe('export (docs/contract.md § Leaving)', () => {
  it('holds the profile, factors, sessions, trusted devices and events, and never a secret, code, hash, key or token', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await registerTestCredential(t.core, u.auth, new TestAuthenticator(), { name: 'Laptop key' });
    const browser = createTestDevice();
    const { session } = await freshMfaLogin(u, browser);
    const exported = await exportAccount(t.core, session);
    expect(exported.profile).toMatchObject({
      id: u.auth.id,
      username: u.input.username,
      email: u.input.email,
      emailVerified: false,
      recoveryEmail: u.recoveryEmail,
    });
    expect(exported.factors).toMatchObject({
      mfa: true,
      totp: { enabledAtMs: expect.any(Number) },
      webauthn: [expect.objectContaining({ name: 'Laptop key' })],
      recoveryCodes: { unused: 6 },
    });
    expect(exported.sessions.some((s) => s.isCurrent)).toBe(true);
    expect(exported.trustedDevices).toEqual([
      expect.objectContaining({ clientAddress: TEST_META.clientAddress, lastUsedAtMs: null }),
    ]);
    expect(exported.securityEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(['user_registered', 'mfa_enabled', 'webauthn_added', 'mfa_auth_succeeded']),
    );
    const json = JSON.stringify(exported);
    const stored = await testSql(t.core).get<Record<string, string>>(
      `SELECT u.password_hash AS password, m.secret_ciphertext AS secret, w.public_key AS key, w.credential_id AS credential
         FROM users u JOIN mfa_credentials m ON m.user_id = u.id JOIN webauthn_credentials w ON w.user_id = u.id
        WHERE u.id = ?`,
      u.auth.id,
    );
    const codeHashes = await testSql(t.core).all<{ code_hash: string }>(
      'SELECT code_hash FROM recovery_codes WHERE user_id = ?',
      u.auth.id,
    );
    for (const secret of [
      u.secret,
      ...u.recoveryCodes,
      u.input.password,
      ...Object.values(stored ?? {}),
      ...codeHashes.map((row) => row.code_hash),
      browser.issued ?? 'a trusted-device token',
    ]) {
      expect(json).not.toContain(secret);
    }
  });
});

describe('deletion (docs/contract.md § Leaving)', () => {
  it('without MFA: a fresh session deletes the account and every row of it; events stay without personal data', async () => {
    const u = await createUser(t.core);
    await deleteAccount(t.core, await readSession(t.core, u.auth.token), {}, TEST_META);
    expect(await rowsOfUser(t.core, u.auth.id)).toEqual({});
    const kept = await testSql(t.core).all<{
      type: string;
      user_id: string | null;
      client_address: string | null;
    }>('SELECT type, user_id, client_address FROM security_events ORDER BY created_at_ms');
    expect(kept).toEqual([
      { type: 'user_registered', user_id: null, client_address: null },
      { type: 'account_deleted', user_id: null, client_address: null },
    ]);
    // Its mail went with it; the last notice names no account.
    const mail = await readOutbox(t.core);
    expect(mail.map((m) => [m.kind, m.to])).toEqual([['account-deleted', u.input.email]]);
    expect(
      await testSql(t.core).get<{ user_id: string | null }>(
        'SELECT user_id FROM outbox WHERE kind = ?',
        'account-deleted',
      ),
    ).toEqual({ user_id: null });
    // The identifiers are free again.
    expect(await outcomeOf(registerUser(t.core, u.input, TEST_META))).toBe('ok');
  });

  it('with MFA: a TOTP code, a recovery code or a key answer, each spent', async () => {
    const withCode = await createMfaUser(t.core, t.clock);
    const fresh = await freshMfaLogin(withCode);
    t.clock.advanceSeconds(30);
    await deleteAccount(
      t.core,
      fresh.session,
      { code: await totpAt(withCode.secret, t.clock.now()) },
      TEST_META,
    );
    expect(await rowsOfUser(t.core, withCode.auth.id)).toEqual({});

    const withRecovery = await createMfaUser(t.core, t.clock);
    const second = await freshMfaLogin(withRecovery);
    await deleteAccount(
      t.core,
      second.session,
      { recovery_code: withRecovery.recoveryCodes[2] ?? '' },
      TEST_META,
    );
    expect(await rowsOfUser(t.core, withRecovery.auth.id)).toEqual({});

    const keyOwner = await createUser(t.core);
    const key = new TestAuthenticator();
    await registerTestCredential(t.core, keyOwner.auth, key);
    // A session fresh by a key's second step, then a key's answer to the reauth options.
    const { session } = await freshKeyLogin(keyOwner, key);
    const { options } = await startWebAuthnReauth(t.core, session);
    await deleteAccount(t.core, session, { webauthn: key.get(options) }, TEST_META);
    expect(await rowsOfUser(t.core, keyOwner.auth.id)).toEqual({});
  });
});

/** A full login of a key-only user with the password and the key: a fresh session. */
async function freshKeyLogin(u: Awaited<ReturnType<typeof createUser>>, key: TestAuthenticator) {
  const step = await loginWithPassword(
    t.core,
    { username: u.input.username, password: u.input.password },
    TEST_META,
  );
  if (step.status !== 'mfa_required') throw new Error('expected the second step');
  const { options } = await startWebAuthnSecondStep(t.core, { token: step.mfaToken });
  const auth = await authenticateMfaWebAuthn(
    t.core,
    { token: step.mfaToken, response: key.get(options) },
    TEST_META,
  );
  return { token: auth.token, session: await readSession(t.core, auth.token) };
}
