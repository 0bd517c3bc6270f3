import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { verifyEmailWithToken } from '../email-verification/verify.js';
import { purgeExpired } from '../housekeeping/purge-expired.js';
import { requestPasswordReset } from '../password-reset/request.js';
import { requestMfaReset } from '../reset/request.js';
import {
  buildRegisterInput,
  createUser,
  enableMfaForUser,
  latestEmailVerification,
  openTestCore,
  outcomeOf,
  rowsOfUser,
  type StoreTestCore,
  TEST_META,
  testSql,
} from '../testing/index.js';
import { findUserById } from './find.js';
import { registerUser } from './register.js';
import { UNVERIFIED_ACCOUNT_RELEASE_DAYS } from './release-policy.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const DAY_SECONDS = 24 * 3600;
const pastRelease = () => t.clock.advanceSeconds(UNVERIFIED_ACCOUNT_RELEASE_DAYS * DAY_SECONDS + 1);
/** Registering another account with `email` (a fresh username), as its owner would. */
const registerEmail = (email: string) => registerUser(t.core, buildRegisterInput({ email }), TEST_META);

describe('release of unverified emails (docs/contract.md § Verified addresses)', () => {
  it('an address held 7 days by an unverified account that never logged in again can be registered', async () => {
    const squatter = await createUser(t.core);
    t.clock.advanceSeconds((UNVERIFIED_ACCOUNT_RELEASE_DAYS - 1) * DAY_SECONDS);
    expect(await outcomeOf(registerEmail(squatter.input.email))).toBe('EMAIL_TAKEN');
    t.clock.advanceSeconds(DAY_SECONDS + 1);

    const owner = await registerEmail(squatter.input.email);
    expect(owner.email).toBe(squatter.input.email);
    expect(await findUserById(t.core.store, squatter.auth.id)).toBeUndefined();
    expect(await rowsOfUser(t.core, squatter.auth.id)).toEqual({});
    expect(
      await outcomeOf(
        loginWithPassword(
          t.core,
          { username: squatter.input.username, password: squatter.input.password },
          TEST_META,
        ),
      ),
    ).toBe('INVALID_CREDENTIALS');
    // Its events stay, without user id or address (docs/contract.md § Leaving).
    const kept = await testSql(t.core).all<{ type: string; client_address: string | null }>(
      'SELECT type, client_address FROM security_events WHERE user_id IS NULL ORDER BY created_at_ms',
    );
    expect(kept).toEqual([
      { type: 'user_registered', client_address: null },
      { type: 'account_released', client_address: null },
    ]);
    // The mail about it (its verification) went with it; the owner's is there.
    const mailedTo = await testSql(t.core).all<{ user_id: string | null }>(
      'SELECT user_id FROM outbox WHERE recipient = ?',
      squatter.input.email,
    );
    expect(mailedTo).toEqual([{ user_id: owner.id }]);
  });

  it('a login after registering, or a verified address, keeps it', async () => {
    const loggedIn = await createUser(t.core);
    t.clock.advanceSeconds(60);
    await loginWithPassword(
      t.core,
      { username: loggedIn.input.username, password: loggedIn.input.password },
      TEST_META,
    );
    const verified = await createUser(t.core);
    const { token } = await latestEmailVerification(t.core, verified.input.email);
    await verifyEmailWithToken(t.core, { token }, TEST_META);
    pastRelease();
    expect(await outcomeOf(registerEmail(loggedIn.input.email))).toBe('EMAIL_TAKEN');
    expect(await outcomeOf(registerEmail(verified.input.email))).toBe('EMAIL_TAKEN');
    expect((await purgeExpired(t.core))['released-accounts']).toBe(0);
    expect(await findUserById(t.core.store, loggedIn.auth.id)).toBeDefined();
    expect(await findUserById(t.core.store, verified.auth.id)).toBeDefined();
  });

  it('frees the username too: the same registration succeeds again', async () => {
    const first = await createUser(t.core);
    pastRelease();
    const again = await registerUser(t.core, { ...first.input, password: 'another password' }, TEST_META);
    expect(again.user).toBe(first.input.username);
    expect(again.id).not.toBe(first.auth.id);
  });

  it('housekeeping removes such an account with every row it had, MFA and all', async () => {
    const kept = await createUser(t.core);
    await loginWithPassword(
      t.core,
      { username: kept.input.username, password: kept.input.password },
      TEST_META,
    );
    const squatter = await createUser(t.core);
    await enableMfaForUser(t.core, squatter.auth);
    await requestMfaReset(t.core, { identifier: squatter.input.username }, TEST_META);
    await requestPasswordReset(t.core, { identifier: squatter.input.username }, TEST_META);
    expect(Object.keys(await rowsOfUser(t.core, squatter.auth.id))).toEqual(
      expect.arrayContaining([
        'users',
        'identifiers',
        'mfa_credentials',
        'recovery_codes',
        'outbox',
        'sessions',
      ]),
    );
    t.clock.advanceSeconds(UNVERIFIED_ACCOUNT_RELEASE_DAYS * DAY_SECONDS - 60);
    expect((await purgeExpired(t.core))['released-accounts']).toBe(0);
    t.clock.advanceSeconds(61);
    expect((await purgeExpired(t.core))['released-accounts']).toBe(1);
    expect(await rowsOfUser(t.core, squatter.auth.id)).toEqual({});
    expect(await findUserById(t.core.store, kept.auth.id)).toBeDefined();
    expect(await outcomeOf(registerEmail(squatter.input.email))).toBe('ok');
  });

  it('parallel registrations of a released address: exactly one succeeds', async () => {
    const squatter = await createUser(t.core);
    pastRelease();
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => outcomeOf(registerEmail(squatter.input.email))),
    );
    expect(outcomes.sort()).toEqual(['EMAIL_TAKEN', 'EMAIL_TAKEN', 'EMAIL_TAKEN', 'ok']);
  });
});
