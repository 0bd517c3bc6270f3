// `auth.session`: who is signed in, where "nobody" is an answer (null), never a 401.
import { buildRegisterInput, openTestCore, type StoreTestCore } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaller } from '../src/router.js';

let t: StoreTestCore;
beforeEach(async () => {
  t = await openTestCore();
});
afterEach(() => t.close());

const callerFor = (sessionToken?: string) =>
  createCaller({ core: t.core, meta: { clientAddress: '127.0.0.1' }, sessionToken });

describe('auth.session', () => {
  it('answers null without a session and for a token that is not one', async () => {
    expect(await callerFor().auth.session()).toBeNull();
    expect(await callerFor('not-a-jwt').auth.session()).toBeNull();
    const { token } = await callerFor().auth.register(buildRegisterInput());
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect(await callerFor(tampered).auth.session()).toBeNull();
  });

  it('answers the profile of a live session, as `me` does', async () => {
    const input = buildRegisterInput();
    const { token } = await callerFor().auth.register(input);
    const session = await callerFor(token).auth.session();
    expect(session).toEqual(await callerFor(token).auth.me());
    expect(session).toMatchObject({ user: input.username });
    expect(session).not.toHaveProperty('token');
  });

  it('answers null for a session ended by a password change', async () => {
    const input = buildRegisterInput();
    const { token } = await callerFor().auth.register(input);
    const changed = await callerFor(token).user.update({
      password: 'a brand new password 1',
      current_password: input.password,
    });
    expect(await callerFor(token).auth.session()).toBeNull();
    if (!('token' in changed)) throw new Error('a password change answers a UserAuth');
    expect(await callerFor(changed.token).auth.session()).toMatchObject({ user: input.username });
  });
});
