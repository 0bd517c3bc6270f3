import { createMfaUser, createUser, totpAt } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, openApiTestbed } from '../../../test/api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

const PATH = '/api/user/mfa/recovery-codes';

/** A user with MFA and the token of a full login just now (password and code: fresh). */
async function freshMfaLogin() {
  const u = await createMfaUser(t.core, t.clock);
  const login = await t.request('POST', '/api/login', {
    body: { username: u.input.username, password: u.input.password },
  });
  const mfaToken = login.headers.get('x-mfa-token')!;
  const auth = await t.request('POST', '/api/user/mfa/auth', {
    body: { token: mfaToken, code: await totpAt(u.secret, t.clock.now()) },
  });
  expect(auth.status).toBe(200);
  return { ...u, token: ((await auth.json()) as { token: string }).token };
}

describe('GET and POST /api/user/mfa/recovery-codes', () => {
  it('count the unused codes and replace them all; the old ones stop working', async () => {
    const u = await freshMfaLogin();
    expect(await (await t.request('GET', PATH, { token: u.token })).json()).toEqual({
      unused: 6,
      low: false,
    });

    const regenerated = await t.request('POST', PATH, { token: u.token });
    expect(regenerated.status).toBe(200);
    const { recovery_codes } = (await regenerated.json()) as { recovery_codes: string[] };
    expect(recovery_codes).toHaveLength(6);

    const recover = (code: string) =>
      t.request('POST', '/api/user/mfa/recover', {
        body: { identifier: u.input.username, recovery_code: code },
      });
    expect((await recover(u.recoveryCodes[0]!)).status).toBe(401);
    let session = '';
    for (const code of recovery_codes.slice(0, 4)) {
      const recovered = await recover(code);
      expect(recovered.status).toBe(200);
      // Each recover ends the sessions before it: ask with the latest.
      session = ((await recovered.json()) as { token: string }).token;
    }
    expect(await (await t.request('GET', PATH, { token: session })).json()).toEqual({ unused: 2, low: true });
  });

  it('answer 401 without a session, 403 on a stale one, 400 without MFA; tRPC the same', async () => {
    expect((await t.request('GET', PATH)).status).toBe(401);
    expect((await t.request('POST', PATH)).status).toBe(401);
    const u = await freshMfaLogin();
    t.clock.advanceSeconds(16 * 60);
    const stale = await t.request('POST', PATH, { token: u.token });
    expect(stale.status).toBe(403);
    expect(await stale.json()).toMatchObject({ code: 'REAUTHENTICATION_REQUIRED' });
    await expect(t.caller(u.token).mfa.recoveryCodes.regenerate()).rejects.toMatchObject({
      cause: { code: 'REAUTHENTICATION_REQUIRED' },
    });

    const plain = await createUser(t.core);
    expect(await (await t.request('GET', PATH, { token: plain.auth.token })).json()).toEqual({
      unused: 0,
      low: false,
    });
    const noMfa = await t.request('POST', PATH, { token: plain.auth.token });
    expect(noMfa.status).toBe(400);
    expect(await noMfa.json()).toMatchObject({ code: 'MFA_NOT_ENABLED' });
  });
});
