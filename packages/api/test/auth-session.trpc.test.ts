// `auth.session`: who is signed in, where "nobody" is an answer (null), never a 401.
import { buildRegisterInput } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, openApiTestbed } from './api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

describe('auth.session', () => {
  it('answers null without a session and for a token that is not one', async () => {
    expect(await t.caller().auth.session()).toBeNull();
    expect(await t.caller('not-a-jwt').auth.session()).toBeNull();
    const { token } = await t.caller().auth.register(buildRegisterInput());
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect(await t.caller(tampered).auth.session()).toBeNull();
  });

  it('answers the profile of a live session, as `me` does', async () => {
    const input = buildRegisterInput();
    const { token } = await t.caller().auth.register(input);
    const session = await t.caller(token).auth.session();
    expect(session).toEqual(await t.caller(token).auth.me());
    expect(session).toMatchObject({ user: input.username });
    expect(session).not.toHaveProperty('token');
  });

  it('answers null for a session ended by a password change', async () => {
    const input = buildRegisterInput();
    const { token } = await t.caller().auth.register(input);
    const changed = await t.caller(token).user.update({
      password: 'a brand new password 1',
      current_password: input.password,
    });
    expect(await t.caller(token).auth.session()).toBeNull();
    if (!('token' in changed)) throw new Error('a password change answers a UserAuth');
    expect(await t.caller(changed.token).auth.session()).toMatchObject({ user: input.username });
  });
});
