// Invariant: a throttled client address never refuses the right password of an account it has proven itself for (a device token from a complete login, or a complete login from that address within 30 days), while every wrong password and every unproven attempt from it still answers 429, unproven ones without computing a password hash.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dummySlowHash, slowVerify } from '../crypto/slow-hash.js';
import { authenticateMfa } from '../mfa/authenticate.js';
import {
  createMfaUser,
  createTestDevice,
  createUser,
  openTestCore,
  outcomeOf,
  type StoreTestCore,
  type TestDevice,
  totpAt,
} from '../testing/index.js';
import { LOGIN_ADDRESS_POLICY, PASSWORD_POLICY } from '../throttle/failure-counter.js';
import { loginWithPassword } from './login.js';
import { PROVEN_LOGIN_TTL_SECONDS } from './proven-login.js';

// The real hash functions, observed: a throttled unproven attempt must not reach them.
vi.mock(import('../crypto/slow-hash.js'), { spy: true });

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const from = (clientAddress: string) => ({ clientAddress });
interface Credentials {
  username: string;
  password: string;
}
const login = (who: Credentials, address: string, device?: TestDevice) =>
  loginWithPassword(t.core, { username: who.username, password: who.password }, from(address), device);

/** The spray: 40 failed logins for other accounts (known or not) from one address. */
async function spray(address: string, tag = 'sprayed') {
  const outcomes: string[] = [];
  for (let i = 0; i < 40; i++) {
    outcomes.push(await outcomeOf(login({ username: `${tag}-${i}`, password: 'Winter2026!' }, address)));
  }
  expect(outcomes.slice(0, LOGIN_ADDRESS_POLICY.maxFailures)).not.toContain('TOO_MANY_ATTEMPTS');
  expect(outcomes.at(-1)).toBe('TOO_MANY_ATTEMPTS');
}

describe('proven clients behind a throttled address (shared NAT)', () => {
  it('lets a user who logged in from the address before in with the right password; a sprayer stays out', async () => {
    const { input: colleague } = await createUser(t.core);
    await expect(login(colleague, 'nat')).resolves.toMatchObject({ status: 'authenticated' });
    await spray('nat');

    await expect(login(colleague, 'nat')).resolves.toMatchObject({ status: 'authenticated' });
    expect(await outcomeOf(login({ username: 'sprayed-x', password: 'Winter2026!' }, 'nat'))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
    // A known account that never logged in from there is no different from an unknown name.
    const { input: stranger } = await createUser(t.core);
    expect(await outcomeOf(login(stranger, 'nat'))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('lets a browser with a device token from a complete login elsewhere in', async () => {
    const { input: user } = await createUser(t.core);
    const home = createTestDevice();
    await login(user, 'home', home);
    expect(home.issued).toBeTypeOf('string');
    await spray('office');

    expect(await outcomeOf(login(user, 'office'))).toBe('TOO_MANY_ATTEMPTS');
    await expect(login(user, 'office', createTestDevice(home.issued))).resolves.toMatchObject({
      status: 'authenticated',
    });
  });

  it('answers every wrong password of a proven pair with 429 while throttled, and still counts it for the account', async () => {
    const { input: user } = await createUser(t.core);
    await login(user, 'nat');
    await spray('nat');

    const wrong = { username: user.username, password: 'not-the-password' };
    const outcomes: string[] = [];
    for (let i = 0; i < PASSWORD_POLICY.maxFailures; i++) outcomes.push(await outcomeOf(login(wrong, 'nat')));
    // 429, not 401: the answer to a guess does not depend on whether the pair is proven.
    expect(outcomes).toEqual(Array(PASSWORD_POLICY.maxFailures).fill('TOO_MANY_ATTEMPTS'));
    // The per-account lock of the password policy applies to proven pairs too.
    expect(await outcomeOf(login(user, 'nat'))).toBe('TOO_MANY_ATTEMPTS');
    t.clock.advanceSeconds(PASSWORD_POLICY.baseLockSeconds + 1);
    await expect(login(user, 'nat')).resolves.toMatchObject({ status: 'authenticated' });
  });

  it("gives nothing for another account's device token or a forged one", async () => {
    const { input: alice } = await createUser(t.core);
    const { input: bob } = await createUser(t.core);
    const alicesBrowser = createTestDevice();
    await login(alice, 'home', alicesBrowser);
    await spray('cafe');

    expect(await outcomeOf(login(bob, 'cafe', createTestDevice(alicesBrowser.issued)))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
    const issued = alicesBrowser.issued ?? '';
    // The last character changed, whatever it was (a fixed 'AA' matched one token in 4096).
    const forged = `${issued.slice(0, -1)}${issued.endsWith('A') ? 'B' : 'A'}`;
    expect(await outcomeOf(login(alice, 'cafe', createTestDevice(forged)))).toBe('TOO_MANY_ATTEMPTS');
    expect(await outcomeOf(login(alice, 'cafe', createTestDevice('')))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('forgets a known address and a device token after 30 days', async () => {
    const { input: user } = await createUser(t.core);
    const browser = createTestDevice();
    await login(user, 'nat', browser);
    t.clock.advanceSeconds(PROVEN_LOGIN_TTL_SECONDS + 1);
    await spray('nat');

    expect(await outcomeOf(login(user, 'nat'))).toBe('TOO_MANY_ATTEMPTS');
    expect(await outcomeOf(login(user, 'nat', createTestDevice(browser.issued)))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('computes no password hash for a throttled unproven attempt', async () => {
    const { input: user } = await createUser(t.core);
    await login(user, 'nat');
    await spray('nat');
    const { input: stranger } = await createUser(t.core);

    vi.mocked(slowVerify).mockClear();
    vi.mocked(dummySlowHash).mockClear();
    for (const attempt of [stranger, { username: stranger.username, password: 'wrong-pass' }]) {
      expect(await outcomeOf(login(attempt, 'nat'))).toBe('TOO_MANY_ATTEMPTS');
    }
    expect(await outcomeOf(login({ username: 'nobody-here', password: 'wrong-pass' }, 'nat'))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
    expect(slowVerify).not.toHaveBeenCalled();
    expect(dummySlowHash).not.toHaveBeenCalled();

    // Only the proven pair gets its password checked.
    await login(user, 'nat');
    expect(slowVerify).toHaveBeenCalledTimes(1);
  });
});

describe('what counts as a complete login (MFA)', () => {
  it('does not prove an address or issue a device token on the password step alone', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const browser = createTestDevice();
    await expect(login(u.input, 'nat', browser)).resolves.toMatchObject({ status: 'mfa_required' });
    expect(browser.issued).toBeUndefined();
    await spray('nat');

    expect(await outcomeOf(login(u.input, 'nat'))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('proves it after the second step, and never skips that step', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const browser = createTestDevice();
    const first = await login(u.input, 'nat', browser);
    if (first.status !== 'mfa_required') throw new Error('expected the MFA step');
    const code = await totpAt(u.secret, t.clock.now());
    await authenticateMfa(t.core, { token: first.mfaToken, code }, from('nat'), browser);
    expect(browser.issued).toBeTypeOf('string');
    await spray('nat');
    await spray('office', 'office');

    // Proven by address and by device token: the right password gets the second step, not a session.
    await expect(login(u.input, 'nat')).resolves.toMatchObject({ status: 'mfa_required' });
    await expect(login(u.input, 'office', createTestDevice(browser.issued))).resolves.toMatchObject({
      status: 'mfa_required',
    });
  });
});
