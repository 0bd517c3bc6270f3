import { createUser } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, appCodeOf, openApiTestbed } from '../../test/api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

describe('user.update', () => {
  it('sets the name and recovery email and returns the profile', async () => {
    const { auth } = await createUser(t.core);
    const profile = await t
      .caller(auth.token)
      .user.update({ name: 'New Name', recovery_email: 'R@Example.test' });
    expect(profile).toMatchObject({ id: auth.id, name: 'New Name', recovery_email: 'r@example.test' });
    expect(profile).not.toHaveProperty('token');
  });

  it('refuses an empty, own, taken or malformed recovery email', async () => {
    const { auth } = await createUser(t.core);
    const other = await createUser(t.core);
    const caller = t.caller(auth.token);
    expect(await appCodeOf(caller.user.update({ recovery_email: auth.email }))).toBe('INVALID_INPUT');
    expect(await appCodeOf(caller.user.update({ recovery_email: other.auth.email }))).toBe('EMAIL_TAKEN');
    expect(await appCodeOf(caller.user.update({ recovery_email: 'not-an-email' }))).toBe('INVALID_INPUT');
    await caller.user.update({ recovery_email: 'set@example.test' });
    expect(await appCodeOf(caller.user.update({ recovery_email: '' }))).toBe('INVALID_INPUT');
    expect(await appCodeOf(t.caller().user.update({ name: 'x' }))).toBe('UNAUTHENTICATED');
  });
});

describe('user.securityEvents', () => {
  it('lists the caller’s events, newest first', async () => {
    const { auth } = await createUser(t.core);
    await t.caller(auth.token).user.update({ recovery_email: 'ev@example.test' });
    const { events } = await t.caller(auth.token).user.securityEvents();
    expect(events.map((e) => e.type)).toEqual(['recovery_email_changed', 'user_registered']);
    expect(events[0]).toMatchObject({ clientAddress: '127.0.0.1', createdAtMs: t.clock.now() });
  });
});
