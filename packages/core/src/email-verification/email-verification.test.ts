import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSecurityEvents } from '../events/list.js';
import {
  createUser,
  freshSession,
  latestEmailVerification,
  openTestCore,
  outcomeOf,
  type StoreTestCore,
  TEST_META,
} from '../testing/index.js';
import { findUserById, type User } from '../users/find.js';
import { updateUser } from '../users/update.js';
import {
  EMAIL_VERIFICATION_INTERVAL_SECONDS,
  EMAIL_VERIFICATION_TTL_SECONDS,
  sendEmailVerification,
} from './send.js';
import { emailVerificationStatus } from './status.js';
import { verifyEmailWithCode, verifyEmailWithToken } from './verify.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const userOf = async (id: string): Promise<User> => {
  const user = await findUserById(t.core.store, id);
  if (!user) throw new Error('no user');
  return user;
};

describe('email verification', () => {
  it('starts unverified; the link verifies the main address once', async () => {
    const u = await createUser(t.core);
    const user = await userOf(u.auth.id);
    expect(await emailVerificationStatus(t.core.store, user)).toEqual({
      email: u.input.email,
      email_verified: false,
      recovery_email: '',
      recovery_email_verified: false,
    });
    await sendEmailVerification(t.core, freshSession(t.core, user), { address: 'email' }, TEST_META);
    const { token } = await latestEmailVerification(t.core, u.input.email);
    expect(await verifyEmailWithToken(t.core, { token }, TEST_META)).toMatchObject({ email_verified: true });
    expect(await outcomeOf(verifyEmailWithToken(t.core, { token }, TEST_META))).toBe('INVALID_CODE');
    expect((await listSecurityEvents(t.core, user.id)).events[0]?.type).toBe('email_verified');
  });

  it('the code verifies the recovery address in a session; a new recovery address starts unverified', async () => {
    const u = await createUser(t.core);
    const recovery = `rec-${u.input.username}@example.test`;
    await updateUser(
      t.core,
      freshSession(t.core, await userOf(u.auth.id)),
      { recovery_email: recovery },
      TEST_META,
    );
    const user = await userOf(u.auth.id);
    await sendEmailVerification(t.core, freshSession(t.core, user), { address: 'recovery_email' }, TEST_META);
    const { code } = await latestEmailVerification(t.core, recovery);
    expect(
      await outcomeOf(
        verifyEmailWithCode(t.core, freshSession(t.core, user), { code: 'AAAAAAAA' }, TEST_META),
      ),
    ).toBe('INVALID_CODE');
    expect(await verifyEmailWithCode(t.core, freshSession(t.core, user), { code }, TEST_META)).toMatchObject({
      email_verified: false,
      recovery_email_verified: true,
    });
    await updateUser(t.core, freshSession(t.core, user), { recovery_email: `other-${recovery}` }, TEST_META);
    expect(await emailVerificationStatus(t.core.store, await userOf(u.auth.id))).toMatchObject({
      recovery_email_verified: false,
    });
  });

  it('refuses an expired link and a link of an address the user no longer has', async () => {
    const u = await createUser(t.core);
    const recovery = `rec-${u.input.username}@example.test`;
    await updateUser(
      t.core,
      freshSession(t.core, await userOf(u.auth.id)),
      { recovery_email: recovery },
      TEST_META,
    );
    const user = await userOf(u.auth.id);
    await sendEmailVerification(t.core, freshSession(t.core, user), { address: 'email' }, TEST_META);
    const main = await latestEmailVerification(t.core, u.input.email);
    t.clock.advanceSeconds(EMAIL_VERIFICATION_INTERVAL_SECONDS);
    await sendEmailVerification(t.core, freshSession(t.core, user), { address: 'recovery_email' }, TEST_META);
    const old = await latestEmailVerification(t.core, recovery);
    await updateUser(t.core, freshSession(t.core, user), { recovery_email: `new-${recovery}` }, TEST_META);
    expect(await outcomeOf(verifyEmailWithToken(t.core, { token: old.token }, TEST_META))).toBe(
      'INVALID_CODE',
    );
    t.clock.advanceSeconds(EMAIL_VERIFICATION_TTL_SECONDS);
    expect(await outcomeOf(verifyEmailWithToken(t.core, { token: main.token }, TEST_META))).toBe(
      'INVALID_CODE',
    );
  });

  it('sends at most one mail a minute, and none for an unset recovery address', async () => {
    const u = await createUser(t.core);
    const session = freshSession(t.core, await userOf(u.auth.id));
    expect(
      await outcomeOf(sendEmailVerification(t.core, session, { address: 'recovery_email' }, TEST_META)),
    ).toBe('RECOVERY_EMAIL_REQUIRED');
    await sendEmailVerification(t.core, session, { address: 'email' }, TEST_META);
    expect(await outcomeOf(sendEmailVerification(t.core, session, { address: 'email' }, TEST_META))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
  });

  it('parallel use of one link: exactly one succeeds', async () => {
    const u = await createUser(t.core);
    await sendEmailVerification(
      t.core,
      freshSession(t.core, await userOf(u.auth.id)),
      { address: 'email' },
      TEST_META,
    );
    const { token } = await latestEmailVerification(t.core, u.input.email);
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => outcomeOf(verifyEmailWithToken(t.core, { token }, TEST_META))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
  });
});
