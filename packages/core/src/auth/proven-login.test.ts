import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, createTestDevice, createUser, type TestCore } from '../testing/index.js';
import { LOGIN_ADDRESS_POLICY } from '../throttle/failure-counter.js';
import { loginWithPassword } from './login.js';
import { PROVEN_LOGIN_TTL_SECONDS } from './proven-login.js';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.close());

const meta = { clientAddress: '192.0.2.10' };
const sprayer = { clientAddress: '198.51.100.7' };

/** Throttles `from`'s address: 30 failed logins for unknown names. */
async function throttle(from: { clientAddress: string }) {
  for (let i = 0; i < LOGIN_ADDRESS_POLICY.maxFailures; i++) {
    await loginWithPassword(t.core, { username: `nobody-${i}`, password: 'wrong password' }, from).catch(
      () => undefined,
    );
  }
}

describe('device tokens', () => {
  it('hands out a signed token once and keeps the one a client holds; none is stored', async () => {
    const { input } = await createUser(t.core);
    const browser = createTestDevice();
    const rowsBefore = t.store.db.$client.prepare('select total_changes() as n').get() as { n: number };
    await loginWithPassword(t.core, input, meta, browser);
    const rowsAfter = t.store.db.$client.prepare('select total_changes() as n').get() as { n: number };
    const first = browser.issued;
    expect(first).toMatch(/^[\w-]+\.\d+\.[\w-]+\.[\w-]{43}$/);
    // The login's own writes (event, address row, counter reset) and nothing for the token.
    expect(rowsAfter.n - rowsBefore.n).toBeLessThanOrEqual(3);

    const again = createTestDevice(first);
    await loginWithPassword(t.core, input, meta, again);
    expect(again.issued).toBeUndefined();

    // Once expired, the next complete login replaces it.
    t.clock.advanceSeconds(PROVEN_LOGIN_TTL_SECONDS);
    await loginWithPassword(t.core, input, meta, again);
    expect(again.issued).toBeTypeOf('string');
    expect(again.issued).not.toBe(first);
  });

  it('a token whose user, expiry or nonce was changed proves nothing', async () => {
    const { input } = await createUser(t.core);
    const browser = createTestDevice();
    await loginWithPassword(t.core, { username: input.username, password: input.password }, meta, browser);
    const token = browser.issued as string;
    const [user, expiry, nonce, mac] = token.split('.');
    const tampered = [
      `${user}.${Number(expiry) + 86_400}.${nonce}.${mac}`,
      `${user}.${expiry}.${nonce}x.${mac}`,
      `00000000-0000-4000-8000-000000000000.${expiry}.${nonce}.${mac}`,
      // Another last character (the MAC may itself end in A).
      `${user}.${expiry}.${nonce}.${mac?.slice(0, -1)}${mac?.endsWith('A') ? 'B' : 'A'}`,
    ];
    await throttle(sprayer);
    for (const forged of tampered) {
      await expect(loginWithPassword(t.core, input, sprayer, createTestDevice(forged))).rejects.toMatchObject(
        { code: 'TOO_MANY_ATTEMPTS' },
      );
    }
    // The genuine token does (last: its complete login makes the address known too).
    await expect(loginWithPassword(t.core, input, sprayer, createTestDevice(token))).resolves.toMatchObject({
      status: 'authenticated',
    });
  });
});
