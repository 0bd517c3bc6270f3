import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyEmailWithToken } from '../email-verification/verify.js';
import { listSecurityEvents } from '../events/list.js';
import { maskEmail } from '../mail/render.js';
import { authenticateSession } from '../session/authenticate.js';
import {
  createMfaUser,
  createUser,
  latestEmailVerification,
  latestResetCode,
  openTestCore,
  outcomeOf,
  readOutbox,
  type StoreTestCore,
  TEST_META,
} from '../testing/index.js';
import { RESET_POLICY } from '../throttle/anonymous-second-factor.js';
import { RESET_REQUEST_MAX_FAILURES } from './live-request.js';
import { RESET_REQUEST_INTERVAL_SECONDS, RESET_REQUEST_TTL_SECONDS, requestMfaReset } from './request.js';
import { resetMfa } from './reset.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

type MfaUser = Awaited<ReturnType<typeof createMfaUser>>;
const codesOf = async (u: MfaUser) => ({
  main_email_code: await latestResetCode(t.core, u.input.email),
  recovery_email_code: await latestResetCode(t.core, u.recoveryEmail),
});
const swapped = (c: Awaited<ReturnType<typeof codesOf>>) => ({
  main_email_code: c.recovery_email_code,
  recovery_email_code: c.main_email_code,
});

describe('requestMfaReset', () => {
  it('mails one code of 5 look-alike-free characters to each address, with the link', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { token } = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    const mails = (await readOutbox(t.core)).filter((m) => m.kind === 'reset-code');
    expect(mails.map((m) => m.to).sort()).toEqual([u.input.email, u.recoveryEmail].sort());
    for (const mail of mails) {
      expect(mail.text).toContain(`${t.config.publicUrl}/mfa/reset/${u.auth.id}`);
      expect(mail.text.split('\n')).toContainEqual(expect.stringMatching(/^[23456789A-HJ-NP-Z]{5}$/));
    }
    const codes = await codesOf(u);
    expect(codes.main_email_code).not.toBe(codes.recovery_email_code);
    expect((await listSecurityEvents(t.core, u.auth.id)).events[0]?.type).toBe('reset_requested');
  });

  it('the mails say which addresses are unverified; the answer is the same token either way', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    const unverifiedMails = (await readOutbox(t.core)).filter((m) => m.kind === 'reset-code');
    for (const mail of unverifiedMails) {
      expect(mail.text).toContain('The main address of this account has not been verified.');
      expect(mail.text).toContain(
        `The recovery address of this account, ${maskEmail(u.recoveryEmail)}, has not been verified.`,
      );
    }
    for (const address of [u.input.email, u.recoveryEmail]) {
      const { token } = await latestEmailVerification(t.core, address);
      await verifyEmailWithToken(t.core, { token }, TEST_META);
    }
    t.clock.advanceSeconds(RESET_REQUEST_INTERVAL_SECONDS);
    const answer = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    expect(answer).toEqual({ token: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const verifiedMails = (await readOutbox(t.core)).filter((m) => m.kind === 'reset-code').slice(0, 2);
    for (const mail of verifiedMails) expect(mail.text).not.toContain('has not been verified');
  });

  it('sends nothing for unknown accounts, accounts without MFA, or a second request within the minute', async () => {
    const plain = await createUser(t.core);
    const u = await createMfaUser(t.core, t.clock);
    const before = (await readOutbox(t.core)).length;
    await requestMfaReset(t.core, { identifier: 'nobody-here' }, TEST_META);
    await requestMfaReset(t.core, { identifier: plain.input.username }, TEST_META);
    expect(await readOutbox(t.core)).toHaveLength(before);

    const first = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    const codes = await codesOf(u);
    t.clock.advanceSeconds(RESET_REQUEST_INTERVAL_SECONDS - 1);
    const second = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    expect(second.token).not.toBe(first.token);
    expect(await readOutbox(t.core)).toHaveLength(before + 2);
    // The second token names nothing (401 like wrong codes); the first request is still live.
    await expect(resetMfa(t.core, { id: second.token, ...codes }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_CODE',
    });
    await expect(resetMfa(t.core, { id: first.token, ...codes }, TEST_META)).resolves.toMatchObject({
      mfa: false,
    });
  });

  it('keeps the previous request live after the minute (a new request cancels nothing)', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const first = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    const oldCodes = await codesOf(u);
    t.clock.advanceSeconds(RESET_REQUEST_INTERVAL_SECONDS);
    const second = await requestMfaReset(t.core, { identifier: u.input.email }, TEST_META);
    expect(await codesOf(u)).not.toEqual(oldCodes);
    await expect(resetMfa(t.core, { id: first.token, ...oldCodes }, TEST_META)).resolves.toMatchObject({
      mfa: false,
    });
    // The reset ended every live request of the user.
    await expect(
      resetMfa(t.core, { id: second.token, ...(await codesOf(u)) }, TEST_META),
    ).rejects.toMatchObject({
      code: 'INVALID_CODE',
    });
  });
});

