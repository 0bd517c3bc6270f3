import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { listSecurityEvents } from '../events/list.js';
import { authenticateSession } from '../session/authenticate.js';
import {
  createMfaUser,
  createTestDevice,
  createUser,
  latestPasswordReset,
  openTestCore,
  outcomeOf,
  readOutbox,
  type StoreTestCore,
  TEST_META,
} from '../testing/index.js';
import { resetPassword } from './complete.js';
import { PASSWORD_RESET_TTL_SECONDS } from './live-request.js';
import { PASSWORD_RESET_INTERVAL_SECONDS, PASSWORD_RESETS_PER_DAY, requestPasswordReset } from './request.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const NEW_PASSWORD = 'a brand new passphrase';
const login = (username: string, password: string) =>
  loginWithPassword(t.core, { username, password }, TEST_META, createTestDevice());
const mailsOf = async (kind: string) => (await readOutbox(t.core)).filter((m) => m.kind === kind);

describe('requestPasswordReset', () => {
  it('mails a code and a link to the main address only, and records an event', async () => {
    const u = await createUser(t.core);
    await expect(
      requestPasswordReset(t.core, { identifier: u.input.email }, TEST_META),
    ).resolves.toBeUndefined();
    const mails = await mailsOf('password-reset-code');
    expect(mails.map((m) => m.to)).toEqual([u.input.email]);
    const { code, token } = await latestPasswordReset(t.core, u.input.email);
    expect(code).toMatch(/^[23456789A-HJ-NP-Z]{8}$/);
    expect(mails[0]?.text).toContain(`${t.config.publicUrl}/password/reset#token=${token}`);
    expect((await listSecurityEvents(t.core, u.auth.id)).events[0]?.type).toBe('password_reset_requested');
  });

  it('sends nothing for an unknown identifier, nor twice within the minute, nor past 5 a day', async () => {
    const u = await createUser(t.core);
    await requestPasswordReset(t.core, { identifier: 'nobody-here' }, TEST_META);
    expect(await mailsOf('password-reset-code')).toHaveLength(0);
    await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    t.clock.advanceSeconds(PASSWORD_RESET_INTERVAL_SECONDS - 1);
    await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    expect(await mailsOf('password-reset-code')).toHaveLength(1);
    for (let i = 1; i < PASSWORD_RESETS_PER_DAY + 2; i++) {
      t.clock.advanceSeconds(PASSWORD_RESET_INTERVAL_SECONDS);
      await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    }
    expect(await mailsOf('password-reset-code')).toHaveLength(PASSWORD_RESETS_PER_DAY);
  });
});

describe('resetPassword', () => {
  it('with the code sets the password, ends every session, notifies both addresses, logs nobody in', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    const { code } = await latestPasswordReset(t.core, u.input.email);
    await expect(
      resetPassword(t.core, { identifier: u.input.username, code, password: NEW_PASSWORD }, TEST_META),
    ).resolves.toBeUndefined();

    expect(await outcomeOf(authenticateSession(t.core, u.auth.token))).toBe('UNAUTHENTICATED');
    expect(await outcomeOf(login(u.input.username, u.input.password))).toBe('INVALID_CREDENTIALS');
    // The second factor is still asked for: a mailbox never gets past MFA.
    expect(await login(u.input.username, NEW_PASSWORD)).toMatchObject({ status: 'mfa_required' });
    const notices = await mailsOf('password-reset');
    expect(notices.map((m) => m.to).sort()).toEqual([u.input.email, u.recoveryEmail].sort());
    for (const notice of notices) expect(notice.text).not.toContain(code);
    const events = (await listSecurityEvents(t.core, u.auth.id)).events.map((e) => e.type);
    expect(events).toContain('password_reset_completed');
  });

  it('with the link token works once, and the code of the same request dies with it', async () => {
    const u = await createUser(t.core);
    await requestPasswordReset(t.core, { identifier: u.input.email }, TEST_META);
    const { code, token } = await latestPasswordReset(t.core, u.input.email);
    await resetPassword(t.core, { token, password: NEW_PASSWORD }, TEST_META);
    expect(await login(u.input.email, NEW_PASSWORD)).toMatchObject({ status: 'authenticated' });
    expect(await outcomeOf(resetPassword(t.core, { token, password: 'yet another one' }, TEST_META))).toBe(
      'INVALID_CODE',
    );
    expect(
      await outcomeOf(
        resetPassword(t.core, { identifier: u.input.email, code, password: 'yet another one' }, TEST_META),
      ),
    ).toBe('INVALID_CODE');
  });

  it('refuses an expired code and link (30 minutes)', async () => {
    const u = await createUser(t.core);
    await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    const { code, token } = await latestPasswordReset(t.core, u.input.email);
    t.clock.advanceSeconds(PASSWORD_RESET_TTL_SECONDS);
    expect(
      await outcomeOf(
        resetPassword(t.core, { identifier: u.input.username, code, password: NEW_PASSWORD }, TEST_META),
      ),
    ).toBe('INVALID_CODE');
    expect(await outcomeOf(resetPassword(t.core, { token, password: NEW_PASSWORD }, TEST_META))).toBe(
      'INVALID_CODE',
    );
    expect(await login(u.input.username, u.input.password)).toMatchObject({ status: 'authenticated' });
  });

  it('keeps an earlier live request usable after a new one (asking again cancels nothing)', async () => {
    const u = await createUser(t.core);
    await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    const first = await latestPasswordReset(t.core, u.input.email);
    t.clock.advanceSeconds(PASSWORD_RESET_INTERVAL_SECONDS);
    await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    const second = await latestPasswordReset(t.core, u.input.email);
    expect(second.code === first.code && second.token === first.token).toBe(false);
    await resetPassword(
      t.core,
      { identifier: u.input.username, code: first.code, password: NEW_PASSWORD },
      TEST_META,
    );
    expect(
      await outcomeOf(resetPassword(t.core, { token: second.token, password: 'x'.repeat(12) }, TEST_META)),
    ).toBe('INVALID_CODE');
  });

  it('applies the password rules of registration and wants exactly one way to prove the mail', async () => {
    const { ZResetPasswordInput } = await import('./complete.js');
    expect(ZResetPasswordInput.safeParse({ token: 'abc', password: 'short' }).success).toBe(false);
    expect(ZResetPasswordInput.safeParse({ password: NEW_PASSWORD }).success).toBe(false);
    expect(ZResetPasswordInput.safeParse({ identifier: 'a', password: NEW_PASSWORD }).success).toBe(false);
    expect(
      ZResetPasswordInput.safeParse({
        token: 'abc',
        identifier: 'a',
        code: 'ABCDEFGH',
        password: NEW_PASSWORD,
      }).success,
    ).toBe(false);
    expect(ZResetPasswordInput.safeParse({ token: 'abc', password: NEW_PASSWORD, extra: 1 }).success).toBe(
      false,
    );
    expect(
      ZResetPasswordInput.safeParse({ identifier: 'a', code: 'abcd-efgh', password: NEW_PASSWORD }).success,
    ).toBe(true);
  });
});
