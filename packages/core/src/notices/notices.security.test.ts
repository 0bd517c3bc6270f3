// Invariant: a complete login from a client the account has not seen (neither its device cookie nor its address within 30 days) mails the owner a notice, and no flood of logins, trusted browsers or lockouts, sequential or parallel, gets more than 20 notices of one kind and one digest per account into a day; one kind's flood never silences the other.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { PROVEN_LOGIN_TTL_SECONDS } from '../auth/proven-login.js';
import type { RequestMeta } from '../context.js';
import { authenticateMfa } from '../mfa/authenticate.js';
import {
  createMfaUser,
  createTestDevice,
  createUser,
  type OutboxMail,
  openTestCore,
  readOutbox,
  type StoreTestCore,
  type TestDevice,
  totpAt,
} from '../testing/index.js';
import { PASSWORD_POLICY } from '../throttle/failure-counter.js';
import { NOTICE_WINDOW_MS, NOTICES_PER_DAY } from './budget.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

interface Credentials {
  username: string;
  password: string;
}
const from = (clientAddress: string): RequestMeta => ({ clientAddress, userAgent: 'Mozilla/5.0' });

async function login(who: Credentials, address: string, device?: TestDevice) {
  const result = await loginWithPassword(t.core, { ...who }, from(address), device);
  expect(result.status).toBe('authenticated');
}

const mailsTo = async (to: string, kind?: string): Promise<OutboxMail[]> =>
  (await readOutbox(t.core)).filter((m) => m.to === to && (kind === undefined || m.kind === kind));

describe('the notice of a login from a new device and address', () => {
  it('goes to the main address once per new client, with the address and no secret', async () => {
    const { input } = await createUser(t.core, { password: 'correct horse battery' });
    // Registration proved the password from 127.0.0.1: logging in from there is nothing new.
    await login(input, '127.0.0.1');
    expect(await mailsTo(input.email, 'new-login')).toEqual([]);

    const laptop = createTestDevice();
    await login(input, '198.51.100.7', laptop);
    const [notice] = await mailsTo(input.email, 'new-login');
    expect(notice?.text).toContain('198.51.100.7');
    expect(notice?.text).toContain(input.username);
    expect(notice?.text).not.toContain(input.password);
    expect(notice?.text).not.toContain(laptop.issued ?? 'no device token');

    // The same laptop elsewhere, another browser at that address: both proven, nothing new.
    await login(input, '203.0.113.50', createTestDevice(laptop.issued));
    await login(input, '198.51.100.7');
    // An IPv6 client is its /64, as for the throttle.
    await login(input, '2001:db8:1:2::1');
    await login(input, '2001:db8:1:2::ffff');
    expect(await mailsTo(input.email, 'new-login')).toHaveLength(2);

    // 30 days on, neither the cookie nor the address proves the client any more.
    t.clock.advanceSeconds(PROVEN_LOGIN_TTL_SECONDS + 1);
    await login(input, '198.51.100.7', createTestDevice(laptop.issued));
    expect(await mailsTo(input.email, 'new-login')).toHaveLength(3);
  });

  it('waits for the second step: the password alone of an MFA user is no login', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const first = await loginWithPassword(t.core, { ...u.input }, from('198.51.100.9'));
    if (first.status !== 'mfa_required') throw new Error('expected the second step');
    expect(await mailsTo(u.input.email, 'new-login')).toEqual([]);
    const code = await totpAt(u.secret, t.clock.now());
    await authenticateMfa(t.core, { token: first.mfaToken, code }, from('198.51.100.9'));
    expect(await mailsTo(u.input.email, 'new-login')).toHaveLength(1);
  });
});

