// Invariant: only a session whose password (and, with MFA on, second factor) was proven within 15 minutes may enroll a factor or set the recovery email; recover and reset sessions never are; reauthenticate makes one fresh, sharing the login's password counter and the per-user second-factor counter and consuming its code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticateMfa } from '../mfa/authenticate.js';
import { disableMfa } from '../mfa/disable.js';
import { generateMfa } from '../mfa/generate.js';
import { recoverWithCode } from '../mfa/recover.js';
import { requestMfaReset } from '../reset/request.js';
import { resetMfa } from '../reset/reset.js';
import { readSession } from '../session/authenticate.js';
import { FRESH_SESSION_MAX_AGE_SECONDS } from '../session/freshness.js';
import {
  createMfaUser,
  createUser,
  latestResetCode,
  openTestCore,
  outcomeOf,
  type StoreTestCore,
  TEST_META,
  totpAt,
} from '../testing/index.js';
import { PASSWORD_POLICY, SECOND_FACTOR_POLICY } from '../throttle/failure-counter.js';
import { updateUser } from '../users/update.js';
import { loginWithPassword } from './login.js';
import { reauthenticate } from './reauthenticate.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const session = (token: string) => readSession(t.core, token);
const generateWith = async (token: string) => outcomeOf(generateMfa(t.core, await session(token), TEST_META));
const setRecoveryEmailWith = async (token: string, address: string) =>
  outcomeOf(
    Promise.resolve(session(token)).then((s) =>
      updateUser(t.core, s, { recovery_email: address }, TEST_META),
    ),
  );
const reauthWith = async (token: string, input: { password: string; code?: string }) =>
  reauthenticate(t.core, await session(token), input, TEST_META);

async function fullLogin(u: Awaited<ReturnType<typeof createMfaUser>>, secondsBetweenSteps = 0) {
  const step = await loginWithPassword(
    t.core,
    { username: u.input.username, password: u.input.password },
    TEST_META,
  );
  if (step.status !== 'mfa_required') throw new Error('expected the second step');
  t.clock.advanceSeconds(secondsBetweenSteps + 30);
  return authenticateMfa(
    t.core,
    { token: step.mfaToken, code: await totpAt(u.secret, t.clock.now()) },
    TEST_META,
  );
}

describe('fresh sessions', () => {
  it('a password proof lasts 15 minutes to the second', async () => {
    const { auth } = await createUser(t.core);
    t.clock.advanceSeconds(FRESH_SESSION_MAX_AGE_SECONDS);
    expect(await generateWith(auth.token)).toBe('ok');
    t.clock.advanceSeconds(1);
    expect(await generateWith(auth.token)).toBe('REAUTHENTICATION_REQUIRED');
    expect(await setRecoveryEmailWith(auth.token, 'thief@example.test')).toBe('REAUTHENTICATION_REQUIRED');
  });

  it('after a full MFA login the password counts from the password step, not the code', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const auth = await fullLogin(u, 4 * 60);
    // The password step was 4 min 30 s before the code: 10 min 30 s later it is 15 min old.
    t.clock.advanceSeconds(FRESH_SESSION_MAX_AGE_SECONDS - 4 * 60 - 30);
    expect(await setRecoveryEmailWith(auth.token, `a-${u.input.email}`)).toBe('ok');
    t.clock.advanceSeconds(1);
    expect(await setRecoveryEmailWith(auth.token, `b-${u.input.email}`)).toBe('REAUTHENTICATION_REQUIRED');
  });

  it('a recover or reset session is never fresh; recover → disable {} still works', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const recovered = await recoverWithCode(
      t.core,
      { identifier: u.input.username, recovery_code: u.recoveryCodes[0] as string },
      TEST_META,
    );
    expect(await setRecoveryEmailWith(recovered.auth.token, 'thief@example.test')).toBe(
      'REAUTHENTICATION_REQUIRED',
    );
    await disableMfa(t.core, (await session(recovered.auth.token)).user, {}, TEST_META);
    expect(await generateWith(recovered.auth.token)).toBe('REAUTHENTICATION_REQUIRED');

    const other = await createMfaUser(t.core, t.clock);
    const { token } = await requestMfaReset(t.core, { identifier: other.input.username }, TEST_META);
    const reset = await resetMfa(
      t.core,
      {
        id: token,
        main_email_code: await latestResetCode(t.core, other.input.email),
        recovery_email_code: await latestResetCode(t.core, other.recoveryEmail),
      },
      TEST_META,
    );
    expect(await generateWith(reset.token)).toBe('REAUTHENTICATION_REQUIRED');
  });
});

