// Invariant: usernames and emails are one namespace — an identifier names at most one account, enforced by the database (parallel claims), so login, recover and reset by it reach that account.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { recoverWithCode } from '../mfa/recover.js';
import { requestMfaReset } from '../reset/request.js';
import { isUniqueViolation } from '../store/unique-violation.js';
import {
  buildRegisterInput,
  createUser,
  enableMfaForUser,
  openTestCore,
  outcomeOf,
  readOutbox,
  type StoreTestCore,
  TEST_META,
  testSql,
} from '../testing/index.js';
import { findUserByIdentifier } from './find.js';
import { registerUser, type TRegisterInput, ZRegisterInput } from './register.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

/** Registration as the API sees it: through the schema, which lowercases identifiers. */
const register = (overrides: Partial<TRegisterInput>) =>
  registerUser(t.core, ZRegisterInput.parse(buildRegisterInput(overrides)), TEST_META);

describe('one namespace for usernames and emails', () => {
  it("refuses a username that is another account's email, case-insensitively; the email keeps reaching its owner", async () => {
    const alice = await createUser(t.core, { username: 'alice', email: 'alice@example.test' });
    const mfa = await enableMfaForUser(t.core, alice.auth);
    t.clock.advanceSeconds(30);

    await expect(
      register({ username: 'Alice@Example.TEST', password: 'mallory password' }),
    ).rejects.toMatchObject({ code: 'USERNAME_TAKEN', fields: { username: expect.any(String) } });

    expect((await findUserByIdentifier(t.core.store, 'alice@example.test'))?.id).toBe(alice.auth.id);
    const login = await loginWithPassword(
      t.core,
      { username: 'alice@example.test', password: alice.input.password },
      TEST_META,
    );
    expect(login.status).toBe('mfa_required');
    await requestMfaReset(t.core, { identifier: 'alice@example.test' }, TEST_META);
    const resetMail = (await readOutbox(t.core)).filter((mail) => mail.kind === 'reset-code');
    expect(resetMail.map((mail) => mail.to).sort()).toEqual(['alice@example.test', mfa.recoveryEmail].sort());
    const recovered = await recoverWithCode(
      t.core,
      { identifier: 'alice@example.test', recovery_code: mfa.recoveryCodes[0] ?? '' },
      TEST_META,
    );
    expect(recovered.auth.id).toBe(alice.auth.id);
  });

  it("refuses an email that is another account's username, case-insensitively", async () => {
    const carol = await register({ username: 'carol@example.test', email: 'carol.main@example.test' });
    await expect(register({ email: 'Carol@Example.TEST' })).rejects.toMatchObject({
      code: 'EMAIL_TAKEN',
      fields: { email: expect.any(String) },
    });
    expect((await findUserByIdentifier(t.core.store, 'carol@example.test'))?.id).toBe(carol.id);
  });

  it('still lets an account use its own email as its username', async () => {
    const dan = await register({ username: 'dan@example.test', email: 'Dan@example.test' });
    expect((await findUserByIdentifier(t.core.store, 'dan@example.test'))?.id).toBe(dan.id);
    await expect(register({ email: 'dan@example.test' })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    await expect(register({ username: 'dan@example.test' })).rejects.toMatchObject({
      code: 'USERNAME_TAKEN',
    });
  });

  it('lets exactly one of 20 parallel registrations claiming one identifier as username or email win', async () => {
    const identifier = 'erin@example.test';
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        outcomeOf(register(i % 2 === 0 ? { username: identifier } : { email: identifier.toUpperCase() })),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(
      outcomes.filter((o) => o !== 'ok').every((o) => o === 'USERNAME_TAKEN' || o === 'EMAIL_TAKEN'),
    ).toBe(true);
    const owners = await testSql(t.core).get<{ n: number }>(
      'SELECT count(*) AS n FROM users WHERE username = ? OR email = ?',
      identifier,
      identifier,
    );
    expect(owners?.n).toBe(1);
  });

  it('is a constraint of the database, not only a check before the insert', async () => {
    const frank = await register({ username: 'frank', email: 'frank@example.test' });
    const other = await register({ username: 'other', email: 'other@example.test' });
    const claim = (identifier: string, kind: string) =>
      testSql(t.core).run(
        'INSERT INTO identifiers (identifier, user_id, kind) VALUES (?, ?, ?)',
        identifier,
        other.id,
        kind,
      );
    await expect(claim('frank@example.test', 'username')).rejects.toSatisfy(isUniqueViolation);
    await expect(claim('frank', 'email')).rejects.toSatisfy(isUniqueViolation);
    expect((await findUserByIdentifier(t.core.store, 'frank'))?.id).toBe(frank.id);
  });
});
