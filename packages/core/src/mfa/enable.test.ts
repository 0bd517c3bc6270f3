import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticateSession } from '../session/authenticate.js';
import {
  createUser,
  freshSession,
  openTestCore,
  readOutbox,
  type StoreTestCore,
  TEST_META,
  testSql,
  totpAt,
} from '../testing/index.js';
import { timeStepAt } from '../totp/generate-code.js';
import { findUserById, type User } from '../users/find.js';
import { enableMfa, ZEnableMfaInput } from './enable.js';
import { ENROLLMENT_TTL_SECONDS, generateMfa } from './generate.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

async function setRecoveryEmail(userId: string, email: string): Promise<void> {
  await testSql(t.core).run('UPDATE users SET recovery_email = ? WHERE id = ?', email, userId);
}

async function userWithRecoveryEmail(): Promise<User> {
  const { auth } = await createUser(t.core);
  await setRecoveryEmail(auth.id, `r-${auth.user}@example.test`);
  return (await findUserById(t.core.store, auth.id))!;
}

describe('generateMfa', () => {
  it('returns a Key URI, a 160-bit secret and 6 codes, storing only ciphertext and hashes', async () => {
    const user = await userWithRecoveryEmail();
    const result = await generateMfa(t.core, freshSession(t.core, user), TEST_META);
    expect(result.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(result.link).toBe(
      `otpauth://totp/Twofold:${encodeURIComponent(user.username)}?secret=${result.secret}&issuer=Twofold&algorithm=SHA1&digits=6&period=30`,
    );
    expect(result.recovery_codes).toHaveLength(6);
    const row = await testSql(t.core).get<{
      secret_ciphertext: string;
      recovery_code_hashes: string;
      expires_at_ms: number;
    }>('SELECT secret_ciphertext, recovery_code_hashes, expires_at_ms FROM mfa_enrollments');
    if (!row) throw new Error('no enrollment stored');
    expect(row.secret_ciphertext).not.toContain(result.secret);
    for (const code of result.recovery_codes) expect(row.recovery_code_hashes).not.toContain(code);
    expect(row.expires_at_ms - t.clock.now()).toBe(ENROLLMENT_TTL_SECONDS * 1000);
  });

  it('refuses with 409 once MFA is on', async () => {
    const user = await userWithRecoveryEmail();
    const g = await generateMfa(t.core, freshSession(t.core, user), TEST_META);
    await enableMfa(
      t.core,
      freshSession(t.core, user),
      { ...input(g), code: await totpAt(g.secret, t.clock.now()) },
      TEST_META,
    );
    await expect(generateMfa(t.core, freshSession(t.core, user), TEST_META)).rejects.toMatchObject({
      code: 'MFA_ALREADY_ENABLED',
    });
  });
});

const input = (g: { secret: string; recovery_codes: string[] }) => ({
  secret: g.secret,
  recovery_codes: g.recovery_codes,
});

describe('enableMfa', () => {
  it('turns the pending enrollment into the credential, counts the code as used, mails and records', async () => {
    const user = await userWithRecoveryEmail();
    const g = await generateMfa(t.core, freshSession(t.core, user), TEST_META);
    const code = await totpAt(g.secret, t.clock.now());
    await enableMfa(t.core, freshSession(t.core, user), { ...input(g), code }, TEST_META);

    const sql = testSql(t.core);
    const credential = await sql.get<{ last_time_step: number }>(
      'SELECT last_time_step FROM mfa_credentials WHERE user_id = ?',
      user.id,
    );
    expect(credential?.last_time_step).toBe(timeStepAt(t.clock.now()));
    expect(await sql.all('SELECT id FROM recovery_codes WHERE user_id = ?', user.id)).toHaveLength(6);
    expect(await sql.all('SELECT user_id FROM mfa_enrollments')).toHaveLength(0);
    expect((await readOutbox(t.core)).filter((m) => m.kind === 'mfa-enabled').map((m) => m.to)).toEqual([
      user.email,
    ]);
  });

  it('keeps the session that enabled it', async () => {
    const { auth } = await createUser(t.core);
    await setRecoveryEmail(auth.id, 'keep@example.test');
    const user = (await findUserById(t.core.store, auth.id))!;
    const g = await generateMfa(t.core, freshSession(t.core, user), TEST_META);
    await enableMfa(
      t.core,
      freshSession(t.core, user),
      { ...input(g), code: await totpAt(g.secret, t.clock.now()) },
      TEST_META,
    );
    await expect(authenticateSession(t.core, auth.token)).resolves.toMatchObject({ id: auth.id });
  });

  it('checks in the contract order: 409, recovery email, enrollment, then code', async () => {
    const { auth } = await createUser(t.core);
    let user = (await findUserById(t.core.store, auth.id))!;
    const g = await generateMfa(t.core, freshSession(t.core, user), TEST_META);
    const wrong = { ...input(g), code: '000000' };
    // No recovery email beats a wrong code and a wrong secret.
    await expect(
      enableMfa(t.core, freshSession(t.core, user), { ...wrong, secret: 'AAAA' }, TEST_META),
    ).rejects.toMatchObject({
      code: 'RECOVERY_EMAIL_REQUIRED',
      fields: { recovery_email: expect.any(String) },
    });
    await setRecoveryEmail(auth.id, 'x@example.test');
    user = (await findUserById(t.core.store, auth.id))!;
    // A different secret or codes beat a wrong code.
    await expect(
      enableMfa(t.core, freshSession(t.core, user), { ...wrong, secret: 'AAAA' }, TEST_META),
    ).rejects.toMatchObject({
      code: 'ENROLLMENT_MISMATCH',
    });
    const otherCodes = [...g.recovery_codes].reverse();
    await expect(
      enableMfa(t.core, freshSession(t.core, user), { ...wrong, recovery_codes: otherCodes }, TEST_META),
    ).rejects.toMatchObject({ code: 'ENROLLMENT_MISMATCH' });
    await expect(enableMfa(t.core, freshSession(t.core, user), wrong, TEST_META)).rejects.toMatchObject({
      code: 'PROOF_REJECTED',
    });
    await enableMfa(
      t.core,
      freshSession(t.core, user),
      { ...input(g), code: await totpAt(g.secret, t.clock.now()) },
      TEST_META,
    );
    // Once on, 409 comes first, whatever else is wrong.
    await expect(enableMfa(t.core, freshSession(t.core, user), wrong, TEST_META)).rejects.toMatchObject({
      code: 'MFA_ALREADY_ENABLED',
    });
  });

  it('accepts the secret and codes case-insensitively and with spaces', async () => {
    const user = await userWithRecoveryEmail();
    const g = await generateMfa(t.core, freshSession(t.core, user), TEST_META);
    const code = await totpAt(g.secret, t.clock.now());
    const parsed = ZEnableMfaInput.parse({
      code,
      secret: g.secret.toLowerCase().replace(/(.{4})/g, '$1 '),
      recovery_codes: g.recovery_codes.map((c) => `${c.slice(0, 8)}-${c.slice(8)}`.toLowerCase()),
    });
    await expect(enableMfa(t.core, freshSession(t.core, user), parsed, TEST_META)).resolves.toBeUndefined();
  });

  it('only confirms the latest enrollment, within 15 minutes', async () => {
    const user = await userWithRecoveryEmail();
    const first = await generateMfa(t.core, freshSession(t.core, user), TEST_META);
    const second = await generateMfa(t.core, freshSession(t.core, user), TEST_META);
    const code = await totpAt(first.secret, t.clock.now());
    await expect(
      enableMfa(t.core, freshSession(t.core, user), { ...input(first), code }, TEST_META),
    ).rejects.toMatchObject({
      code: 'ENROLLMENT_MISMATCH',
    });
    t.clock.advanceSeconds(ENROLLMENT_TTL_SECONDS);
    const late = await totpAt(second.secret, t.clock.now());
    await expect(
      enableMfa(t.core, freshSession(t.core, user), { ...input(second), code: late }, TEST_META),
    ).rejects.toMatchObject({
      code: 'ENROLLMENT_MISMATCH',
    });
  });
});
