import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMfaUser, createUser, openTestCore, type StoreTestCore } from '../testing/index.js';
import { listSecurityEvents, SECURITY_EVENTS_PAGE_SIZE } from './list.js';
import { recordSecurityEvent } from './record.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

describe('listSecurityEvents', () => {
  it('lists only the user’s own events, newest first, even within one millisecond', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await createUser(t.core);
    const types = (await listSecurityEvents(t.core, u.auth.id)).events.map((e) => e.type);
    expect(types).toEqual(['mfa_enabled', 'recovery_email_changed', 'user_registered']);
  });

  it('returns at most one page', async () => {
    const { auth } = await createUser(t.core);
    await t.core.store.transaction(async (tx) => {
      for (let i = 0; i < SECURITY_EVENTS_PAGE_SIZE + 5; i++) {
        await recordSecurityEvent(t.core, tx, auth.id, 'login_failed', {
          clientAddress: `10.0.0.${i % 250}`,
        });
      }
    });
    const { events } = await listSecurityEvents(t.core, auth.id);
    expect(events).toHaveLength(SECURITY_EVENTS_PAGE_SIZE);
    expect(events[0]).toMatchObject({
      type: 'login_failed',
      clientAddress: `10.0.0.${(SECURITY_EVENTS_PAGE_SIZE + 4) % 250}`,
    });
  });
});
