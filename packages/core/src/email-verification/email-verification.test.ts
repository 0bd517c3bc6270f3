import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSecurityEvents } from '../events/list.js';
import { purgeExpired } from '../housekeeping/purge-expired.js';
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
  it('starts unverified, mailed at registration; the link verifies the main address once', async () => {
    const u = await createUser(t.core);
    const user = await userOf(u.auth.id);
    expect(await emailVerificationStatus(t.core, user)).toEqual({
      email: u.input.email,
      email_verified: false,
      recovery_email: '',
      recovery_email_verified: false,
      pending_email: '',
    });
    // Registration mailed it by itself (docs/contract.md § Verified addresses).
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
    // Setting it mailed a verification by itself.
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
    expect(await emailVerificationStatus(t.core, await userOf(u.auth.id))).toMatchObject({
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
    const main = await latestEmailVerification(t.core, u.input.email);
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

  it('sends at most one mail a minute, counting the one of registration, and none for an unset recovery address', async () => {
    const u = await createUser(t.core);
    const session = freshSession(t.core, await userOf(u.auth.id));
    expect(
      await outcomeOf(sendEmailVerification(t.core, session, { address: 'recovery_email' }, TEST_META)),
    ).toBe('RECOVERY_EMAIL_REQUIRED');
    expect(await outcomeOf(sendEmailVerification(t.core, session, { address: 'email' }, TEST_META))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
    t.clock.advanceSeconds(EMAIL_VERIFICATION_INTERVAL_SECONDS);
    await sendEmailVerification(t.core, session, { address: 'email' }, TEST_META);
    expect(await outcomeOf(sendEmailVerification(t.core, session, { address: 'email' }, TEST_META))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
  });

  it('mails every new recovery address; a change mails the new one and leaves it unverified', async () => {
    const u = await createUser(t.core);
    const first = `first-${u.input.username}@example.test`;
    const second = `second-${u.input.username}@example.test`;
    await updateUser(
      t.core,
      freshSession(t.core, await userOf(u.auth.id)),
      { recovery_email: first },
      TEST_META,
    );
    const { token } = await latestEmailVerification(t.core, first);
    await verifyEmailWithToken(t.core, { token }, TEST_META);
    expect(await emailVerificationStatus(t.core, await userOf(u.auth.id))).toMatchObject({
      recovery_email_verified: true,
    });
    // No waiting: a change mails its new address whatever was sent just before.
    await updateUser(
      t.core,
      freshSession(t.core, await userOf(u.auth.id)),
      { recovery_email: second },
      TEST_META,
    );
    expect(await emailVerificationStatus(t.core, await userOf(u.auth.id))).toMatchObject({
      recovery_email: second,
      recovery_email_verified: false,
    });
    const mailed = await latestEmailVerification(t.core, second);
    expect(await verifyEmailWithToken(t.core, { token: mailed.token }, TEST_META)).toMatchObject({
      recovery_email_verified: true,
    });
  });

  it('an address stays verified once its verification rows are purged', async () => {
    const u = await createUser(t.core);
    const { token } = await latestEmailVerification(t.core, u.input.email);
    await verifyEmailWithToken(t.core, { token }, TEST_META);
    t.clock.advanceSeconds(3 * EMAIL_VERIFICATION_TTL_SECONDS);
    expect((await purgeExpired(t.core))['email-verifications']).toBeGreaterThan(0);
    expect(await emailVerificationStatus(t.core, await userOf(u.auth.id))).toMatchObject({
      email_verified: true,
    });
  });

  it('parallel use of one link: exactly one succeeds', async () => {
    const u = await createUser(t.core);
    const { token } = await latestEmailVerification(t.core, u.input.email);
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => outcomeOf(verifyEmailWithToken(t.core, { token }, TEST_META))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
  });
});
