// Invariant: an account's main email changes only to an address that proved itself by its mail, each proof once, and the old address undoes a change exactly once within 7 days, whatever came after it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disableUserForAdmin, enableUserForAdmin } from '../admin/actions.js';
import { createAdminKey } from '../admin/keys.js';
import { verifyEmailWithToken } from '../email-verification/verify.js';
import { readSession } from '../session/authenticate.js';
import {
  createUser,
  latestEmailChangeUndo,
  latestEmailVerification,
  openTestCore,
  outcomeOf,
  readOutbox,
  type StoreTestCore,
  TEST_META,
} from '../testing/index.js';
import { findUserById } from '../users/find.js';
import { requestEmailChange } from './request.js';
import { undoEmailChange } from './undo.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const createAccount = () => createUser(t.core);
type Account = Awaited<ReturnType<typeof createAccount>>;

const changeTo = async (account: Account, email: string) =>
  requestEmailChange(t.core, await readSession(t.core, account.auth.token), { email }, TEST_META);

describe('email change attacks', () => {
  it('parallel use of one confirmation link: exactly one success, one change, one notice', async () => {
    const u = await createAccount();
    const next = `p-${u.input.email}`;
    await changeTo(u, next);
    const { token } = await latestEmailVerification(t.core, next);
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => outcomeOf(verifyEmailWithToken(t.core, { token }, TEST_META))),
    );
    expect(outcomes.sort()).toEqual(['INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'ok']);
    expect((await readOutbox(t.core)).filter((m) => m.kind === 'email-changed')).toHaveLength(1);
  });

  it('two accounts confirming the same new address at once: exactly one gets it', async () => {
    const a = await createAccount();
    const b = await createAccount();
    const contested = `contested-${a.input.email}`;
    await changeTo(a, contested);
    const forA = await latestEmailVerification(t.core, contested);
    await changeTo(b, contested);
    const forB = await latestEmailVerification(t.core, contested);
    const outcomes = await Promise.all([
      outcomeOf(verifyEmailWithToken(t.core, forA, TEST_META)),
      outcomeOf(verifyEmailWithToken(t.core, forB, TEST_META)),
    ]);
    expect(outcomes.sort()).toEqual(['EMAIL_TAKEN', 'ok']);
    const emails = [
      await findUserById(t.core.store, a.auth.id),
      await findUserById(t.core.store, b.auth.id),
    ].map((user) => user?.email);
    expect(emails.filter((email) => email === contested)).toHaveLength(1);
  });

  it('parallel undos with one link: exactly one success', async () => {
    const u = await createAccount();
    const next = `u-${u.input.email}`;
    await changeTo(u, next);
    await verifyEmailWithToken(t.core, await latestEmailVerification(t.core, next), TEST_META);
    const token = await latestEmailChangeUndo(t.core, u.input.email);
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => outcomeOf(undoEmailChange(t.core, { token }, TEST_META))),
    );
    expect(outcomes.sort()).toEqual(['INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'ok']);
  });

  it('a hijacker chaining changes (A → B → C) and asking for a third cannot keep the owner out', async () => {
    const owner = await createAccount();
    const a = owner.input.email;
    const b = `b-${a}`;
    const c = `c-${a}`;
    await changeTo(owner, b);
    await verifyEmailWithToken(t.core, await latestEmailVerification(t.core, b), TEST_META);
    t.clock.advanceSeconds(60);
    await changeTo(owner, c);
    await verifyEmailWithToken(t.core, await latestEmailVerification(t.core, c), TEST_META);
    t.clock.advanceSeconds(60);
    await changeTo(owner, `d-${a}`);
    const pendingD = await latestEmailVerification(t.core, `d-${a}`);

    await undoEmailChange(t.core, { token: await latestEmailChangeUndo(t.core, a) }, TEST_META);
    expect((await findUserById(t.core.store, owner.auth.id))?.email).toBe(a);
    // The hijacker's own undo link (mailed to B) and pending change are dead.
    expect(
      await outcomeOf(undoEmailChange(t.core, { token: await latestEmailChangeUndo(t.core, b) }, TEST_META)),
    ).toBe('INVALID_CODE');
    expect(await outcomeOf(verifyEmailWithToken(t.core, pendingD, TEST_META))).toBe('INVALID_CODE');
    expect((await findUserById(t.core.store, owner.auth.id))?.email).toBe(a);
  });

  it('a disabled account is told so once the link was accepted, and spends nothing', async () => {
    const { adminKey } = await createAdminKey(t.core, { name: 'ops', scopes: ['users:write'] });
    const actor = { key: adminKey, meta: TEST_META };
    const u = await createAccount();
    const next = `off-${u.input.email}`;
    await changeTo(u, next);
    const confirmation = await latestEmailVerification(t.core, next);
    await disableUserForAdmin(t.core, actor, u.auth.id);
    expect(await outcomeOf(verifyEmailWithToken(t.core, confirmation, TEST_META))).toBe('ACCOUNT_DISABLED');
    await enableUserForAdmin(t.core, actor, u.auth.id);
    await verifyEmailWithToken(t.core, confirmation, TEST_META);
    const undoToken = await latestEmailChangeUndo(t.core, u.input.email);
    await disableUserForAdmin(t.core, actor, u.auth.id);
    expect(await outcomeOf(undoEmailChange(t.core, { token: undoToken }, TEST_META))).toBe(
      'ACCOUNT_DISABLED',
    );
    await enableUserForAdmin(t.core, actor, u.auth.id);
    await undoEmailChange(t.core, { token: undoToken }, TEST_META);
    expect((await findUserById(t.core.store, u.auth.id))?.email).toBe(u.input.email);
  });
});
