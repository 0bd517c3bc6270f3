// Invariant: every single-use thing — an accepted TOTP step, an MFA token, a recovery code, a recovery window, a reset request, a pending enrollment — is accepted once: a second use is refused, and 50 parallel uses give exactly one success.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpResult, registerAccount, request } from '../support/http.js';
import {
  createMfaUser,
  knownKeys,
  loginWithTotp,
  mfaTokenOf,
  openMailbox,
  reauthToken,
} from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeNow, nextCode } from '../support/totp.js';

const PARALLEL = 50;
const clock = new ManualClock(Date.now());
const keys = knownKeys();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock, env: keys });
});
afterAll(() => server.close());

const fresh = async (tag: string) => createMfaUser(server.url, clock, await registerAccount(server.url, tag));
const ok = (results: HttpResult[]) => results.filter((r) => r.status === 200).length;
const parallel = (n: number, fn: (i: number) => Promise<HttpResult>) =>
  Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

describe('replay, one at a time', () => {
  it('an accepted TOTP step is refused again on auth (new token) and on disable', async () => {
    const user = await fresh('rt');
    clock.advanceSeconds(30);
    const code = await codeNow(user.secret, clock);
    const first = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: await mfaTokenOf(server.url, user), code },
    });
    expect(first.status).toBe(200);
    const again = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: await mfaTokenOf(server.url, user), code },
    });
    expect(again.status).toBe(401);
    const disable = await request(server.url, 'PUT', '/api/user/mfa/disable', {
      token: (first.json as { token: string }).token,
      body: { code },
    });
    expect(disable.status).toBe(403);
  });

  it('the code that confirmed enable is refused at the next login', async () => {
    const account = await registerAccount(server.url, 're');
    const user = await createMfaUser(server.url, clock, account);
    const res = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: await mfaTokenOf(server.url, user), code: await codeNow(user.secret, clock) },
    });
    expect(res.status).toBe(401);
  });

  it('an MFA token works once', async () => {
    const user = await fresh('rm');
    const token = await mfaTokenOf(server.url, user);
    expect(
      (
        await request(server.url, 'POST', '/api/user/mfa/auth', {
          body: { token, code: await nextCode(user.secret, clock) },
        })
      ).status,
    ).toBe(200);
    const again = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token, code: await nextCode(user.secret, clock) },
    });
    expect(again.status).toBe(401);
    expect(again.json).toMatchObject({ code: 'INVALID_MFA_TOKEN' });
  });

  it('a recovery code works once, on /recover and its /recovery alias alike', async () => {
    const user = await fresh('rr');
    const body = { identifier: user.username, recovery_code: user.recoveryCodes[0] };
    expect((await request(server.url, 'POST', '/api/user/mfa/recover', { body })).status).toBe(200);
    expect((await request(server.url, 'POST', '/api/user/mfa/recover', { body })).status).toBe(401);
    expect((await request(server.url, 'POST', '/api/user/mfa/recovery', { body })).status).toBe(401);
    // Spelled differently (lowercase, no dashes) it is still the same used code.
    const respelled = {
      identifier: user.email,
      recovery_code: user.recoveryCodes[0]!.toLowerCase().replace(/-/g, ''),
    };
    expect((await request(server.url, 'POST', '/api/user/mfa/recovery', { body: respelled })).status).toBe(
      401,
    );
  });

  it('a recovery window disables once', async () => {
    const user = await fresh('rw');
    const recovered = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: user.username, recovery_code: user.recoveryCodes[1] },
    });
    const session = (recovered.json as { token: string }).token;
    expect(
      (await request(server.url, 'PUT', '/api/user/mfa/recovery/disable', { token: session })).status,
    ).toBe(200);
    // MFA on again (the recovered session proves the password first): the used window must
    // not disable it a second time.
    const proven = await reauthToken(server.url, { ...user, token: session, secret: undefined }, clock);
    const again = await createMfaUser(server.url, clock, { ...user, token: proven });
    expect(
      (await request(server.url, 'PUT', '/api/user/mfa/disable', { token: again.token, body: {} })).status,
    ).toBe(403);
    expect(
      (await request(server.url, 'PUT', '/api/user/mfa/recovery/disable', { token: again.token })).status,
    ).toBe(403);
  });

  it('a reset request completes once', async () => {
    const user = await fresh('rq');
    const { token } = (
      await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: user.username } })
    ).json as {
      token: string;
    };
    const codes = await openMailbox(server, keys).resetCodes(user);
    expect((await request(server.url, 'PUT', `/api/user/mfa/reset/${token}`, { body: codes })).status).toBe(
      200,
    );
    expect((await request(server.url, 'PUT', `/api/user/mfa/reset/${token}`, { body: codes })).status).toBe(
      401,
    );
    expect((await request(server.url, 'PUT', `/api/user/mfa/reset/${user.id}`, { body: codes })).status).toBe(
      401,
    );
  });
});

