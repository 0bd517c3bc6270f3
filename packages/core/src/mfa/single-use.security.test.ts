/**
 * Invariant: every proof is single use — a TOTP step once accepted for a user, a recovery
 * code, an MFA token, a reset request and a recovery window each let exactly one request
 * through, on any endpoint, even when many arrive at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { DomainError } from '../errors.js';
import { requestMfaReset } from '../reset/request.js';
import { resetMfa } from '../reset/reset.js';
import {
  createMfaUser,
  createUser,
  enableMfaForUser,
  latestResetCode,
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
const PARALLEL = 6;

async function mfaToken(u: { input: { username: string; password: string } }): Promise<string> {
  const result = await loginWithPassword(t.core, u.input, TEST_META);
  if (result.status !== 'mfa_required') throw new Error('expected the MFA step');
  return result.mfaToken;
}

function winners(results: PromiseSettledResult<unknown>[]): number {
  return results.filter((r) => r.status === 'fulfilled').length;
}

/** The codes of the refusals; a rejection that is not a refusal (a store error) fails the test. */
function refusals(results: PromiseSettledResult<unknown>[]): string[] {
  return results.flatMap((r) => {
    if (r.status === 'fulfilled') return [];
    if (!(r.reason instanceof DomainError)) throw r.reason;
    return [r.reason.code];
  });
}

const userOf = async (u: MfaUser) => (await findUserById(t.core.store, u.auth.id))!;

describe('TOTP replay', () => {
  it('refuses the enable code at login and a login code at disable', async () => {
    const { input, auth } = await createUser(t.core);
    const { secret } = await enableMfaForUser(t.core, auth);
    const enableCode = await totpAt(secret, t.clock.now());
    await expect(
      authenticateMfa(t.core, { token: await mfaToken({ input }), code: enableCode }, TEST_META),
    ).rejects.toMatchObject({ code: 'CODE_REPLAYED' });
    t.clock.advanceSeconds(30);
    const code = await totpAt(secret, t.clock.now());
    await authenticateMfa(t.core, { token: await mfaToken({ input }), code }, TEST_META);
    await expect(
      disableMfa(t.core, (await findUserById(t.core.store, auth.id))!, { code }, TEST_META),
    ).rejects.toMatchObject({
      code: 'PROOF_REJECTED',
    });
    // Nor the previous step's code, which is still inside the ±1 window.
    t.clock.advanceSeconds(30);
    await expect(
      authenticateMfa(t.core, { token: await mfaToken({ input }), code }, TEST_META),
    ).rejects.toMatchObject({ code: 'CODE_REPLAYED' });
  });

  it('lets one of many parallel logins with the same code through', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const code = await totpAt(u.secret, t.clock.now());
    const tokens = await Promise.all(Array.from({ length: PARALLEL }, () => mfaToken(u)));
    const results = await Promise.allSettled(
      tokens.map((token) => authenticateMfa(t.core, { token, code }, TEST_META)),
    );
    expect(winners(results)).toBe(1);
  });

  it('lets one of many parallel uses of one MFA token through, each with a different valid code', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const token = await mfaToken(u);
    const codes = await Promise.all([-30_000, 0, 30_000].map((d) => totpAt(u.secret, t.clock.now() + d)));
    const results = await Promise.allSettled(
      codes.map((code) => authenticateMfa(t.core, { token, code }, TEST_META)),
    );
    expect(winners(results)).toBe(1);
  });

  it('gives the right code, sent with 8 wrong ones at one token, no answer of its own', async () => {
    // On PostgreSQL the 9 transactions overlap: some wrong codes meet a token the others burned.
    for (let round = 0; round < 3; round++) {
      const u = await createMfaUser(t.core, t.clock);
      const token = await mfaToken(u);
      t.clock.advanceSeconds(30);
      const right = await totpAt(u.secret, t.clock.now());
      const wrong = right === '000000' ? '111111' : '000000';
      const results = await Promise.allSettled(
        Array.from({ length: 9 }, (_, i) =>
          authenticateMfa(t.core, { token, code: i === 8 ? right : wrong }, TEST_META),
        ),
      );
      const last = results.pop()!;
      if (last.status === 'fulfilled') continue;
      expect(refusals(results)).toContain(refusals([last])[0]);
    }
  });
});

describe('recovery codes', () => {
  it('let one of many parallel recovers with one code through', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const input = { identifier: u.input.username, recovery_code: u.recoveryCodes[0]! };
    const results = await Promise.allSettled(
      Array.from({ length: PARALLEL }, () => recoverWithCode(t.core, input, TEST_META)),
    );
    expect(winners(results)).toBe(1);
  });

  it('refuse a code already used to recover', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const input = { identifier: u.input.username, recovery_code: u.recoveryCodes[0]! };
    await recoverWithCode(t.core, input, TEST_META);
    await expect(recoverWithCode(t.core, input, TEST_META)).rejects.toMatchObject({ code: 'INVALID_CODE' });
  });
});

