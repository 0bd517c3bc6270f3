// Invariant: a string the store would look up or keep that carries U+0000 (PostgreSQL's text cannot hold it) is malformed input: 400 INVALID_INPUT on both stores, never a 500 from the store.
import { buildRegisterInput, createUser } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, appCodeOf, openApiTestbed } from './api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

const NUL = 'a\u0000b';
const codes = { main_email_code: 'ABCDE', recovery_email_code: 'FGHJK' };

describe('U+0000 in a string input', () => {
  it('is INVALID_INPUT wherever it would reach the store', async () => {
    const { auth } = await createUser(t.core);
    const anon = t.caller();
    const attempts: Promise<unknown>[] = [
      anon.auth.register(buildRegisterInput({ name: NUL })),
      anon.auth.login({ username: NUL, password: 'whatever1' }),
      anon.mfa.recover({ identifier: NUL, recovery_code: 'AAAAAAAAAAAAAAAA' }),
      anon.mfa.requestReset({ identifier: NUL }),
      anon.mfa.reset({ id: NUL, ...codes }),
      t.caller(auth.token).user.update({ name: NUL }),
      t.caller(auth.token).mfa.webauthn.update({ id: 'some-credential', name: NUL }),
    ];
    for (const attempt of attempts) expect(await appCodeOf(attempt)).toBe('INVALID_INPUT');
  });

  it('is a 400 on the REST path parameter of the reset link', async () => {
    const response = await t.request('PUT', '/api/user/mfa/reset/%00', { body: codes });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
