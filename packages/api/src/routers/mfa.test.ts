import { createMfaUser, createUser, latestResetCode, totpAt } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, appCodeOf, openApiTestbed } from '../../test/api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

async function loginToken({ username, password }: { username: string; password: string }): Promise<string> {
  const result = await t.caller().auth.login({ username, password });
  if (result.status !== 'mfa_required') throw new Error('expected the MFA step');
  return result.mfaToken;
}

describe('mfa.generate and mfa.enable', () => {
  it('enroll a user who has a recovery email', async () => {
    const { auth } = await createUser(t.core);
    const caller = t.caller(auth.token);
    await caller.user.update({ recovery_email: `r-${auth.user}@example.test` });
    const g = await caller.mfa.generate();
    expect(g.recovery_codes).toHaveLength(6);
    const code = await totpAt(g.secret, t.clock.now());
    await expect(
      caller.mfa.enable({ code, secret: g.secret, recovery_codes: g.recovery_codes }),
    ).resolves.toBe(undefined);
    expect(await caller.auth.me()).toMatchObject({ mfa: true });
    expect(await appCodeOf(caller.mfa.generate())).toBe('MFA_ALREADY_ENABLED');
    expect(
      await appCodeOf(caller.mfa.enable({ code, secret: g.secret, recovery_codes: g.recovery_codes })),
    ).toBe('MFA_ALREADY_ENABLED');
  });

  it('answer each refusal with its code', async () => {
    const { auth } = await createUser(t.core);
    const caller = t.caller(auth.token);
    expect(await appCodeOf(t.caller().mfa.generate())).toBe('UNAUTHENTICATED');
    const g = await caller.mfa.generate();
    const body = { code: '000000', secret: g.secret, recovery_codes: g.recovery_codes };
    expect(await appCodeOf(caller.mfa.enable({ ...body, code: '12ab' }))).toBe('INVALID_INPUT');
    expect(await appCodeOf(caller.mfa.enable(body))).toBe('RECOVERY_EMAIL_REQUIRED');
    await caller.user.update({ recovery_email: `r-${auth.user}@example.test` });
    expect(await appCodeOf(caller.mfa.enable({ ...body, secret: 'ABCDEFGH' }))).toBe('ENROLLMENT_MISMATCH');
    expect(await appCodeOf(caller.mfa.enable(body))).toBe('PROOF_REJECTED');
  });
});

describe('mfa.auth', () => {
  it('completes the login with a fresh code, and refuses replays, wrong codes and bad tokens', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const token = await loginToken(u.input);
    expect(await appCodeOf(t.caller().mfa.auth({ token, code: '000000' }))).toBe('INVALID_CODE');
    const code = await totpAt(u.secret, t.clock.now());
    const auth = await t.caller().mfa.auth({ token, code });
    expect(auth).toMatchObject({ id: u.auth.id, mfa: true });
    expect(await appCodeOf(t.caller().mfa.auth({ token, code }))).toBe('INVALID_MFA_TOKEN');
    const again = await loginToken(u.input);
    expect(await appCodeOf(t.caller().mfa.auth({ token: again, code }))).toBe('CODE_REPLAYED');
    expect(await appCodeOf(t.caller().mfa.auth({ token: again, code: 'x' }))).toBe('INVALID_INPUT');
  });
});

describe('mfa.recover', () => {
  it('logs in with a recovery code, ends earlier sessions and opens a window', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const [code] = u.recoveryCodes as [string];
    const result = await t.caller().mfa.recover({ identifier: u.input.email, recovery_code: code });
    expect(result.auth).toMatchObject({ id: u.auth.id, mfa: true });
    expect(result.expiresAtSeconds).toBe(Math.floor(t.clock.now() / 1000) + 600);
    expect(await appCodeOf(t.caller(u.auth.token).auth.me())).toBe('UNAUTHENTICATED');
    await expect(t.caller(result.auth.token).auth.me()).resolves.toMatchObject({ id: u.auth.id });
    expect(
      await appCodeOf(t.caller().mfa.recover({ identifier: u.input.username, recovery_code: code })),
    ).toBe('INVALID_CODE');
    expect(
      await appCodeOf(t.caller().mfa.recover({ identifier: u.input.username, recovery_code: '1' })),
    ).toBe('INVALID_INPUT');
  });
});

describe('mfa.disable', () => {
  it('accepts a TOTP code and keeps the session', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const caller = t.caller(u.auth.token);
    expect(await appCodeOf(caller.mfa.disable({ code: '000000' }))).toBe('PROOF_REJECTED');
    await caller.mfa.disable({ code: await totpAt(u.secret, t.clock.now()) });
    expect(await caller.auth.me()).toMatchObject({ mfa: false });
    expect(await appCodeOf(caller.mfa.disable({}))).toBe('MFA_NOT_ENABLED');
  });

  it('accepts `{}` once inside the recovery window', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { auth } = await t.caller().mfa.recover({
      identifier: u.input.username,
      recovery_code: u.recoveryCodes[0] as string,
    });
    await expect(t.caller(auth.token).mfa.disable({})).resolves.toBeUndefined();
  });

  it('refuses `{}` outside a window and malformed proofs', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const caller = t.caller(u.auth.token);
    expect(await appCodeOf(caller.mfa.disable({}))).toBe('PROOF_REJECTED');
    expect(await appCodeOf(caller.mfa.disable({ main_email_code: 'ABCDE' }))).toBe('INVALID_INPUT');
  });
});

describe('mfa.requestReset and mfa.reset', () => {
  it('reset MFA with both emailed codes', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { token } = await t.caller().mfa.requestReset({ identifier: u.input.username });
    const main = await latestResetCode(t.core, u.input.email);
    const recovery = await latestResetCode(t.core, u.recoveryEmail);
    expect(
      await appCodeOf(
        t.caller().mfa.reset({ id: token, main_email_code: recovery, recovery_email_code: main }),
      ),
    ).toBe('INVALID_CODE');
    const auth = await t
      .caller()
      .mfa.reset({ id: token, main_email_code: main, recovery_email_code: recovery });
    expect(auth).toMatchObject({ id: u.auth.id, mfa: false });
    expect(
      await appCodeOf(
        t.caller().mfa.reset({ id: token, main_email_code: main, recovery_email_code: recovery }),
      ),
    ).toBe('INVALID_CODE');
    expect(
      await appCodeOf(
        t
          .caller()
          .mfa.reset({ id: crypto.randomUUID(), main_email_code: main, recovery_email_code: recovery }),
      ),
    ).toBe('INVALID_CODE');
  });

  it('answer a token for unknown identifiers and refuse malformed ones', async () => {
    await expect(t.caller().mfa.requestReset({ identifier: 'nobody' })).resolves.toMatchObject({
      token: expect.any(String),
    });
    expect(await appCodeOf(t.caller().mfa.requestReset({ identifier: '' }))).toBe('INVALID_INPUT');
  });
});
