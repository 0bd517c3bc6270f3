// Invariant: an admin key authenticates only while it exists, its secret matches and it has not expired, and only for its scopes; the secret is never stored, and every refusal looks the same.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../auth/login.js';
import { createUser, openTestCore, type StoreTestCore, TEST_META, testSql } from '../testing/index.js';
import { clearLockoutsForAdmin, listUserEventsForAdmin } from './actions.js';
import { authenticateAdminKey, createAdminKey, listAdminKeys, revokeAdminKey } from './keys.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const refusal = { code: 'UNAUTHENTICATED' };

describe('admin keys', () => {
  it('stores only a hash, authenticates the exact key, and refuses every near miss alike', async () => {
    const { key, adminKey } = await createAdminKey(t.core, { name: 'ops', scopes: ['users:read'] });
    const rows = await testSql(t.core).all<Record<string, unknown>>('SELECT * FROM admin_keys');
    expect(JSON.stringify(rows)).not.toContain(key.slice(-43));
    expect((await authenticateAdminKey(t.core, key, 'users:read')).id).toBe(adminKey.id);
    const secret = key.slice(-43);
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (const presented of [
      undefined,
      '',
      'tfa_',
      key.toUpperCase(),
      `${key} `,
      `tfa_${adminKey.id}_${flipped}`,
      `tfa_${'f'.repeat(16)}_${secret}`,
    ]) {
      await expect(authenticateAdminKey(t.core, presented, 'users:read')).rejects.toMatchObject(refusal);
    }
  });

  it('refuses a key outside its scopes with INSUFFICIENT_SCOPE, an expired or revoked one with UNAUTHENTICATED', async () => {
    const { key } = await createAdminKey(t.core, {
      name: 'short',
      scopes: ['users:read'],
      expiresAtMs: t.clock.now() + 60_000,
    });
    await expect(authenticateAdminKey(t.core, key, 'lockouts:write')).rejects.toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
    });
    t.clock.advanceSeconds(60);
    await expect(authenticateAdminKey(t.core, key, 'users:read')).rejects.toMatchObject(refusal);

    const other = await createAdminKey(t.core, { name: 'gone', scopes: ['users:read'] });
    expect(await revokeAdminKey(t.core, other.adminKey.id)).toBe(true);
    await expect(authenticateAdminKey(t.core, other.key, 'users:read')).rejects.toMatchObject(refusal);
    expect((await listAdminKeys(t.core)).map((listed) => listed.name)).toEqual(['short']);
  });

  it('clears the password locks of every address and records the action with the key', async () => {
    const { input, auth } = await createUser(t.core);
    for (const clientAddress of ['192.0.2.1', '192.0.2.2']) {
      for (let i = 0; i < 5; i += 1) {
        await expect(
          loginWithPassword(
            t.core,
            { username: input.username, password: 'wrong password' },
            { clientAddress },
          ),
        ).rejects.toThrow();
      }
    }
    const { adminKey } = await createAdminKey(t.core, { name: 'ops', scopes: ['lockouts:write'] });
    const actor = { key: adminKey, meta: TEST_META };
    expect(await clearLockoutsForAdmin(t.core, actor, auth.id)).toEqual({ cleared: 2 });
    const login = await loginWithPassword(
      t.core,
      { username: input.username, password: input.password },
      { clientAddress: '192.0.2.1' },
    );
    expect(login.status).toBe('authenticated');
    const { events } = await listUserEventsForAdmin(t.core, actor, input.username);
    expect(events.filter((event) => event.adminKeyId === adminKey.id).map((event) => event.type)).toEqual([
      'admin_events_viewed',
      'admin_lockouts_cleared',
    ]);
  });
});
