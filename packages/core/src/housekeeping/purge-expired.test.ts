import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { sendEmailVerification } from '../email-verification/send.js';
import { authenticateMfa } from '../mfa/authenticate.js';
import { generateMfa } from '../mfa/generate.js';
import { recoverWithCode } from '../mfa/recover.js';
import { requestPasswordReset } from '../password-reset/request.js';
import { requestMfaReset } from '../reset/request.js';
import { authenticateSession } from '../session/authenticate.js';
import { SESSION_TTL_SECONDS } from '../session/jwt.js';
import {
  createMfaUser,
  createTestDevice,
  createUser,
  freshSession,
  openTestCore,
  type StoreTestCore,
  TEST_META,
  testSql,
  totpAt,
} from '../testing/index.js';
import { findUserById } from '../users/find.js';
import { startWebAuthnRegistration } from '../webauthn/registration-options.js';
import { purgeExpired } from './purge-expired.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const TABLES = [
  'mfa_tokens',
  'mfa_enrollments',
  'webauthn_challenges',
  'recovery_windows',
  'reset_requests',
  'sessions',
  'trusted_devices',
  'password_resets',
  'email_verifications',
  'failure_counters',
  'known_login_addresses',
  'notice_budgets',
  'security_events',
] as const;

async function counts(): Promise<Record<(typeof TABLES)[number], number>> {
  const entries = await Promise.all(
    TABLES.map(async (table) => {
      const row = await testSql(t.core).get<{ n: number | string }>(`SELECT count(*) AS n FROM ${table}`);
      return [table, Number(row?.n ?? 0)] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<(typeof TABLES)[number], number>;
}

const DAY = 24 * 3600;

/** One row (at least) of every kind housekeeping looks after, made by the real rules. */
async function populate() {
  const plain = await createUser(t.core);
  await expect(
    loginWithPassword(t.core, { username: 'nobody-here', password: 'wrong password' }, TEST_META),
  ).rejects.toThrow();
  await loginWithPassword(
    t.core,
    { username: plain.input.username, password: plain.input.password },
    TEST_META,
  );
  const mfa = await createMfaUser(t.core, t.clock);
  await loginWithPassword(t.core, { username: mfa.input.username, password: mfa.input.password }, TEST_META);
  const user = await findUserById(t.core.store, plain.auth.id);
  if (!user) throw new Error('user');
  await generateMfa(t.core, freshSession(t.core, user), TEST_META);
  // A key's registration options store their challenge (passkey-login options store none).
  const mfaUser = await findUserById(t.core.store, mfa.auth.id);
  if (!mfaUser) throw new Error('mfa user');
  await startWebAuthnRegistration(t.core, freshSession(t.core, mfaUser));
  await recoverWithCode(
    t.core,
    { identifier: mfa.input.username, recovery_code: mfa.recoveryCodes[0] ?? '' },
    TEST_META,
  );
  // A browser trusted at a second step (after the recover, which revokes them all).
  const mfaToken = await loginWithPassword(
    t.core,
    { username: mfa.input.username, password: mfa.input.password },
    TEST_META,
  );
  if (mfaToken.status !== 'mfa_required') throw new Error('expected the second step');
  t.clock.advanceSeconds(30);
  const code = await totpAt(mfa.secret, t.clock.now());
  await authenticateMfa(
    t.core,
    { token: mfaToken.mfaToken, code, trust_device: true },
    TEST_META,
    undefined,
    createTestDevice(),
  );
  await requestMfaReset(t.core, { identifier: mfa.input.username }, TEST_META);
  await requestPasswordReset(t.core, { identifier: plain.input.username }, TEST_META);
  // Registration mailed a verification already: a requested one waits a minute.
  t.clock.advanceSeconds(60);
  await sendEmailVerification(t.core, freshSession(t.core, user), { address: 'email' }, TEST_META);
  const before = await counts();
  for (const table of TABLES) expect(before[table], table).toBeGreaterThan(0);
  return before;
}

describe('purgeExpired (docs/contract.md § Housekeeping)', () => {
  it('deletes each kind once no rule reads it any more, and nothing before', async () => {
    const before = await populate();
    expect(Object.values(await purgeExpired(t.core)).every((n) => n === 0)).toBe(true);
    expect(await counts()).toEqual(before);

    // An hour on: tokens, enrollments, challenges and the recovery window have expired.
    t.clock.advanceSeconds(3600);
    const hour = await purgeExpired(t.core);
    expect(hour).toMatchObject({
      'mfa-tokens': before.mfa_tokens,
      'mfa-enrollments': before.mfa_enrollments,
      'webauthn-challenges': before.webauthn_challenges,
      'recovery-windows': before.recovery_windows,
      'reset-requests': 0,
      sessions: 0,
      'trusted-devices': 0,
      'password-resets': 0,
      'email-verifications': 0,
      'failure-counters': 0,
      'known-login-addresses': 0,
      'notice-budgets': 0,
      'security-events': 0,
    });

    // Sessions go once their 24 hours end; an emailed request stays a day past its end (the daily
    // caps count it): a password reset's 30 minutes, a reset request's and a verification's 24 hours.
    t.clock.advanceSeconds(DAY);
    expect(await purgeExpired(t.core)).toMatchObject({
      sessions: before.sessions,
      // A notice window counts a day from its first notice.
      'notice-budgets': before.notice_budgets,
      'password-resets': before.password_resets,
      'reset-requests': 0,
      'email-verifications': 0,
    });
    t.clock.advanceSeconds(DAY);
    expect(await purgeExpired(t.core)).toMatchObject({
      'reset-requests': before.reset_requests,
      'email-verifications': before.email_verifications,
    });

    // A month on: trusted devices have expired, failure counters and known login addresses are
    // stale; events stay a year.
    t.clock.advanceSeconds(30 * DAY);
    const month = await purgeExpired(t.core);
    expect(month['trusted-devices']).toBe(before.trusted_devices);
    expect(month['failure-counters']).toBeGreaterThan(0);
    expect(month['known-login-addresses']).toBe(before.known_login_addresses);
    expect(month['security-events']).toBe(0);
    t.clock.advanceSeconds(365 * DAY);
    expect((await purgeExpired(t.core))['security-events']).toBe(before.security_events);
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
  });

  it('ends a session for the rules and for housekeeping at the same instant', async () => {
    const { auth } = await createUser(t.core);
    t.clock.advanceSeconds(SESSION_TTL_SECONDS - 1);
    await authenticateSession(t.core, auth.token);
    expect((await purgeExpired(t.core)).sessions).toBe(0);
    // Its end is now: already refused, so already purged.
    t.clock.advanceSeconds(1);
    await expect(authenticateSession(t.core, auth.token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await purgeExpired(t.core)).sessions).toBe(1);
  });

  it('keeps security events for the configured days, deleting in batches', async () => {
    await createUser(t.core);
    await createUser(t.core);
    await createUser(t.core);
    // Accounts in use: unverified ones that never logged in would be released (and say so).
    await testSql(t.core).run('UPDATE users SET first_login_at_ms = created_at_ms');
    t.clock.advanceSeconds(10 * DAY);
    const recent = await createUser(t.core);
    t.clock.advanceSeconds(DAY);
    const purged = await purgeExpired(t.core, { securityEventsRetentionDays: 10, batchRows: 1 });
    expect(purged['security-events']).toBe(3);
    const left = await testSql(t.core).all<{ user_id: string }>('SELECT user_id FROM security_events');
    expect(left.map((row) => row.user_id)).toEqual([recent.auth.id]);
  });

  it('stops between batches when its signal aborts', async () => {
    for (let i = 0; i < 3; i += 1) await createUser(t.core);
    t.clock.advanceSeconds(2 * DAY);
    const stop = new AbortController();
    stop.abort();
    expect(
      (await purgeExpired(t.core, { securityEventsRetentionDays: 1, signal: stop.signal }))[
        'security-events'
      ],
    ).toBe(0);
  });
});