/** Recovers `u` with its first recovery code, opening a recovery window; returns the user. */
async function recoveredWithFirstCode(u: MfaUser) {
  const [code] = u.recoveryCodes;
  if (!code) throw new Error('a recovery code');
  await recoverWithCode(t.core, { identifier: u.input.username, recovery_code: code }, TEST_META);
  return userOf(u);
}

describe('recovery window', () => {
  it('lets one of many parallel `{}` disables through', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const user = await recoveredWithFirstCode(u);
    const results = await Promise.allSettled(
      Array.from({ length: PARALLEL }, () => disableMfa(t.core, user, {}, TEST_META)),
    );
    expect(winners(results)).toBe(1);
  });

  it('lets one of parallel disables with different proofs through, refusing the others', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const user = await recoveredWithFirstCode(u);
    const proofs = [
      { code: await totpAt(u.secret, t.clock.now()) },
      {},
      { recovery_code: u.recoveryCodes[1]! },
      {},
      { recovery_code: u.recoveryCodes[2]! },
    ];
    const results = await Promise.allSettled(
      proofs.map((proof) => disableMfa(t.core, user, proof, TEST_META)),
    );
    expect(winners(results)).toBe(1);
    for (const code of refusals(results)) expect(['MFA_NOT_ENABLED', 'PROOF_REJECTED']).toContain(code);
  });

  it('settles a login, a recover and disables of one user in parallel with one disable and refusals only', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const user = await recoveredWithFirstCode(u);
    const token = await mfaToken(u);
    const now = t.clock.now();
    const [code, nextCode] = await Promise.all([totpAt(u.secret, now), totpAt(u.secret, now + 30_000)]);
    const disables = [
      disableMfa(t.core, user, { code }, TEST_META),
      disableMfa(t.core, user, {}, TEST_META),
      disableMfa(t.core, user, {}, TEST_META),
    ];
    const others = [
      authenticateMfa(t.core, { token, code: nextCode }, TEST_META),
      recoverWithCode(
        t.core,
        { identifier: u.input.username, recovery_code: u.recoveryCodes[1]! },
        TEST_META,
      ),
    ];
    const [disabled, rest] = await Promise.all([Promise.allSettled(disables), Promise.allSettled(others)]);
    expect(winners(disabled)).toBe(1);
    refusals(rest);
  });

  it('is bound to the user who recovered', async () => {
    const a = await createMfaUser(t.core, t.clock);
    const b = await createMfaUser(t.core, t.clock);
    await recoverWithCode(
      t.core,
      { identifier: a.input.username, recovery_code: a.recoveryCodes[0]! },
      TEST_META,
    );
    await expect(disableMfa(t.core, await userOf(b), {}, TEST_META)).rejects.toMatchObject({
      code: 'PROOF_REJECTED',
    });
    await expect(
      disableMfa(t.core, await userOf(b), { recovery_code: a.recoveryCodes[0]! }, TEST_META),
    ).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
  });
});

describe('reset requests', () => {
  it('send one pair of codes for many parallel requests: the minute is counted across them', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const before = (await readOutbox(t.core)).length;
    await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        requestMfaReset(t.core, { identifier: u.input.username }, TEST_META),
      ),
    );
    const outbox = await readOutbox(t.core);
    // Newest first: what these requests queued.
    const mails = outbox.slice(0, outbox.length - before);
    expect(mails.map((m) => m.kind)).toEqual(['reset-code', 'reset-code']);
  });

  it('let one of many parallel resets through', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { token } = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    const input = {
      id: token,
      main_email_code: await latestResetCode(t.core, u.input.email),
      recovery_email_code: await latestResetCode(t.core, u.recoveryEmail),
    };
    const results = await Promise.allSettled(
      Array.from({ length: PARALLEL }, () => resetMfa(t.core, input, TEST_META)),
    );
    expect(winners(results)).toBe(1);
  });

  it('cannot be guessed past 5 tries even with the right codes last', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { token } = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    const right = {
      main_email_code: await latestResetCode(t.core, u.input.email),
      recovery_email_code: await latestResetCode(t.core, u.recoveryEmail),
    };
    const wrong = Array.from({ length: 5 }, (_, i) => ({
      main_email_code: `2222${i + 2}`,
      recovery_email_code: '33333',
    }));
    await Promise.allSettled(wrong.map((codes) => resetMfa(t.core, { id: token, ...codes }, TEST_META)));
    await expect(resetMfa(t.core, { id: token, ...right }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_CODE',
    });
  });
});