describe('the daily cap of notices', () => {
  const flood = (who: Credentials, count: number, tag: string) =>
    Array.from({ length: count }, (_, i) => login(who, `10.${tag}.${Math.floor(i / 200)}.${i % 200}`));

  it('sends 20 sign-in notices, then one digest, then nothing until the day is over', async () => {
    const { input } = await createUser(t.core);
    for (const attempt of flood(input, 30, '1')) await attempt;
    const notices = await mailsTo(input.email, 'new-login');
    const digests = await mailsTo(input.email, 'notices-paused');
    expect(notices).toHaveLength(NOTICES_PER_DAY);
    expect(digests).toHaveLength(1);
    expect(digests[0]?.text).toContain(new Date(t.clock.now() + NOTICE_WINDOW_MS).toUTCString());

    // The window counts from its first notice: a moment before its end, still nothing.
    t.clock.advanceSeconds(NOTICE_WINDOW_MS / 1000 - 1);
    for (const attempt of flood(input, 3, '2')) await attempt;
    const signInMails = async () =>
      (await mailsTo(input.email)).filter((m) => m.kind === 'new-login' || m.kind === 'notices-paused');
    expect(await signInMails()).toHaveLength(NOTICES_PER_DAY + 1);
    t.clock.advanceSeconds(1);
    for (const attempt of flood(input, 3, '3')) await attempt;
    expect(await mailsTo(input.email, 'new-login')).toHaveLength(NOTICES_PER_DAY + 3);
    expect(await mailsTo(input.email, 'notices-paused')).toHaveLength(1);
  });

  it('holds under a parallel flood: exactly 20 notices and one digest', async () => {
    const { input } = await createUser(t.core);
    await Promise.all(flood(input, 40, '4'));
    expect(await mailsTo(input.email, 'new-login')).toHaveLength(NOTICES_PER_DAY);
    expect(await mailsTo(input.email, 'notices-paused')).toHaveLength(1);
  });

  it('is per account: another user still gets theirs', async () => {
    const a = await createUser(t.core);
    const b = await createUser(t.core);
    for (const attempt of flood(a.input, 25, '5')) await attempt;
    await login(b.input, '10.6.0.1');
    expect(await mailsTo(b.input.email, 'new-login')).toHaveLength(1);
  });

  it('counts trusted browsers as sign-in notices', async () => {
    const u = await createMfaUser(t.core, t.clock);
    for (let i = 0; i < NOTICES_PER_DAY + 2; i++) {
      const first = await loginWithPassword(t.core, { ...u.input }, from('127.0.0.1'));
      if (first.status !== 'mfa_required') throw new Error('expected the second step');
      t.clock.advanceSeconds(30);
      const code = await totpAt(u.secret, t.clock.now());
      const browser = createTestDevice();
      await authenticateMfa(
        t.core,
        { token: first.mfaToken, code, trust_device: true },
        from('127.0.0.1'),
        undefined,
        browser,
      );
      expect(browser.issued).toBeTypeOf('string');
    }
    expect(await mailsTo(u.input.email, 'device-trusted')).toHaveLength(NOTICES_PER_DAY);
    expect(await mailsTo(u.input.email, 'notices-paused')).toHaveLength(1);
  });

  it('caps lockout notices on their own: a lock flood from many addresses never silences a sign-in notice', async () => {
    const { input } = await createUser(t.core);
    const wrong = { username: input.username, password: 'not the password' };
    for (let address = 0; address < NOTICES_PER_DAY + 3; address++) {
      for (let i = 0; i < PASSWORD_POLICY.maxFailures; i++) {
        await expect(loginWithPassword(t.core, wrong, from(`10.7.0.${address}`))).rejects.toMatchObject({
          code: 'INVALID_CREDENTIALS',
        });
      }
    }
    expect(await mailsTo(input.email, 'account-locked')).toHaveLength(NOTICES_PER_DAY);
    const [digest] = await mailsTo(input.email, 'notices-paused');
    expect(digest?.text).toContain('failed sign-in attempts');

    await login(input, '10.8.0.1');
    expect(await mailsTo(input.email, 'new-login')).toHaveLength(1);
  });
});
