import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enableMfa } from '../mfa/enable.js';
import { generateMfa } from '../mfa/generate.js';
import {
  createUser,
  freshSession,
  latestEmailVerification,
  openTestCore,
  outcomeOf,
  type StoreTestCore,
  TEST_META,
  totpAt,
} from '../testing/index.js';
import { findUserById, type User } from '../users/find.js';
import { updateUser } from '../users/update.js';
import { verifyEmailWithToken } from './verify.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore({ requireVerifiedRecoveryEmail: true });
});
afterEach(() => t.close());

const userOf = async (id: string): Promise<User> => {
  const user = await findUserById(t.core.store, id);
  if (!user) throw new Error('no user');
  return user;
};

describe('REQUIRE_VERIFIED_RECOVERY_EMAIL', () => {
  it('enable waits for a verified recovery address (400 naming it), then works', async () => {
    const u = await createUser(t.core);
    const recovery = `rec-${u.input.username}@example.test`;
    await updateUser(
      t.core,
      freshSession(t.core, await userOf(u.auth.id)),
      { recovery_email: recovery },
      TEST_META,
    );
    const user = await userOf(u.auth.id);
    const { secret, recovery_codes } = await generateMfa(t.core, freshSession(t.core, user), TEST_META);
    // Each request reads its session's user afresh.
    const enable = async () =>
      enableMfa(
        t.core,
        freshSession(t.core, await userOf(u.auth.id)),
        { code: await totpAt(secret, t.clock.now()), secret, recovery_codes },
        TEST_META,
      );
    await expect(enable()).rejects.toMatchObject({
      code: 'RECOVERY_EMAIL_REQUIRED',
      fields: { recovery_email: 'must be verified before enabling MFA' },
    });
    // Setting the address mailed its verification.
    const { token } = await latestEmailVerification(t.core, recovery);
    await verifyEmailWithToken(t.core, { token }, TEST_META);
    expect(await outcomeOf(enable())).toBe('ok');
  });
});
