import { TRPCError } from '@trpc/server';
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

describe('auth procedures', () => {
  it('register → login → me', async () => {
    const input = buildRegisterInput();
    const auth = await callerFor().auth.register(input);
    const login = await callerFor().auth.login({ username: input.email, password: input.password });
    expect(login).toMatchObject({ status: 'authenticated', auth: { id: auth.id } });
    const me = await callerFor(auth.token).auth.me();
    expect(me).toMatchObject({ id: auth.id, user: input.username });
    expect(me).not.toHaveProperty('token');
  });

  it('maps domain errors onto tRPC codes with the domain code as cause', async () => {
    const error = await callerFor()
      .auth.login({ username: 'nobody-at-all', password: 'whatever1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', cause: { code: 'INVALID_CREDENTIALS' } });
  });

  it('rejects invalid input as BAD_REQUEST with field reasons', async () => {
    const error = await callerFor()
      .auth.register({ ...buildRegisterInput(), username: 'no spaces allowed' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      cause: { code: 'INVALID_INPUT', fields: { username: expect.any(String) } },
    });
  });

  it('refuses me without a session', async () => {
    await expect(callerFor().auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