describe(`replay races: ${PARALLEL} parallel uses, exactly one success`, () => {
  it('one MFA token and one code', async () => {
    const user = await fresh('xa');
    const token = await mfaTokenOf(server.url, user);
    const code = await nextCode(user.secret, clock);
    const results = await parallel(PARALLEL, () =>
      request(server.url, 'POST', '/api/user/mfa/auth', { body: { token, code } }),
    );
    expect(ok(results)).toBe(1);
    expect(results.every((r) => r.status === 200 || r.status === 401)).toBe(true);
  });

  it('one TOTP code over many MFA tokens', async () => {
    const user = await fresh('xt');
    const tokens = await Promise.all(Array.from({ length: 10 }, () => mfaTokenOf(server.url, user)));
    const code = await nextCode(user.secret, clock);
    const results = await parallel(tokens.length, (i) =>
      request(server.url, 'POST', '/api/user/mfa/auth', { body: { token: tokens[i], code } }),
    );
    expect(ok(results)).toBe(1);
  });

  it('one recovery code', async () => {
    const user = await fresh('xr');
    const results = await parallel(PARALLEL, (i) =>
      request(server.url, 'POST', i % 2 ? '/api/user/mfa/recover' : '/api/user/mfa/recovery', {
        body: { identifier: user.username, recovery_code: user.recoveryCodes[3] },
      }),
    );
    expect(ok(results)).toBe(1);
  });

  it('one recovery window', async () => {
    const user = await fresh('xw');
    const recovered = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: user.username, recovery_code: user.recoveryCodes[4] },
    });
    const session = (recovered.json as { token: string }).token;
    const results = await parallel(PARALLEL, (i) =>
      i % 2
        ? request(server.url, 'PUT', '/api/user/mfa/recovery/disable', { token: session })
        : request(server.url, 'PUT', '/api/user/mfa/disable', { token: session, body: {} }),
    );
    expect(ok(results)).toBe(1);
  });

  it('one reset request', async () => {
    const user = await fresh('xq');
    const { token } = (
      await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: user.email } })
    ).json as {
      token: string;
    };
    const codes = await openMailbox(server, keys).resetCodes(user);
    const results = await parallel(PARALLEL, (i) =>
      request(server.url, 'PUT', `/api/user/mfa/reset/${i % 2 ? token : user.id}`, { body: codes }),
    );
    expect(ok(results)).toBe(1);
  });

  it('one pending enrollment', async () => {
    const account = await registerAccount(server.url, 'xe');
    await request(server.url, 'PATCH', '/api/users', {
      token: account.token,
      body: { recovery_email: `r-${account.username}@example.test` },
    });
    const generated = (await request(server.url, 'GET', '/api/user/mfa/generate', { token: account.token }))
      .json as {
      secret: string;
      recovery_codes: string[];
    };
    const body = {
      code: await codeNow(generated.secret, clock),
      secret: generated.secret,
      recovery_codes: generated.recovery_codes,
    };
    const results = await parallel(PARALLEL, () =>
      request(server.url, 'PUT', '/api/user/mfa/enable', { token: account.token, body }),
    );
    expect(ok(results)).toBe(1);
  });

  it('one TOTP step on disable', async () => {
    const user = await fresh('xd');
    const session = await loginWithTotp(server.url, user, clock);
    const code = await nextCode(user.secret, clock);
    const results = await parallel(PARALLEL, () =>
      request(server.url, 'PUT', '/api/user/mfa/disable', { token: session, body: { code } }),
    );
    expect(ok(results)).toBe(1);
  });
});
