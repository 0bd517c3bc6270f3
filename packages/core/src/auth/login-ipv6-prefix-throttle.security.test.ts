// Invariant: login throttling counts an IPv6 /64 as one client address (and an IPv4-mapped IPv6 address as its IPv4 address), so rotating addresses inside one /64 buys no more password guesses than one address gets.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSecurityEvents } from '../events/list.js';
import { createUser, openTestCore, outcomeOf, type StoreTestCore } from '../testing/index.js';
import { LOGIN_ADDRESS_POLICY, PASSWORD_POLICY } from '../throttle/failure-counter.js';
import { loginWithPassword } from './login.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

/** A login attempt from `clientAddress`. */
const loginFrom = (credentials: { username: string; password: string }, clientAddress: string) =>
  loginWithPassword(t.core, credentials, { clientAddress });

/** The i-th address of the attacker's /64, spelled a different way each time. */
function inAttackerPrefix(i: number): string {
  const host = (i + 1).toString(16);
  const spellings = [
    `2001:db8:a:b::${host}`,
    `2001:0DB8:000A:000B:${host}:0:0:1`,
    `2001:db8:a:b:ffff:${host}::%eth0`,
  ];
  return spellings[i % spellings.length]!;
}

describe('password spraying from one IPv6 /64', () => {
  it('locks the whole /64 after LOGIN_ADDRESS_POLICY.maxFailures failures from distinct addresses in it', async () => {
    const victims = await Promise.all([1, 2, 3, 4].map(() => createUser(t.core)));
    const results: string[] = [];
    for (let i = 0; i < LOGIN_ADDRESS_POLICY.maxFailures; i++) {
      // One guess per account (real ones and names that do not exist), each from a new address.
      const username = i < victims.length ? victims[i]!.input.username : `sprayed-${i}`;
      results.push(await outcomeOf(loginFrom({ username, password: 'Winter2026!' }, inAttackerPrefix(i))));
    }
    expect(results).toEqual(Array(LOGIN_ADDRESS_POLICY.maxFailures).fill('INVALID_CREDENTIALS'));

    // The 31st attempt, from yet another address in the /64, is refused even with the right
    // password, exactly as the address throttle answers one address.
    const victim = victims[3]!.input;
    await expect(
      loginFrom({ username: victim.username, password: victim.password }, '2001:db8:a:b:dead:beef:0:31'),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      lockout: { retryAfterSeconds: LOGIN_ADDRESS_POLICY.baseLockSeconds },
    });

    // The neighbouring /64 and IPv4 clients are untouched.
    await expect(
      loginFrom({ username: victim.username, password: victim.password }, '2001:db8:a:c::1'),
    ).resolves.toMatchObject({ status: 'authenticated' });
    await expect(
      loginFrom({ username: victim.username, password: victim.password }, '198.51.100.4'),
    ).resolves.toMatchObject({ status: 'authenticated' });

    // Security events still name the exact address each attempt came from.
    const { events } = await listSecurityEvents(t.core, victims[1]!.auth.id);
    expect(events.map((e) => e.clientAddress)).toContain(inAttackerPrefix(1));
  });
});

describe('guessing one account while rotating addresses inside one /64', () => {
  it('locks that account for the /64 after PASSWORD_POLICY.maxFailures guesses', async () => {
    const { input } = await createUser(t.core);
    const results: string[] = [];
    for (let i = 0; i <= PASSWORD_POLICY.maxFailures; i++) {
      results.push(
        await outcomeOf(
          loginFrom({ username: input.username, password: `guess-${i}-x` }, inAttackerPrefix(i)),
        ),
      );
    }
    expect(results).toEqual([
      ...Array(PASSWORD_POLICY.maxFailures).fill('INVALID_CREDENTIALS'),
      'TOO_MANY_ATTEMPTS',
    ]);
    // The right password from a fresh address in the /64 waits too: the lock is not a wrong-password tell.
    expect(
      await outcomeOf(loginFrom({ username: input.username, password: input.password }, '2001:db8:a:b::fe')),
    ).toBe('TOO_MANY_ATTEMPTS');
    // The owner, from another network, is not locked out.
    await expect(
      loginFrom({ username: input.username, password: input.password }, '2001:db8:ffff::1'),
    ).resolves.toMatchObject({ status: 'authenticated' });
  });

  it('does the same for an identifier that does not exist', async () => {
    const results: string[] = [];
    for (let i = 0; i <= PASSWORD_POLICY.maxFailures; i++) {
      results.push(
        await outcomeOf(
          loginFrom({ username: 'ghost-account', password: `guess-${i}-x` }, inAttackerPrefix(i)),
        ),
      );
    }
    expect(results.at(-1)).toBe('TOO_MANY_ATTEMPTS');
  });
});

describe('IPv4 clients seen through a dual-stack socket', () => {
  it('counts an IPv4-mapped IPv6 address and the plain IPv4 address as one client', async () => {
    const { input } = await createUser(t.core);
    const results: string[] = [];
    for (let i = 0; i <= PASSWORD_POLICY.maxFailures; i++) {
      const address = i % 2 === 0 ? '203.0.113.7' : '::ffff:203.0.113.7';
      results.push(
        await outcomeOf(loginFrom({ username: input.username, password: `guess-${i}-x` }, address)),
      );
    }
    expect(results).toEqual([
      ...Array(PASSWORD_POLICY.maxFailures).fill('INVALID_CREDENTIALS'),
      'TOO_MANY_ATTEMPTS',
    ]);
    // The neighbouring IPv4 address keeps its own counter: IPv4 is not widened to a prefix.
    await expect(
      loginFrom({ username: input.username, password: input.password }, '203.0.113.8'),
    ).resolves.toMatchObject({ status: 'authenticated' });
  });

  it('shares the spraying budget between the two spellings', async () => {
    for (let i = 0; i < LOGIN_ADDRESS_POLICY.maxFailures; i++) {
      const address = i % 2 === 0 ? '::ffff:203.0.113.9' : '203.0.113.9';
      expect(await outcomeOf(loginFrom({ username: `spray-${i}`, password: 'guess-123' }, address))).toBe(
        'INVALID_CREDENTIALS',
      );
    }
    expect(await outcomeOf(loginFrom({ username: 'one-more', password: 'guess-123' }, '203.0.113.9'))).toBe(
      'TOO_MANY_ATTEMPTS',
    );
  });
});
