import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { verifyEmailWithCode, verifyEmailWithToken } from '../email-verification/verify.js';
import { listSecurityEvents } from '../events/list.js';
import { purgeExpired } from '../housekeeping/purge-expired.js';
import { authenticateSession, readSession } from '../session/authenticate.js';
import {
  buildRegisterInput,
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
import { registerUser } from '../users/register.js';
import { updateUser } from '../users/update.js';
import { EMAIL_CHANGE_UNDO_DAYS } from './confirm.js';
import { requestEmailChange } from './request.js';
import { undoEmailChange } from './undo.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const DAY_SECONDS = 24 * 3600;
type Account = Awaited<ReturnType<typeof createUser>>;

/** The session of the account's registration token, as a request would read it. */
const sessionOf = (token: string) => readSession(t.core, token);
const changeTo = async (account: Account, email: string, token = account.auth.token) =>
  requestEmailChange(t.core, await sessionOf(token), { email }, TEST_META);
const loginWith = (username: string, password: string) =>
  outcomeOf(loginWithPassword(t.core, { username, password }, TEST_META));
const registerEmail = (email: string) =>
  outcomeOf(registerUser(t.core, buildRegisterInput({ email }), TEST_META));

describe('changing the main email (docs/contract.md § Changing the email)', () => {
  it('mails the new address; it takes over only once verified, and the old one gets an undo link', async () => {
    const u = await createUser(t.core);
    const next = `next-${u.input.email}`;
    expect(await changeTo(u, next)).toMatchObject({ email: u.input.email, pending_email: next });
    const mail = (await readOutbox(t.core)).find((m) => m.to === next);
    expect(mail).toMatchObject({
      kind: 'email-verification',
      subject: 'Twofold: confirm your new email address',
    });
    // Not yet: the new address names nobody, the old one still logs in.
    expect(await loginWith(next, u.input.password)).toBe('INVALID_CREDENTIALS');
    expect(await loginWith(u.input.email, u.input.password)).toBe('ok');

    const { token } = await latestEmailVerification(t.core, next);
    expect(await verifyEmailWithToken(t.core, { token }, TEST_META)).toMatchObject({
      email: next,
      email_verified: true,
      pending_email: '',
    });
    expect(await loginWith(next, u.input.password)).toBe('ok');
    expect(await loginWith(u.input.email, u.input.password)).toBe('INVALID_CREDENTIALS');
    expect(await latestEmailChangeUndo(t.core, u.input.email)).toMatch(/^[\w-]{43}$/);
    const types = (await listSecurityEvents(t.core, u.auth.id)).events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['email_change_requested', 'email_changed']));
    // The session goes on.
    await expect(authenticateSession(t.core, u.auth.token)).resolves.toMatchObject({ email: next });
  });

  it('the code of the mail confirms it in a session too', async () => {
    const u = await createUser(t.core);
    const next = `code-${u.input.email}`;
    await changeTo(u, next);
    const { code } = await latestEmailVerification(t.core, next);
    expect(
      await verifyEmailWithCode(t.core, await sessionOf(u.auth.token), { code }, TEST_META),
    ).toMatchObject({ email: next, email_verified: true });
  });

  it('holds the old address for the undo window: nobody registers it until then', async () => {
    const u = await createUser(t.core);
    const next = `held-${u.input.email}`;
    await changeTo(u, next);
    await verifyEmailWithToken(t.core, await latestEmailVerification(t.core, next), TEST_META);
    expect(await registerEmail(u.input.email)).toBe('EMAIL_TAKEN');
    t.clock.advanceSeconds(EMAIL_CHANGE_UNDO_DAYS * DAY_SECONDS + 1);
    expect((await purgeExpired(t.core))['held-previous-emails']).toBe(1);
    expect(await registerEmail(u.input.email)).toBe('ok');
  });

  it('needs a fresh session before anything about the address is told', async () => {
    const u = await createUser(t.core);
    const other = await createUser(t.core);
    t.clock.advanceSeconds(16 * 60);
    expect(await outcomeOf(changeTo(u, other.input.email))).toBe('REAUTHENTICATION_REQUIRED');
    expect(await outcomeOf(changeTo(u, `free-${u.input.email}`))).toBe('REAUTHENTICATION_REQUIRED');
  });

  it('answers an address some account holds as registration does (409), and refuses its own addresses', async () => {
    const u = await createUser(t.core);
    const other = await createUser(t.core);
    const named = await createUser(t.core, { username: `name.${other.input.email}` });
    const recovery = `rec-${u.input.email}`;
    await updateUser(t.core, await sessionOf(u.auth.token), { recovery_email: recovery }, TEST_META);
    for (const taken of [other.input.email, named.input.username]) {
      await expect(changeTo(u, taken)).rejects.toMatchObject({
        code: 'EMAIL_TAKEN',
        fields: { email: 'already registered' },
      });
    }
    await expect(changeTo(u, u.input.email)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(changeTo(u, recovery)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('an address taken since the request answers 409 at confirmation, and nothing changes', async () => {
    const u = await createUser(t.core);
    const next = `race-${u.input.email}`;
    await changeTo(u, next);
    const { token } = await latestEmailVerification(t.core, next);
    expect(await registerEmail(next)).toBe('ok');
    expect(await outcomeOf(verifyEmailWithToken(t.core, { token }, TEST_META))).toBe('EMAIL_TAKEN');
    expect((await findUserById(t.core.store, u.auth.id))?.email).toBe(u.input.email);
    expect(await loginWith(u.input.email, u.input.password)).toBe('ok');
  });

  it('an address held by an account that releases it can be taken (docs/contract.md § Verified addresses)', async () => {
    const squatter = await createUser(t.core);
    t.clock.advanceSeconds(8 * DAY_SECONDS);
    const u = await createUser(t.core);
    await changeTo(u, squatter.input.email);
    const { token } = await latestEmailVerification(t.core, squatter.input.email);
    expect(await verifyEmailWithToken(t.core, { token }, TEST_META)).toMatchObject({
      email: squatter.input.email,
    });
    expect(await findUserById(t.core.store, squatter.auth.id)).toBeUndefined();
  });

  it('a new request, a minute on, replaces the pending one: the older link is refused', async () => {
    // Right after registration: the registration's mail is of another kind.
    const u = await createUser(t.core);
    await changeTo(u, `first-${u.input.email}`);
    const first = await latestEmailVerification(t.core, `first-${u.input.email}`);
    expect(await outcomeOf(changeTo(u, `early-${u.input.email}`))).toBe('TOO_MANY_ATTEMPTS');
    t.clock.advanceSeconds(60);
    await changeTo(u, `second-${u.input.email}`);
    expect(await outcomeOf(verifyEmailWithToken(t.core, first, TEST_META))).toBe('INVALID_CODE');
  });
});

describe('undoing a change', () => {
  async function changed() {
    const u = await createUser(t.core);
    const next = `undo-${u.input.email}`;
    await changeTo(u, next);
    await verifyEmailWithToken(t.core, await latestEmailVerification(t.core, next), TEST_META);
    const login = await loginWithPassword(t.core, { username: next, password: u.input.password }, TEST_META);
    if (login.status !== 'authenticated') throw new Error('login');
    return {
      u,
      next,
      otherToken: login.auth.token,
      undoToken: await latestEmailChangeUndo(t.core, u.input.email),
    };
  }

  it('restores the old address (verified), frees the new one and ends every session', async () => {
    const { u, next, otherToken, undoToken } = await changed();
    await undoEmailChange(t.core, { token: undoToken }, TEST_META);
    const user = await findUserById(t.core.store, u.auth.id);
    expect(user).toMatchObject({ email: u.input.email });
    expect(user?.emailVerifiedAtMs).not.toBeNull();
    for (const token of [u.auth.token, otherToken])
      await expect(authenticateSession(t.core, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await loginWith(u.input.email, u.input.password)).toBe('ok');
    expect(await loginWith(next, u.input.password)).toBe('INVALID_CREDENTIALS');
    expect(await registerEmail(next)).toBe('ok');
    expect((await readOutbox(t.core)).find((m) => m.to === u.input.email)).toMatchObject({
      kind: 'email-change-undone',
    });
    expect((await listSecurityEvents(t.core, u.auth.id)).events.map((e) => e.type)).toContain(
      'email_change_undone',
    );
  });

  it('works once, and not after 7 days', async () => {
    const first = await changed();
    await undoEmailChange(t.core, { token: first.undoToken }, TEST_META);
    expect(await outcomeOf(undoEmailChange(t.core, { token: first.undoToken }, TEST_META))).toBe(
      'INVALID_CODE',
    );
    const late = await changed();
    t.clock.advanceSeconds(EMAIL_CHANGE_UNDO_DAYS * DAY_SECONDS);
    expect(await outcomeOf(undoEmailChange(t.core, { token: late.undoToken }, TEST_META))).toBe(
      'INVALID_CODE',
    );
    expect(await outcomeOf(undoEmailChange(t.core, { token: 'no-such-token' }, TEST_META))).toBe(
      'INVALID_CODE',
    );
  });
});
