/**
 * Invariant: a forgotten-password code or link sets a password once, within 30 minutes, cannot
 * be guessed, and never gets anyone past the second factor.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { RESET_CODE_ALPHABET } from '../reset/codes.js';
import {
  createMfaUser,
  createTestDevice,
  createUser,
  latestPasswordReset,
  openTestCore,
  outcomeOf,
  readOutbox,
  type StoreTestCore,
  TEST_META,
} from '../testing/index.js';
import { resetPassword } from './complete.js';
import { PASSWORD_RESET_MAX_FAILURES } from './live-request.js';
import { requestPasswordReset } from './request.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const NEW_PASSWORD = 'a brand new passphrase';

/** A code that is not `code`. */
const wrongCodeFor = (code: string, n = 0) =>
  code.slice(0, 7) +
  [...RESET_CODE_ALPHABET].filter((c) => c !== code[7])[n % (RESET_CODE_ALPHABET.length - 1)];

describe('forgot password: attacks', () => {
  it('parallel requests for one account: one request and one mail, the minute counted across them', async () => {
    const u = await createUser(t.core);
    const before = (await readOutbox(t.core)).length;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META),
      ),
    );
    const outbox = await readOutbox(t.core);
    // Newest first: what these requests queued.
    const mails = outbox.slice(0, outbox.length - before);
    expect(mails.map((m) => m.kind)).toEqual(['password-reset-code']);
  });

  it('parallel use of one code: exactly one succeeds', async () => {
    const u = await createUser(t.core);
    await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    const { code, token } = await latestPasswordReset(t.core, u.input.email);
    const attempts = await Promise.all([
      ...Array.from({ length: 3 }, (_, i) =>
        outcomeOf(
          resetPassword(
            t.core,
            { identifier: u.input.username, code, password: `${NEW_PASSWORD} ${i}` },
            TEST_META,
          ),
        ),
      ),
      ...Array.from({ length: 3 }, (_, i) =>
        outcomeOf(resetPassword(t.core, { token, password: `${NEW_PASSWORD} t${i}` }, TEST_META)),
      ),
    ]);
    expect(attempts.filter((o) => o === 'ok')).toHaveLength(1);
    expect(attempts.filter((o) => o !== 'ok')).toEqual(Array(5).fill('INVALID_CODE'));
  });

  it('5 wrong codes from one address burn the request for that address, not for others', async () => {
    const u = await createUser(t.core);
    await requestPasswordReset(t.core, { identifier: u.input.username }, TEST_META);
    const { code } = await latestPasswordReset(t.core, u.input.email);
    for (let i = 0; i < PASSWORD_RESET_MAX_FAILURES; i++) {
      expect(
        await outcomeOf(
          resetPassword(
            t.core,
            { identifier: u.input.username, code: wrongCodeFor(code, i), password: NEW_PASSWORD },
            TEST_META,
          ),
        ),
      ).toBe('INVALID_CODE');
    }
    // The right code from the attacker's address is refused now, like a wrong one.
    expect(
      await outcomeOf(
        resetPassword(t.core, { identifier: u.input.username, code, password: NEW_PASSWORD }, TEST_META),
      ),
    ).toBe('INVALID_CODE');
    // The owner elsewhere still has it.
    const owner = { clientAddress: '203.0.113.7' };
    await expect(
      resetPassword(t.core, { identifier: u.input.username, code, password: NEW_PASSWORD }, owner),
    ).resolves.toBeUndefined();
  });

  it('guessing is capped per identifier and address, for unknown identifiers exactly as for accounts', async () => {
    const u = await createUser(t.core);
    for (const identifier of [u.input.username, 'nobody-at-all']) {
      const outcomes: string[] = [];
      for (let i = 0; i < 11; i++) {
        outcomes.push(
          await outcomeOf(
            resetPassword(t.core, { identifier, code: 'ABCDEFGH', password: NEW_PASSWORD }, TEST_META),
          ),
        );
      }
      expect(outcomes.slice(0, 10)).toEqual(Array(10).fill('INVALID_CODE'));
      expect(outcomes[10]).toBe('TOO_MANY_ATTEMPTS');
    }
  });

  it('a reset password never skips the second step, nor keeps an earlier session', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await requestPasswordReset(t.core, { identifier: u.input.email }, TEST_META);
    const { token } = await latestPasswordReset(t.core, u.input.email);
    await resetPassword(t.core, { token, password: NEW_PASSWORD }, TEST_META);
    for (const username of [u.input.username, u.input.email]) {
      const result = await loginWithPassword(
        t.core,
        { username, password: NEW_PASSWORD },
        TEST_META,
        createTestDevice(),
      );
      expect(result.status).toBe('mfa_required');
    }
  });
});
