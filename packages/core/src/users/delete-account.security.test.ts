// Invariant: an account is deleted only by a fresh session of its own with, while MFA is on, a second-factor proof given with the request and spent once; once deleted, nothing it held (session, MFA token, reset, password-reset, verification or recovery credential) opens anything.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { verifyEmailWithToken } from '../email-verification/verify.js';
import { authenticateMfa } from '../mfa/authenticate.js';
import { recoverWithCode } from '../mfa/recover.js';
import { resetPassword } from '../password-reset/complete.js';
import { requestPasswordReset } from '../password-reset/request.js';
import { requestMfaReset } from '../reset/request.js';
import { resetMfa } from '../reset/reset.js';
import { authenticateSession, readSession } from '../session/authenticate.js';
import {
  createMfaUser,
  createUser,
  latestEmailVerification,
  latestPasswordReset,
  latestResetCode,
  openTestCore,
  outcomeOf,
  rowsOfUser,
  type StoreTestCore,
  TEST_META,
  totpAt,
} from '../testing/index.js';
import { deleteAccount } from './delete-account.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

type MfaUser = Awaited<ReturnType<typeof createMfaUser>>;

async function passwordStep(u: { input: { username: string; password: string } }) {
  const step = await loginWithPassword(
    t.core,
    { username: u.input.username, password: u.input.password },
    TEST_META,
  );
  if (step.status !== 'mfa_required') throw new Error('expected the second step');
  return step.mfaToken;
}

/** A full login with the code of the next step: a fresh session of an MFA user. */
async function freshMfaLogin(u: MfaUser) {
  const mfaToken = await passwordStep(u);
  t.clock.advanceSeconds(30);
  const auth = await authenticateMfa(
    t.core,
    { token: mfaToken, code: await totpAt(u.secret, t.clock.now()) },
    TEST_META,
  );
  return readSession(t.core, auth.token);
}

const stillThere = async (userId: string) => Object.keys(await rowsOfUser(t.core, userId)).includes('users');

describe('account deletion attacks', () => {
  it('a stale session is refused, and so is a recovery-code session (never fresh on its own)', async () => {
    const plain = await createUser(t.core);
    t.clock.advanceSeconds(15 * 60 + 1);
    expect(
      await outcomeOf(deleteAccount(t.core, await readSession(t.core, plain.auth.token), {}, TEST_META)),
    ).toBe('REAUTHENTICATION_REQUIRED');
    expect(await stillThere(plain.auth.id)).toBe(true);

    const u = await createMfaUser(t.core, t.clock);
    const recovered = await recoverWithCode(
      t.core,
      { identifier: u.input.username, recovery_code: u.recoveryCodes[0] ?? '' },
      TEST_META,
    );
    const session = await readSession(t.core, recovered.auth.token);
    expect(
      await outcomeOf(deleteAccount(t.core, session, { recovery_code: u.recoveryCodes[1] ?? '' }, TEST_META)),
    ).toBe('REAUTHENTICATION_REQUIRED');
    expect(await stillThere(u.auth.id)).toBe(true);
  });

  it('with MFA on: no proof is 400, a wrong or replayed one 403 and counted, then 429 for the right one', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const session = await freshMfaLogin(u);
    expect(await outcomeOf(deleteAccount(t.core, session, {}, TEST_META))).toBe('INVALID_INPUT');
    // The code the login just used: its step is spent.
    const replayed = await totpAt(u.secret, t.clock.now());
    expect(await outcomeOf(deleteAccount(t.core, session, { code: replayed }, TEST_META))).toBe(
      'PROOF_REJECTED',
    );
    const wrong = replayed === '000000' ? '111111' : '000000';
    for (let i = 0; i < 8; i += 1)
      expect(await outcomeOf(deleteAccount(t.core, session, { code: wrong }, TEST_META))).toBe(
        'PROOF_REJECTED',
      );
    expect(
      await outcomeOf(deleteAccount(t.core, session, { recovery_code: 'AAAA-BBBB-CCCC-DDDD' }, TEST_META)),
    ).toBe('PROOF_REJECTED');
    // Ten failures lock the second factor: the right recovery code is refused now.
    expect(
      await outcomeOf(deleteAccount(t.core, session, { recovery_code: u.recoveryCodes[0] ?? '' }, TEST_META)),
    ).toBe('TOO_MANY_ATTEMPTS');
    expect(await stillThere(u.auth.id)).toBe(true);
  });

  it('parallel deletions with one recovery code: exactly one succeeds', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const session = await freshMfaLogin(u);
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () =>
        outcomeOf(deleteAccount(t.core, session, { recovery_code: u.recoveryCodes[3] ?? '' }, TEST_META)),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(
      outcomes.filter((o) => o !== 'ok').every((o) => o === 'UNAUTHENTICATED' || o === 'PROOF_REJECTED'),
    ).toBe(true);
    expect(await rowsOfUser(t.core, u.auth.id)).toEqual({});
  });

  it('refuses every token the deleted account held', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const session = await freshMfaLogin(u);
    const pendingMfaToken = await passwordStep(u);
    const { token: resetToken } = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    const resetCodes = {
      main_email_code: await latestResetCode(t.core, u.input.email),
      recovery_email_code: await latestResetCode(t.core, u.recoveryEmail),
    };
    await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    const passwordReset = await latestPasswordReset(t.core, u.input.email);
    const verification = await latestEmailVerification(t.core, u.input.email);
    const sessionToken = (await loginWithPasswordFull(u)).token;

    t.clock.advanceSeconds(30);
    await deleteAccount(t.core, session, { code: await totpAt(u.secret, t.clock.now()) }, TEST_META);

    await expect(authenticateSession(t.core, sessionToken)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    t.clock.advanceSeconds(30);
    expect(
      await outcomeOf(
        authenticateMfa(
          t.core,
          { token: pendingMfaToken, code: await totpAt(u.secret, t.clock.now()) },
          TEST_META,
        ),
      ),
    ).toBe('INVALID_MFA_TOKEN');
    expect(await outcomeOf(resetMfa(t.core, { id: resetToken, ...resetCodes }, TEST_META))).toBe(
      'INVALID_CODE',
    );
    expect(await outcomeOf(resetMfa(t.core, { id: u.auth.id, ...resetCodes }, TEST_META))).toBe(
      'INVALID_CODE',
    );
    expect(
      await outcomeOf(
        resetPassword(t.core, { token: passwordReset.token, password: 'a new password' }, TEST_META),
      ),
    ).toBe('INVALID_CODE');
    expect(await outcomeOf(verifyEmailWithToken(t.core, { token: verification.token }, TEST_META))).toBe(
      'INVALID_CODE',
    );
    expect(
      await outcomeOf(
        recoverWithCode(
          t.core,
          { identifier: u.input.username, recovery_code: u.recoveryCodes[5] ?? '' },
          TEST_META,
        ),
      ),
    ).toBe('INVALID_CODE');
    expect(
      await outcomeOf(
        loginWithPassword(t.core, { username: u.input.username, password: u.input.password }, TEST_META),
      ),
    ).toBe('INVALID_CREDENTIALS');
  });
});

/** Another complete login of the MFA user (its own session, to be refused after the deletion). */
async function loginWithPasswordFull(u: MfaUser) {
  const mfaToken = await passwordStep(u);
  t.clock.advanceSeconds(30);
  return authenticateMfa(t.core, { token: mfaToken, code: await totpAt(u.secret, t.clock.now()) }, TEST_META);
}
