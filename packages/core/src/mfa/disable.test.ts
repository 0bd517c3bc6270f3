import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSecurityEvents } from '../events/list.js';
import { requestMfaReset } from '../reset/request.js';
import { authenticateSession } from '../session/authenticate.js';
import {
  createMfaUser,
  createUser,
  enableMfaForUser,
  latestResetCode,
  openTestCore,
  readOutbox,
  type StoreTestCore,
  TEST_META,
  testSql,
  totpAt,
} from '../testing/index.js';
import { findUserById, type User } from '../users/find.js';
import { disableMfa, ZDisableMfaInput } from './disable.js';
import { RECOVERY_WINDOW_SECONDS, recoverWithCode } from './recover.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const userOf = async (id: string): Promise<User> => (await findUserById(t.core.store, id))!;

async function expectMfaOff(userId: string) {
  const sql = testSql(t.core);
  expect(await sql.all('SELECT * FROM mfa_credentials WHERE user_id = ?', userId)).toEqual([]);
  expect(await sql.all('SELECT * FROM recovery_codes WHERE user_id = ?', userId)).toEqual([]);
}

describe('disableMfa', () => {
  it('with a TOTP code deletes the secret and every recovery code, keeps the session, mails and records', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await disableMfa(
      t.core,
      await userOf(u.auth.id),
      { code: await totpAt(u.secret, t.clock.now()) },
      TEST_META,
    );
    await expectMfaOff(u.auth.id);
    await expect(authenticateSession(t.core, u.auth.token)).resolves.toMatchObject({ id: u.auth.id });
    expect((await readOutbox(t.core))[0]).toMatchObject({ kind: 'mfa-disabled', to: u.input.email });
    expect((await listSecurityEvents(t.core, u.auth.id)).events[0]?.type).toBe('mfa_disabled');
  });

  it('with an unused recovery code', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await disableMfa(
      t.core,
      await userOf(u.auth.id),
      { recovery_code: u.recoveryCodes[5] as string },
      TEST_META,
    );
    await expectMfaOff(u.auth.id);
  });

  it('with both email codes of a live reset request', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    const proof = {
      main_email_code: await latestResetCode(t.core, u.input.email),
      recovery_email_code: await latestResetCode(t.core, u.recoveryEmail),
    };
    await expect(
      disableMfa(
        t.core,
        await userOf(u.auth.id),
        { main_email_code: proof.recovery_email_code, recovery_email_code: proof.main_email_code },
        TEST_META,
      ),
    ).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
    await disableMfa(t.core, await userOf(u.auth.id), proof, TEST_META);
    await expectMfaOff(u.auth.id);
  });

  it('with `{}` or the same recovery code inside the recovery window, once', async () => {
    for (const proof of [{}, 'same code'] as const) {
      const u = await createMfaUser(t.core, t.clock);
      const code = u.recoveryCodes[0] as string;
      await recoverWithCode(t.core, { identifier: u.input.username, recovery_code: code }, TEST_META);
      const input = proof === 'same code' ? { recovery_code: code } : {};
      await disableMfa(t.core, await userOf(u.auth.id), input, TEST_META);
      await expectMfaOff(u.auth.id);
      // Enrolled again within the ten minutes: the window was used up, nothing reopens it.
      await enableMfaForUser(t.core, u.auth);
      await expect(disableMfa(t.core, await userOf(u.auth.id), input, TEST_META)).rejects.toMatchObject({
        code: 'PROOF_REJECTED',
      });
    }
  });

  it('follows the latest recover: a new one replaces the open window', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const [first, second] = u.recoveryCodes as [string, string];
    await recoverWithCode(t.core, { identifier: u.input.username, recovery_code: first }, TEST_META);
    await recoverWithCode(t.core, { identifier: u.input.username, recovery_code: second }, TEST_META);
    await expect(
      disableMfa(t.core, await userOf(u.auth.id), { recovery_code: first }, TEST_META),
    ).rejects.toMatchObject({
      code: 'PROOF_REJECTED',
    });
    await disableMfa(t.core, await userOf(u.auth.id), { recovery_code: second }, TEST_META);
    await expectMfaOff(u.auth.id);
  });

  it('refuses `{}` and the used code once the window has closed', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const code = u.recoveryCodes[0] as string;
    await recoverWithCode(t.core, { identifier: u.input.username, recovery_code: code }, TEST_META);
    t.clock.advanceSeconds(RECOVERY_WINDOW_SECONDS);
    const user = await userOf(u.auth.id);
    await expect(disableMfa(t.core, user, {}, TEST_META)).rejects.toMatchObject({ code: 'PROOF_REJECTED' });
    await expect(disableMfa(t.core, user, { recovery_code: code }, TEST_META)).rejects.toMatchObject({
      code: 'PROOF_REJECTED',
    });
  });

  it('answers 400 when MFA is off, and 403 for a wrong proof', async () => {
    const { auth } = await createUser(t.core);
    await expect(disableMfa(t.core, await userOf(auth.id), {}, TEST_META)).rejects.toMatchObject({
      code: 'MFA_NOT_ENABLED',
    });
    const u = await createMfaUser(t.core, t.clock);
    for (const input of [{ code: '000000' }, { recovery_code: 'AAAAAAAAAAAAAAAA' }, {}]) {
      await expect(disableMfa(t.core, await userOf(u.auth.id), input, TEST_META)).rejects.toMatchObject({
        code: 'PROOF_REJECTED',
      });
    }
  });

  it('takes exactly one proof, and the email codes only together', () => {
    const bad = [
      { main_email_code: 'ABCDE' },
      { code: '123456', recovery_code: 'AAAAAAAAAAAAAAAA' },
      { code: '12345' },
      { recovery_code: 'short' },
      { main_email_code: 'ABCD0', recovery_email_code: 'ABCDE' },
    ];
    for (const input of bad) expect(ZDisableMfaInput.safeParse(input).success).toBe(false);
    expect(ZDisableMfaInput.parse({ main_email_code: 'abcde', recovery_email_code: ' FGHJK ' })).toEqual({
      main_email_code: 'ABCDE',
      recovery_email_code: 'FGHJK',
    });
  });
});
