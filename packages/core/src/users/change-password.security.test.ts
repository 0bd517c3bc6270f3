// Invariant: only the current password changes the password; wrong ones share login's 5-guess lock per account and address; a change ends every other session, is told to both addresses without a secret, and of parallel changes exactly one applies.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import type { RequestMeta } from '../context.js';
import { listSecurityEvents } from '../events/list.js';
import { recoverWithCode } from '../mfa/recover.js';
import { authenticateSession, readSession } from '../session/authenticate.js';
import {
  createMfaUser,
  createUser,
  openTestCore,
  readOutbox,
  type StoreTestCore,
  TEST_META,
} from '../testing/index.js';
import { PASSWORD_POLICY } from '../throttle/failure-counter.js';
import { findUserById } from './find.js';
import { updateUser, ZUpdateUserInput } from './update.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

/** The session of `token` sends `input`, parsed by the procedure's schema. */
async function update(token: string, input: unknown, meta: RequestMeta = TEST_META) {
  return updateUser(t.core, await readSession(t.core, token), ZUpdateUserInput.parse(input), meta);
}
const login = (username: string, password: string, meta: RequestMeta = TEST_META) =>
  loginWithPassword(t.core, { username, password }, meta);
const tokenOf = (result: object) => ('token' in result ? String(result.token) : '');

describe('password change', () => {
  it('the right current password: the new one logs in, the old one does not, only the returned token works', async () => {
    const { input, auth } = await createUser(t.core);
    const other = await login(input.username, input.password);
    const next = `${input.password} next`;
    const result = await update(auth.token, { password: next, current_password: input.password });
    expect(result).toMatchObject({ id: auth.id, token: expect.any(String) });
    await expect(authenticateSession(t.core, auth.token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    if (other.status !== 'authenticated') throw new Error('expected a login');
    await expect(authenticateSession(t.core, other.auth.token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(authenticateSession(t.core, tokenOf(result))).resolves.toMatchObject({ id: auth.id });
    await expect(login(input.username, input.password)).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    await expect(login(input.username, next)).resolves.toMatchObject({ status: 'authenticated' });
    expect((await listSecurityEvents(t.core, auth.id)).events.map((e) => e.type)).toContain(
      'password_changed',
    );
  });

  it('password without current_password is 400 naming it; a short new password is 400 naming it', async () => {
    const { input, auth } = await createUser(t.core);
    await expect(update(auth.token, { password: 'long enough new' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fields: { current_password: expect.any(String) },
    });
    const short = ZUpdateUserInput.safeParse({ password: 'short', current_password: input.password });
    expect(short.success).toBe(false);
    expect(short.error?.issues[0]?.path).toEqual(['password']);
  });

  it('wrong current passwords are 403 and count with login failures: the 5th locks change and login (429)', async () => {
    const { input, auth } = await createUser(t.core);
    for (let i = 0; i < PASSWORD_POLICY.maxFailures; i++) {
      const attempt =
        i % 2 === 0
          ? update(auth.token, { password: 'long enough new', current_password: `wrong ${i}` })
          : login(input.username, `wrong ${i}`);
      await expect(attempt).rejects.toMatchObject({
        code: i % 2 === 0 ? 'PROOF_REJECTED' : 'INVALID_CREDENTIALS',
      });
    }
    await expect(
      update(auth.token, { password: 'long enough new', current_password: input.password }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    await expect(login(input.username, input.password)).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    // Per account and address: the owner elsewhere is not locked out.
    const elsewhere = { clientAddress: '192.0.2.7' };
    await expect(login(input.username, input.password, elsewhere)).resolves.toMatchObject({
      status: 'authenticated',
    });
    expect((await readOutbox(t.core)).filter((m) => m.kind === 'account-locked')).toHaveLength(1);
  });

  it('a name and a password in one request: both or neither', async () => {
    const { input, auth } = await createUser(t.core);
    await expect(
      update(auth.token, { name: 'Not Renamed', password: 'long enough new', current_password: 'wrong' }),
    ).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
    expect((await findUserById(t.core.store, auth.id))?.name).toBe(input.name);
    const other = await createUser(t.core);
    await expect(
      update(auth.token, {
        recovery_email: other.input.email,
        password: 'long enough new',
        current_password: input.password,
      }),
    ).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    await expect(authenticateSession(t.core, auth.token)).resolves.toMatchObject({ id: auth.id });
    await expect(login(input.username, input.password)).resolves.toMatchObject({ status: 'authenticated' });
    const both = await update(auth.token, {
      name: 'Renamed',
      password: 'long enough new',
      current_password: input.password,
    });
    expect(both).toMatchObject({ name: 'Renamed', token: expect.any(String) });
  });

  it('a session opened by a recovery code cannot change the password without the current one', async () => {
    const user = await createMfaUser(t.core, t.clock);
    const { auth } = await recoverWithCode(
      t.core,
      { identifier: user.input.username, recovery_code: user.recoveryCodes[0] ?? '' },
      TEST_META,
    );
    await expect(update(auth.token, { password: 'attacker password' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      update(auth.token, { password: 'attacker password', current_password: user.recoveryCodes[1] }),
    ).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
    await expect(login(user.input.username, user.input.password)).resolves.toMatchObject({
      status: 'mfa_required',
    });
  });

  it('mails the main and the recovery address, without the old or the new password', async () => {
    const user = await createMfaUser(t.core, t.clock);
    const next = `${user.input.password} changed`;
    await update(user.auth.token, { password: next, current_password: user.input.password });
    const mails = (await readOutbox(t.core)).filter((m) => m.kind === 'password-changed');
    expect(mails.map((m) => m.to).sort()).toEqual([user.input.email, user.recoveryEmail].sort());
    for (const mail of mails) {
      for (const part of [mail.subject, mail.text, mail.html]) {
        expect(part).not.toContain(next);
        expect(part).not.toContain(user.input.password);
      }
    }
  });

  it('20 parallel changes: exactly one applies, the others find their session ended', async () => {
    const { input, auth } = await createUser(t.core);
    const candidates = Array.from({ length: 20 }, (_, i) => `parallel password ${i}`);
    const results = await Promise.allSettled(
      candidates.map((password) => update(auth.token, { password, current_password: input.password })),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    const winner = candidates[won[0] ?? 0] ?? '';
    await expect(login(input.username, winner)).resolves.toMatchObject({ status: 'authenticated' });
    for (const password of [input.password, ...candidates.filter((c) => c !== winner).slice(0, 3)]) {
      await expect(login(input.username, password)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    expect((await readOutbox(t.core)).filter((m) => m.kind === 'password-changed')).toHaveLength(1);
  });
});
