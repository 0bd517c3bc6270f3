import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser, openTestCore, type StoreTestCore } from '../testing/index.js';
import { loginWithPassword } from './login.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const from = (clientAddress: string) => ({ clientAddress });

describe('loginWithPassword', () => {
  it('logs in by username or by email, case-insensitively', async () => {
    const { input } = await createUser(t.core);
    const byName = await loginWithPassword(
      t.core,
      { username: input.username, password: input.password },
      from('a'),
    );
    const byEmail = await loginWithPassword(
      t.core,
      { username: input.email.toUpperCase().toLowerCase(), password: input.password },
      from('a'),
    );
    expect(byName.status).toBe('authenticated');
    expect(byEmail.status).toBe('authenticated');
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const { input } = await createUser(t.core);
    const wrong = loginWithPassword(
      t.core,
      { username: input.username, password: 'wrong password' },
      from('a'),
    );
    const unknown = loginWithPassword(
      t.core,
      { username: 'nobody-here', password: 'wrong password' },
      from('a'),
    );
    const [a, b] = await Promise.allSettled([wrong, unknown]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    const [ea, eb] = [(a as PromiseRejectedResult).reason, (b as PromiseRejectedResult).reason];
    expect({ code: ea.code, message: ea.message }).toEqual({ code: eb.code, message: eb.message });
    expect(ea.code).toBe('INVALID_CREDENTIALS');
  });

  it('locks an account for one source after 5 failures, with a doubling backoff', async () => {
    const { input } = await createUser(t.core);
    const attempt = (password: string, source = 'attacker') =>
      loginWithPassword(t.core, { username: input.username, password }, from(source));

    for (let i = 0; i < 5; i++) {
      await expect(attempt('wrong password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    // Locked: even the right password is refused from this source, with the lock's end.
    await expect(attempt(input.password)).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      lockout: { retryAfterSeconds: 60 },
    });
    // Another source is not locked out by the attacker.
    await expect(attempt(input.password, 'owner')).resolves.toMatchObject({ status: 'authenticated' });

    t.clock.advanceSeconds(61);
    await expect(attempt('wrong again')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(attempt(input.password)).rejects.toMatchObject({ lockout: { retryAfterSeconds: 120 } });

    t.clock.advanceSeconds(121);
    await expect(attempt(input.password)).resolves.toMatchObject({ status: 'authenticated' });
    // Success ended the streak: four new failures do not lock.
    for (let i = 0; i < 4; i++)
      await expect(attempt('nope nope')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(attempt(input.password)).resolves.toMatchObject({ status: 'authenticated' });
  });

  it('caps the lock at one hour', async () => {
    const { input } = await createUser(t.core);
    const attempt = (password: string) =>
      loginWithPassword(t.core, { username: input.username, password }, from('attacker'));
    for (let i = 0; i < 5; i++) await attempt('wrong password').catch(() => {});
    let lastRetry = 0;
    for (let round = 0; round < 8; round++) {
      const error = await attempt(input.password).catch((e: { lockout: { retryAfterSeconds: number } }) => e);
      lastRetry = (error as { lockout: { retryAfterSeconds: number } }).lockout.retryAfterSeconds;
      t.clock.advanceSeconds(lastRetry + 1);
      await attempt('wrong password').catch(() => {});
    }
    expect(lastRetry).toBe(3600);
  });
});
