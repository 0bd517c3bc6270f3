import { createUser } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, openApiTestbed } from '../../../test/api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

describe('PATCH /api/users', () => {
  it('returns the profile; 400 for an invalid or emptied recovery email; 409 for another account’s', async () => {
    const { auth } = await createUser(t.core);
    const other = await createUser(t.core);
    const ok = await t.request('PATCH', '/api/users', {
      token: auth.token,
      body: { recovery_email: 'Rec@Example.test' },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: auth.id, recovery_email: 'rec@example.test' });
    for (const recovery_email of ['', 'nope', auth.email]) {
      const bad = await t.request('PATCH', '/api/users', { token: auth.token, body: { recovery_email } });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({
        code: 'INVALID_INPUT',
        fields: { recovery_email: expect.any(String) },
      });
    }
    const taken = await t.request('PATCH', '/api/users', {
      token: auth.token,
      body: { recovery_email: other.auth.email.toUpperCase() },
    });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ code: 'EMAIL_TAKEN' });
    expect((await t.request('PATCH', '/api/users', { body: { name: 'x' } })).status).toBe(401);
  });
});

describe('GET /api/user/security-events', () => {
  it('lists events newest first; 401 without a JWT', async () => {
    const { auth } = await createUser(t.core);
    const response = await t.request('GET', '/api/user/security-events', { token: auth.token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      events: [
        {
          id: expect.any(String),
          type: 'user_registered',
          clientAddress: '127.0.0.1',
          createdAtMs: t.clock.now(),
        },
      ],
    });
    expect((await t.request('GET', '/api/user/security-events')).status).toBe(401);
  });
});
