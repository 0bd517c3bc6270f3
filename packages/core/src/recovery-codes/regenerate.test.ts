import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { recoverWithCode } from '../mfa/recover.js';
import {
  createMfaUser,
  createUser,
  freshSession,
  openTestCore,
  readOutbox,
  type StoreTestCore,
  TEST_META,
} from '../testing/index.js';
import { findUserById, type User } from '../users/find.js';
import { findUnusedRecoveryCodes } from './find-unused.js';
import { matchRecoveryCode } from './match.js';
import { regenerateRecoveryCodes } from './regenerate.js';
import { recoveryCodesStatus } from './status.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const userOf = async (id: string): Promise<User> => (await findUserById(t.core.store, id))!;
const recover = (identifier: string, recovery_code: string) =>
  recoverWithCode(t.core, { identifier, recovery_code }, TEST_META);

describe('regenerating recovery codes', () => {
  it('replaces every code: the old ones stop working, the new ones work, and the owner is told', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await recover(u.input.username, u.recoveryCodes[0]!);
    const user = await userOf(u.auth.id);
    expect(await recoveryCodesStatus(t.core, user.id)).toEqual({ unused: 5, low: false });

    const { recovery_codes: fresh } = await regenerateRecoveryCodes(
      t.core,
      freshSession(t.core, user),
      TEST_META,
    );
    expect(fresh).toHaveLength(6);
    expect(new Set([...fresh, ...u.recoveryCodes]).size).toBe(12);
    expect(await recoveryCodesStatus(t.core, user.id)).toEqual({ unused: 6, low: false });
    await expect(recover(u.input.username, u.recoveryCodes[1]!)).rejects.toMatchObject({
      code: 'INVALID_CODE',
    });
    await recover(u.input.username, fresh[3]!);

    const mail = (await readOutbox(t.core)).filter((m) => m.kind === 'recovery-codes-regenerated');
    expect(mail.map((m) => m.to)).toEqual([u.input.email]);
    const events = await t.core.store.events.listNewestOfUser({ userId: user.id, limit: 50 });
    expect(events.map((e) => e.type)).toContain('recovery_codes_regenerated');
  });

  it('needs a session fresh in both factors, and MFA on', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const user = await userOf(u.auth.id);
    const nowSec = Math.floor(t.clock.now() / 1000);
    const passwordOnly = { id: 'no-session-row', user, proofs: { passwordAtSec: nowSec } };
    const recoveryOnly = { id: 'no-session-row', user, proofs: { secondFactorAtSec: nowSec } };
    for (const session of [passwordOnly, recoveryOnly]) {
      await expect(regenerateRecoveryCodes(t.core, session, TEST_META)).rejects.toMatchObject({
        code: 'REAUTHENTICATION_REQUIRED',
      });
    }
    const stale = freshSession(t.core, user);
    t.clock.advanceSeconds(16 * 60);
    await expect(regenerateRecoveryCodes(t.core, stale, TEST_META)).rejects.toMatchObject({
      code: 'REAUTHENTICATION_REQUIRED',
    });
    const plain = await createUser(t.core);
    const plainUser = await userOf(plain.auth.id);
    await expect(
      regenerateRecoveryCodes(t.core, freshSession(t.core, plainUser), TEST_META),
    ).rejects.toMatchObject({ code: 'MFA_NOT_ENABLED' });
    // Nothing changed for the refused calls: the enrolled codes still work.
    await recover(u.input.username, u.recoveryCodes[2]!);
  });

  it('leaves exactly one set under 50 parallel regenerations', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const session = freshSession(t.core, await userOf(u.auth.id));
    // From 50 addresses, so the hash queue's per-address share admits them all.
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        regenerateRecoveryCodes(t.core, session, { clientAddress: `10.0.${i >> 8}.${i & 255}` }),
      ),
    );
    const sets = results.flatMap((r) => {
      if (r.status === 'fulfilled') return [r.value.recovery_codes];
      // The global hash queue may turn some away (503); nothing else may fail.
      if (!(r.reason instanceof DomainError) || r.reason.code !== 'SERVICE_UNAVAILABLE') throw r.reason;
      return [];
    });
    expect(sets.length).toBeGreaterThan(0);
    const stored = await findUnusedRecoveryCodes(t.core.store, u.auth.id);
    expect(stored).toHaveLength(6);
    // The stored six are one answer's six; every other answer's codes are other strings.
    let winner: string[] | undefined;
    for (const codes of sets) {
      if (await matchRecoveryCode(t.core, TEST_META, stored, codes[0]!)) {
        winner = codes;
        break;
      }
    }
    expect(winner).toBeDefined();
    const matched = new Set<string>();
    for (const code of winner!) matched.add((await matchRecoveryCode(t.core, TEST_META, stored, code))!.id);
    expect(matched.size).toBe(6);
    const others = sets.filter((codes) => codes !== winner).flat();
    expect(others.filter((code) => winner!.includes(code))).toEqual([]);
  }, 120_000);
});

describe('recovery codes status', () => {
  it('counts down as codes are used and says "low" at 2 or fewer; the mail of each use says so too', async () => {
    const u = await createMfaUser(t.core, t.clock);
    for (const [i, code] of u.recoveryCodes.slice(0, 4).entries()) {
      await recover(u.input.username, code);
      const status = await recoveryCodesStatus(t.core, u.auth.id);
      expect(status).toEqual({ unused: 5 - i, low: 5 - i <= 2 });
    }
    const used = (await readOutbox(t.core)).filter((m) => m.kind === 'recovery-code-used');
    // Newest first: only the use that left 2 says so.
    expect(used.map((m) => m.text.includes('unused recovery codes left'))).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it('is 0 and not low while MFA is off', async () => {
    const { auth } = await createUser(t.core);
    expect(await recoveryCodesStatus(t.core, auth.id)).toEqual({ unused: 0, low: false });
  });
});
