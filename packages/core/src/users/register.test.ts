import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { buildRegisterInput, openTestCore, type StoreTestCore, TEST_META } from '../testing/index.js';
import { findUserByIdentifier } from './find.js';
import { registerUser, ZRegisterInput } from './register.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const register = (overrides = {}) =>
  registerUser(t.core, ZRegisterInput.parse(buildRegisterInput(overrides)), TEST_META);

describe('registerUser', () => {
  it('creates the user and logs them in with a UserAuth', async () => {
    const auth = await register({ username: 'Alice.Doe', email: 'Alice@Example.TEST', name: 'Alice' });
    expect(auth).toMatchObject({
      origin: 'local',
      user: 'alice.doe',
      email: 'alice@example.test',
      name: 'Alice',
      recovery_email: '',
      mfa: false,
      admin: false,
    });
    expect(auth.token.split('.')).toHaveLength(3);
  });

  it('stores the password only as an argon2id hash with at least OWASP parameters', async () => {
    // The production cost, not the suites' cheap one (TEST_ARGON2_COST).
    const production = await openTestCore({}, { productionArgon2: true });
    try {
      const input = buildRegisterInput();
      await registerUser(production.core, ZRegisterInput.parse(input), TEST_META);
      const user = await findUserByIdentifier(production.core.store, input.username);
      expect(user?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(user?.passwordHash).not.toContain(input.password);
    } finally {
      await production.close();
    }
  });

  it('refuses a taken email or username, case-insensitively', async () => {
    await register({ username: 'bob', email: 'bob@example.test' });
    await expect(register({ email: 'BOB@example.test' })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    await expect(register({ username: 'BOB' })).rejects.toMatchObject({ code: 'USERNAME_TAKEN' });
  });

  it('lets only one of two parallel registrations of the same username win', async () => {
    const results = await Promise.allSettled([
      register({ username: 'carol' }),
      register({ username: 'carol' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r) => r.status === 'rejected');
    expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(DomainError);
  });

  it('validates usernames and passwords per the contract', () => {
    const bad = ZRegisterInput.safeParse(buildRegisterInput({ username: 'a b', password: 'short' }));
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['username', 'password']));
    expect(ZRegisterInput.safeParse(buildRegisterInput({ password: 'x'.repeat(257) })).success).toBe(false);
  });
});