describe('resetMfa', () => {
  it('turns MFA off, consumes the request, ends earlier sessions, mails and records', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { token } = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    t.clock.advanceSeconds(1);
    const auth = await resetMfa(t.core, { id: token, ...(await codesOf(u)) }, TEST_META);
    expect(auth).toMatchObject({ id: u.auth.id, mfa: false });
    await expect(authenticateSession(t.core, auth.token)).resolves.toMatchObject({ id: u.auth.id });
    await expect(authenticateSession(t.core, u.auth.token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect((await readOutbox(t.core))[0]).toMatchObject({ kind: 'mfa-reset', to: u.input.email });
    expect((await listSecurityEvents(t.core, u.auth.id)).events[0]?.type).toBe('reset_completed');
    await expect(resetMfa(t.core, { id: token, ...(await codesOf(u)) }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_CODE',
    });
  });

  it('burns the request for the address after 5 wrong tries from it', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { token } = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    const codes = await codesOf(u);
    for (let i = 0; i < RESET_REQUEST_MAX_FAILURES; i++) {
      await expect(resetMfa(t.core, { id: u.auth.id, ...swapped(codes) }, TEST_META)).rejects.toMatchObject({
        code: 'INVALID_CODE',
      });
    }
    await expect(resetMfa(t.core, { id: token, ...codes }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_CODE',
    });
  });

  it('expires the request after 24 hours', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const { token } = await requestMfaReset(t.core, { identifier: u.input.username }, TEST_META);
    t.clock.advanceSeconds(RESET_REQUEST_TTL_SECONDS);
    await expect(resetMfa(t.core, { id: token, ...(await codesOf(u)) }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_CODE',
    });
  });

  it('answers unknown ids like a known user without a live request: 401, never 404', async () => {
    const plain = await createUser(t.core);
    const codes = { main_email_code: 'ABCDE', recovery_email_code: 'FGHJK' };
    await expect(resetMfa(t.core, { id: 'no-such-id', ...codes }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_CODE',
    });
    await expect(resetMfa(t.core, { id: plain.auth.id, ...codes }, TEST_META)).rejects.toMatchObject({
      code: 'INVALID_CODE',
    });
  });

  it('answers every guess that raced the locking one 429, and locks only once', async () => {
    const { maxFailures, baseLockSeconds } = RESET_POLICY;
    const codes = { main_email_code: 'ABCDE', recovery_email_code: 'FGHJK' };
    const guess = () => outcomeOf(resetMfa(t.core, { id: 'no-such-id', ...codes }, TEST_META));
    for (let i = 0; i < maxFailures - 1; i++) expect(await guess()).toBe('INVALID_CODE');
    // The one counted first locks (401); the others are counted after it: 429, as the right codes would get.
    const parallel = await Promise.all(Array.from({ length: 5 }, guess));
    expect(parallel.sort()).toEqual(['INVALID_CODE', ...Array(4).fill('TOO_MANY_ATTEMPTS')]);
    // The streak locked once: the first lock's length, not a doubled one.
    t.clock.advanceSeconds(baseLockSeconds);
    expect(await guess()).toBe('INVALID_CODE');
  });
});
