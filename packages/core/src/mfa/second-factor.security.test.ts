/**
 * Invariant: one failure counter per user covers every second factor on the endpoints behind
 * the password or a session (auth, disable); the 10th consecutive failure locks all of them
 * (1 min, doubling, capped at 1 h) without blocking the password step or the anonymous
 * recovery paths, and only a success ends the streak.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { listSecurityEvents } from '../events/list.js';
import { requestMfaReset } from '../reset/request.js';
import {
  createMfaUser,
  openTestCore,
  readOutbox,
  type StoreTestCore,
  TEST_META,
  totpAt,
} from '../testing/index.js';
import { findUserById } from '../users/find.js';
import { authenticateMfa } from './authenticate.js';
import { disableMfa } from './disable.js';
import { recoverWithCode } from './recover.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

type MfaUser = Awaited<ReturnType<typeof createMfaUser>>;

async function mfaToken(u: MfaUser): Promise<string> {
  const result = await loginWithPassword(
    t.core,
    { username: u.input.username, password: u.input.password },
    TEST_META,
  );
  if (result.status !== 'mfa_required') throw new Error('expected the MFA step');
  return result.mfaToken;
}

/** One wrong guess on each per-user endpoint in turn, each answered with that endpoint's own refusal. */
function wrongGuesses(u: MfaUser) {
  const user = async () => (await findUserById(t.core.store, u.auth.id))!;
  return [
    async () => authenticateMfa(t.core, { token: await mfaToken(u), code: '000000' }, TEST_META),
    async () => disableMfa(t.core, await user(), { code: '000000' }, TEST_META),
    async () => disableMfa(t.core, await user(), { recovery_code: 'BBBBBBBBBBBBBBBB' }, TEST_META),
    async () =>
      disableMfa(t.core, await user(), { main_email_code: '22222', recovery_email_code: '33333' }, TEST_META),
  ];
}

describe('second-factor throttle', () => {
  it('locks every endpoint after 10 mixed failures; the 10th is still an ordinary refusal', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    const guesses = wrongGuesses(u);
    for (let i = 0; i < 10; i++) {
      const guess = guesses[i % guesses.length]!;
      await expect(guess()).rejects.toMatchObject({
        code: expect.stringMatching(/^(INVALID_CODE|PROOF_REJECTED)$/),
      });
    }
    // Locked: even right proofs are refused everywhere, with the lock's end.
    const locked = { code: 'TOO_MANY_ATTEMPTS', lockout: { retryAfterSeconds: 60 } };
    const code = await totpAt(u.secret, t.clock.now());
    const token = await mfaToken(u); // the password step still issues tokens
    await expect(authenticateMfa(t.core, { token, code }, TEST_META)).rejects.toMatchObject(locked);
    await expect(
      disableMfa(t.core, (await findUserById(t.core.store, u.auth.id))!, { code }, TEST_META),
    ).rejects.toMatchObject(locked);
    expect((await listSecurityEvents(t.core, u.auth.id)).events.map((e) => e.type)).toContain(
      'second_factor_locked',
    );
    const kinds = (await readOutbox(t.core)).map((m) => m.kind);
    expect(kinds).toContain('second-factor-locked');
    expect(kinds).not.toContain('account-locked');

    t.clock.advanceSeconds(60);
    // The lock is over but the streak is not: the next failure locks for twice as long.
    await expect(guesses[0]!()).rejects.toMatchObject({ code: 'INVALID_CODE' });
    await expect(
      authenticateMfa(t.core, { token: await mfaToken(u), code }, TEST_META),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      lockout: { retryAfterSeconds: 120 },
    });
    t.clock.advanceSeconds(120);
    const fresh = await totpAt(u.secret, t.clock.now());
    await expect(
      authenticateMfa(t.core, { token: await mfaToken(u), code: fresh }, TEST_META),
    ).resolves.toMatchObject({
      id: u.auth.id,
    });
    // A success ended the streak: nine failures do not lock.
    for (let i = 0; i < 9; i++) await expect(guesses[1]!()).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
    t.clock.advanceSeconds(30);
    await expect(
      authenticateMfa(
        t.core,
        { token: await mfaToken(u), code: await totpAt(u.secret, t.clock.now()) },
        TEST_META,
      ),
    ).resolves.toMatchObject({ id: u.auth.id });
  });

  it('neither counts nor blocks the anonymous paths (recover, reset)', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const guess = wrongGuesses(u)[0]!;
    for (let i = 0; i < 10; i++) await expect(guess()).rejects.toMatchObject({ code: 'INVALID_CODE' });
    await expect(guess()).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    // docs/contract.md § MFA endpoints: the owner can still recover while the per-user counter is locked.
    await expect(
      recoverWithCode(t.core, { identifier: u.input.email, recovery_code: u.recoveryCodes[0]! }, TEST_META),
    ).resolves.toMatchObject({ auth: { id: u.auth.id } });
  });

  it('caps the lock at one hour', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const guess = wrongGuesses(u)[1]!;
    for (let i = 0; i < 10; i++) await expect(guess()).rejects.toBeDefined();
    let lock = 60;
    for (let round = 0; round < 8; round++) {
      t.clock.advanceSeconds(lock);
      await expect(guess()).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
      lock = Math.min(lock * 2, 3600);
      await expect(guess()).rejects.toMatchObject({
        code: 'TOO_MANY_ATTEMPTS',
        lockout: { retryAfterSeconds: lock },
      });
    }
    expect(lock).toBe(3600);
  });

  it('is not reset by logging in again or by new MFA tokens', async () => {
    const u = await createMfaUser(t.core, t.clock);
    for (let i = 0; i < 9; i++) {
      const token = await mfaToken(u);
      await expect(authenticateMfa(t.core, { token, code: '000000' }, TEST_META)).rejects.toMatchObject({
        code: 'INVALID_CODE',
      });
    }
    await expect(
      authenticateMfa(t.core, { token: await mfaToken(u), code: '999999' }, TEST_META),
    ).rejects.toMatchObject({ code: 'INVALID_CODE' });
    await expect(
      authenticateMfa(
        t.core,
        { token: await mfaToken(u), code: await totpAt(u.secret, t.clock.now()) },
        TEST_META,
      ),
    ).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
  });

  it('keeps one user’s lock from touching another user', async () => {
    const a = await createMfaUser(t.core, t.clock);
    const b = await createMfaUser(t.core, t.clock);
    const guess = wrongGuesses(a)[1]!;
    for (let i = 0; i < 11; i++) await expect(guess()).rejects.toBeDefined();
    await expect(
      authenticateMfa(
        t.core,
        { token: await mfaToken(b), code: await totpAt(b.secret, t.clock.now()) },
        TEST_META,
      ),
    ).resolves.toMatchObject({ id: b.auth.id });
  });
});
