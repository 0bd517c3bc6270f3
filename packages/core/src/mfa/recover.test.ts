import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSecurityEvents } from '../events/list.js';
import { authenticateSession } from '../session/authenticate.js';
import {
  createMfaUser,
  createUser,
  openTestCore,
  readOutbox,
  type StoreTestCore,
  TEST_META,
  testSql,
} from '../testing/index.js';
import { RECOVERY_WINDOW_SECONDS, recoverWithCode, ZRecoverMfaInput } from './recover.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

describe('recoverWithCode', () => {
  it('consumes the code, logs in with a new session and ends the earlier ones, mails and records', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const result = await recoverWithCode(
      t.core,
      { identifier: u.input.username, recovery_code: u.recoveryCodes[3] as string },
      TEST_META,
    );
    expect(result.expiresAtSeconds).toBe(Math.floor(t.clock.now() / 1000) + RECOVERY_WINDOW_SECONDS);
    await expect(authenticateSession(t.core, result.auth.token)).resolves.toMatchObject({ id: u.auth.id });
    await expect(authenticateSession(t.core, u.auth.token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const used = await testSql(t.core).all<{ used_at_ms: number | null }>(
      'SELECT used_at_ms FROM recovery_codes WHERE user_id = ?',
      u.auth.id,
    );
    expect(used).toHaveLength(6);
    expect(used.filter((c) => c.used_at_ms !== null)).toHaveLength(1);
    expect((await readOutbox(t.core))[0]).toMatchObject({ kind: 'recovery-code-used', to: u.input.email });
    expect((await listSecurityEvents(t.core, u.auth.id)).events[0]?.type).toBe('recovery_code_used');
  });

  it('takes the email as identifier and the code in any case with dashes', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const code = u.recoveryCodes[0] as string;
    const typed = `${code.slice(0, 8)}-${code.slice(8)}`.toLowerCase();
    const input = ZRecoverMfaInput.parse({ identifier: u.input.email.toUpperCase(), recovery_code: typed });
    await expect(recoverWithCode(t.core, input, TEST_META)).resolves.toMatchObject({
      auth: { id: u.auth.id },
    });
  });

  it('answers unknown users, users without MFA and wrong codes alike', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const plain = await createUser(t.core);
    const code = u.recoveryCodes[0] as string;
    const attempts = [
      { identifier: 'nobody-here', recovery_code: code },
      { identifier: plain.input.username, recovery_code: code },
      { identifier: u.input.username, recovery_code: 'AAAAAAAAAAAAAAAA' },
    ];
    const errors = await Promise.all(
      attempts.map((a) => recoverWithCode(t.core, a, TEST_META).catch((e: unknown) => e)),
    );
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'INVALID_CODE', message: 'invalid identifier or recovery code' });
    }
  });
});
