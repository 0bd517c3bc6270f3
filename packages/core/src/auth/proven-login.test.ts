import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceTokens } from '../db/schema/index.js';
import { createTestCore, createTestDevice, createUser, type TestCore } from '../testing/index.js';
import { loginWithPassword } from './login.js';
import { MAX_DEVICE_TOKENS_PER_USER, PROVEN_LOGIN_TTL_SECONDS } from './proven-login.js';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.close());

const meta = { clientAddress: '192.0.2.10' };

describe('device tokens', () => {
  it('hands out a token once and keeps the one a client holds', async () => {
    const { input, auth } = await createUser(t.core);
    const browser = createTestDevice();
    await loginWithPassword(t.core, input, meta, browser);
    const first = browser.issued;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const again = createTestDevice(first);
    await loginWithPassword(t.core, input, meta, again);
    expect(again.issued).toBeUndefined();
    const stored = t.core.db.select().from(deviceTokens).where(eq(deviceTokens.userId, auth.id)).all();
    expect(stored).toHaveLength(1);
    // Only a keyed hash is stored.
    expect(stored[0]!.tokenHash).not.toBe(first);

    // Once expired, the next complete login replaces it.
    t.clock.advanceSeconds(PROVEN_LOGIN_TTL_SECONDS);
    await loginWithPassword(t.core, input, meta, again);
    expect(again.issued).toBeTypeOf('string');
    expect(t.core.db.select().from(deviceTokens).where(eq(deviceTokens.userId, auth.id)).all()).toHaveLength(
      1,
    );
  });

  it(`keeps at most ${MAX_DEVICE_TOKENS_PER_USER} per user, the newest`, async () => {
    const { input, auth } = await createUser(t.core);
    for (let i = 0; i < MAX_DEVICE_TOKENS_PER_USER + 3; i++) {
      const client = createTestDevice();
      await loginWithPassword(t.core, input, meta, client);
      t.clock.advanceSeconds(1);
    }
    const rows = t.core.db.select().from(deviceTokens).where(eq(deviceTokens.userId, auth.id)).all();
    expect(rows).toHaveLength(MAX_DEVICE_TOKENS_PER_USER);
  });
});
