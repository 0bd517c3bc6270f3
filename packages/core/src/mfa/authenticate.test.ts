import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { MFA_TOKEN_TTL_SECONDS } from '../mfa-token/issue.js';
import { authenticateSession } from '../session/authenticate.js';
import {
  createMfaUser,
  createUser,
  enableMfaForUser,
  openTestCore,
  type StoreTestCore,
  TEST_META,
  totpAt,
} from '../testing/index.js';
import { authenticateMfa } from './authenticate.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

async function mfaLogin(input: { username: string; password: string }): Promise<string> {
  const result = await loginWithPassword(t.core, input, TEST_META);
  if (result.status !== 'mfa_required') throw new Error('expected the MFA step');
  return result.mfaToken;
}

describe('authenticateMfa', () => {
  it('logs in with a live token and a fresh code', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const token = await mfaLogin(u.input);
    const auth = await authenticateMfa(
      t.core,
      { token, code: await totpAt(u.secret, t.clock.now()) },
      TEST_META,
    );
    expect(auth).toMatchObject({ id: u.auth.id, mfa: true, recovery_email: u.recoveryEmail });
    await expect(authenticateSession(t.core, auth.token)).resolves.toMatchObject({ id: u.auth.id });
  });

  it('refuses the code that confirmed enable', async () => {
    const { input, auth } = await createUser(t.core);
    const { secret } = await enableMfaForUser(t.core, auth);
    const token = await mfaLogin(input);
    await expect(
      authenticateMfa(t.core, { token, code: await totpAt(secret, t.clock.now()) }, TEST_META),
    ).rejects.toMatchObject({ code: 'CODE_REPLAYED' });
  });

  it('makes each token single use and each code usable once', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const token = await mfaLogin(u.input);
    const code = await totpAt(u.secret, t.clock.now());
    await authenticateMfa(t.core, { token, code }, TEST_META);
    await expect(authenticateMfa(t.core, { token, code }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_MFA_TOKEN',
    });
    const second = await mfaLogin(u.input);
    await expect(authenticateMfa(t.core, { token: second, code }, TEST_META)).rejects.toMatchObject({
      code: 'CODE_REPLAYED',
    });
    // The next step's code is still good.
    t.clock.advanceSeconds(30);
    await expect(
      authenticateMfa(t.core, { token: second, code: await totpAt(u.secret, t.clock.now()) }, TEST_META),
    ).resolves.toMatchObject({ id: u.auth.id });
  });

  it('expires tokens after 5 minutes and burns them after 5 wrong codes', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const stale = await mfaLogin(u.input);
    t.clock.advanceSeconds(MFA_TOKEN_TTL_SECONDS);
    const code = await totpAt(u.secret, t.clock.now());
    await expect(authenticateMfa(t.core, { token: stale, code }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_MFA_TOKEN',
    });

    const token = await mfaLogin(u.input);
    for (let i = 0; i < 5; i++) {
      await expect(authenticateMfa(t.core, { token, code: '000000' }, TEST_META)).rejects.toMatchObject({
        code: 'INVALID_CODE',
      });
    }
    await expect(authenticateMfa(t.core, { token, code }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_MFA_TOKEN',
    });
  });

  it('refuses unknown tokens', async () => {
    await expect(
      authenticateMfa(t.core, { token: crypto.randomUUID(), code: '123456' }, TEST_META),
    ).rejects.toMatchObject({ code: 'INVALID_MFA_TOKEN' });
  });
});