describe('reauthenticate', () => {
  it('after a recover, the password alone completes the session: the recovery code was its second factor', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const recovered = await recoverWithCode(
      t.core,
      { identifier: u.input.username, recovery_code: u.recoveryCodes[1] as string },
      TEST_META,
    );
    await expect(reauthWith(recovered.auth.token, { password: 'not the password' })).rejects.toMatchObject({
      code: 'PROOF_REJECTED',
    });
    const fresh = await reauthWith(recovered.auth.token, { password: u.input.password });
    expect(await setRecoveryEmailWith(fresh.token, 'new-recovery@example.test')).toBe('ok');
    // The recovery code's proof ages like any other: 15 minutes later the code is asked for again.
    t.clock.advanceSeconds(FRESH_SESSION_MAX_AGE_SECONDS + 1);
    await expect(reauthWith(fresh.token, { password: u.input.password })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('makes the same session fresh; with MFA on it needs the code and consumes it', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const auth = await fullLogin(u);
    t.clock.advanceSeconds(FRESH_SESSION_MAX_AGE_SECONDS + 1);
    expect(await outcomeOf(reauthWith(auth.token, { password: u.input.password }))).toBe('INVALID_INPUT');
    t.clock.advanceSeconds(30);
    const code = await totpAt(u.secret, t.clock.now());
    const fresh = await reauthWith(auth.token, { password: u.input.password, code });
    expect((await session(fresh.token)).id).toBe((await session(auth.token)).id);
    expect(await setRecoveryEmailWith(fresh.token, `new-${u.input.email}`)).toBe('ok');
    expect(await outcomeOf(reauthWith(auth.token, { password: u.input.password, code }))).toBe(
      'PROOF_REJECTED',
    );
  });

  it('wrong passwords share the login counter: 5 then 429, for reauth and login alike', async () => {
    const { auth, input } = await createUser(t.core);
    const wrong = { password: 'not the password' };
    const outcomes = [];
    for (let i = 0; i < PASSWORD_POLICY.maxFailures - 1; i += 1) {
      outcomes.push(await outcomeOf(reauthWith(auth.token, wrong)));
    }
    outcomes.push(
      await outcomeOf(loginWithPassword(t.core, { username: input.username, ...wrong }, TEST_META)),
    );
    outcomes.push(await outcomeOf(reauthWith(auth.token, { password: input.password })));
    outcomes.push(
      await outcomeOf(
        loginWithPassword(t.core, { username: input.username, password: input.password }, TEST_META),
      ),
    );
    expect(outcomes).toEqual([
      ...Array(PASSWORD_POLICY.maxFailures - 1).fill('PROOF_REJECTED'),
      'INVALID_CREDENTIALS',
      'TOO_MANY_ATTEMPTS',
      'TOO_MANY_ATTEMPTS',
    ]);
  });

  it('wrong codes count on the per-user second-factor counter', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const auth = await fullLogin(u);
    const right = await totpAt(u.secret, t.clock.now() + 30_000);
    const wrong = right === '000000' ? '111111' : '000000';
    const outcomes = [];
    for (let i = 0; i < SECOND_FACTOR_POLICY.maxFailures; i += 1) {
      outcomes.push(await outcomeOf(reauthWith(auth.token, { password: u.input.password, code: wrong })));
    }
    t.clock.advanceSeconds(30);
    outcomes.push(await outcomeOf(reauthWith(auth.token, { password: u.input.password, code: right })));
    expect(outcomes).toEqual([
      ...Array(SECOND_FACTOR_POLICY.maxFailures).fill('PROOF_REJECTED'),
      'TOO_MANY_ATTEMPTS',
    ]);
  });
});
