// Invariant: one client address gets at most LOGIN_ADDRESS_POLICY.maxFailures failed logins across all accounts (known or not) before it is locked out of the password step, and the lock looks the same whether the accounts exist or not.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser, openTestCore, outcomeOf, type StoreTestCore } from '../testing/index.js';
import { LOGIN_ADDRESS_POLICY, PASSWORD_POLICY } from '../throttle/failure-counter.js';
import { loginWithPassword } from './login.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const from = (clientAddress: string) => ({ clientAddress });
const LIMIT = LOGIN_ADDRESS_POLICY.maxFailures;

describe('per-address login throttle (password spraying)', () => {
  it('locks an address after one guess each at many accounts, existing or not', async () => {
    const victims = await Promise.all([1, 2, 3].map(() => createUser(t.core)));
    const results: string[] = [];
    for (let i = 0; i < LIMIT; i++) {
      // One guess per identifier: a mix of real accounts and names that do not exist.
      const username = i < victims.length ? victims[i]!.input.username : `sprayed-${i}`;
      results.push(
        await outcomeOf(loginWithPassword(t.core, { username, password: 'Winter2026!' }, from('x'))),
      );
    }
    expect(results).toEqual(Array(LIMIT).fill('INVALID_CREDENTIALS'));

    // The address is now locked: even a right password from it waits, with the lock's end.
    const victim = victims[0]!.input;
    await expect(
      loginWithPassword(t.core, { username: victim.username, password: victim.password }, from('x')),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      lockout: { retryAfterSeconds: LOGIN_ADDRESS_POLICY.baseLockSeconds },
    });
    await expect(
      loginWithPassword(t.core, { username: 'never-existed', password: 'whatever1' }, from('x')),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      lockout: { retryAfterSeconds: LOGIN_ADDRESS_POLICY.baseLockSeconds },
    });

    // Another address is untouched.
    await expect(
      loginWithPassword(t.core, { username: victim.username, password: victim.password }, from('y')),
    ).resolves.toMatchObject({ status: 'authenticated' });

    // After the lock, one more failure locks again, twice as long.
    t.clock.advanceSeconds(LOGIN_ADDRESS_POLICY.baseLockSeconds + 1);
    expect(
      await outcomeOf(loginWithPassword(t.core, { username: 'again', password: 'guess-123' }, from('x'))),
    ).toBe('INVALID_CREDENTIALS');
    await expect(
      loginWithPassword(t.core, { username: victim.username, password: victim.password }, from('x')),
    ).rejects.toMatchObject({ lockout: { retryAfterSeconds: LOGIN_ADDRESS_POLICY.baseLockSeconds * 2 } });
  });

  it('is not cleared by a success on an account the attacker owns', async () => {
    const own = await createUser(t.core);
    for (let i = 0; i < LIMIT - 1; i++) {
      await outcomeOf(
        loginWithPassword(t.core, { username: `spray-${i}`, password: 'guess-123' }, from('x')),
      );
      if (i % 4 === 0) {
        await loginWithPassword(
          t.core,
          { username: own.input.username, password: own.input.password },
          from('x'),
        );
      }
    }
    expect(
      await outcomeOf(loginWithPassword(t.core, { username: 'last', password: 'guess-123' }, from('x'))),
    ).toBe('INVALID_CREDENTIALS');
    // The owned account has proven itself from this address, so its right password still gets
    // in (docs/contract.md § MFA endpoints), but that clears nothing for the other names.
    expect(
      await outcomeOf(
        loginWithPassword(t.core, { username: own.input.username, password: own.input.password }, from('x')),
      ),
    ).toBe('ok');
    expect(
      await outcomeOf(loginWithPassword(t.core, { username: 'after', password: 'guess-123' }, from('x'))),
    ).toBe('TOO_MANY_ATTEMPTS');
  });

  it('forgets a streak after a quiet period, so a shared address is not locked for good', async () => {
    for (let i = 0; i < LIMIT - 1; i++) {
      await outcomeOf(
        loginWithPassword(t.core, { username: `typo-${i}`, password: 'guess-123' }, from('nat')),
      );
    }
    t.clock.advanceSeconds(LOGIN_ADDRESS_POLICY.quietResetSeconds! + 1);
    for (let i = 0; i < LIMIT - 1; i++) {
      expect(
        await outcomeOf(
          loginWithPassword(t.core, { username: `typo-${i}`, password: 'guess-123' }, from('nat')),
        ),
      ).toBe('INVALID_CREDENTIALS');
    }
  });

  it('locks an unknown identifier after the same number of guesses as a real account', async () => {
    const { input } = await createUser(t.core);
    const run = async (username: string) => {
      const seen: string[] = [];
      for (let i = 0; i <= PASSWORD_POLICY.maxFailures; i++) {
        seen.push(
          await outcomeOf(loginWithPassword(t.core, { username, password: 'wrong-pass' }, from('z'))),
        );
      }
      return seen;
    };
    const known = await run(input.username);
    const unknown = await run('ghost-account');
    expect(unknown).toEqual(known);
    expect(known.at(-1)).toBe('TOO_MANY_ATTEMPTS');
  });
});

describe('parallel password guessing', () => {
  it('evaluates at most maxFailures guesses of a parallel burst; the rest, right password included, get 429', async () => {
    const { input } = await createUser(t.core);
    const guesses = Array.from({ length: 24 }, (_, i) => (i === 17 ? input.password : `wrong-guess-${i}`));
    const outcomes = await Promise.all(
      guesses.map((password) =>
        outcomeOf(loginWithPassword(t.core, { username: input.username, password }, from('p'))),
      ),
    );
    const evaluated = outcomes.filter((o) => o !== 'TOO_MANY_ATTEMPTS');
    expect(evaluated.length).toBeLessThanOrEqual(PASSWORD_POLICY.maxFailures);
    // Whatever the right password got, it is not singled out: either among the evaluated or a 429.
    expect(['ok', 'TOO_MANY_ATTEMPTS']).toContain(outcomes[17]);
    if (outcomes[17] === 'TOO_MANY_ATTEMPTS')
      expect(evaluated.every((o) => o === 'INVALID_CREDENTIALS')).toBe(true);
  });
});
