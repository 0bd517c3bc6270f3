import { TRPCError } from '@trpc/server';
import { buildRegisterInput } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, openApiTestbed } from './api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

describe('auth procedures', () => {
  it('register → login → me', async () => {
    const input = buildRegisterInput();
    const auth = await t.caller().auth.register(input);
    const login = await t.caller().auth.login({ username: input.email, password: input.password });
    expect(login).toMatchObject({ status: 'authenticated', auth: { id: auth.id } });
    const me = await t.caller(auth.token).auth.me();
    expect(me).toMatchObject({ id: auth.id, user: input.username });
    expect(me).not.toHaveProperty('token');
  });

  it('maps domain errors onto tRPC codes with the domain code as cause', async () => {
    const error = await t
      .caller()
      .auth.login({ username: 'nobody-at-all', password: 'whatever1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', cause: { code: 'INVALID_CREDENTIALS' } });
  });

  it('rejects invalid input as BAD_REQUEST with field reasons', async () => {
    const error = await t
      .caller()
      .auth.register({ ...buildRegisterInput(), username: 'no spaces allowed' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      cause: { code: 'INVALID_INPUT', fields: { username: expect.any(String) } },
    });
  });

  it('refuses me without a session', async () => {
    await expect(t.caller().auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
