import { createMfaUser, createUser, latestResetCode, totpAt } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, openApiTestbed } from '../../../test/api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ code, message: expect.any(String) });
}

async function expectEmpty200(response: Response) {
  expect(response.status).toBe(200);
  expect(await response.text()).toBe('');
}

describe('GET /api/user/mfa/generate and PUT /api/user/mfa/enable', () => {
  it('enroll with 200 and an empty body, then 409', async () => {
    const { auth } = await createUser(t.core);
    const patched = await t.request('PATCH', '/api/users', {
      token: auth.token,
      body: { recovery_email: `r-${auth.user}@example.test` },
    });
    expect(patched.status).toBe(200);
    const generated = await t.request('GET', '/api/user/mfa/generate', { token: auth.token });
    expect(generated.status).toBe(200);
    const g = (await generated.json()) as { link: string; secret: string; recovery_codes: string[] };
    expect(g.link).toMatch(/^otpauth:\/\/totp\/Twofold:/);
    const body = {
      code: await totpAt(g.secret, t.clock.now()),
      secret: g.secret,
      recovery_codes: g.recovery_codes,
    };
    await expectEmpty200(await t.request('PUT', '/api/user/mfa/enable', { token: auth.token, body }));
    await expectError(
      await t.request('PUT', '/api/user/mfa/enable', { token: auth.token, body }),
      409,
      'MFA_ALREADY_ENABLED',
    );
    await expectError(
      await t.request('GET', '/api/user/mfa/generate', { token: auth.token }),
      409,
      'MFA_ALREADY_ENABLED',
    );
  });

  it('answer 401 without a JWT, 400 for a malformed body or no recovery email, 400 mismatch, 403 wrong code', async () => {
    const { auth } = await createUser(t.core);
    await expectError(await t.request('GET', '/api/user/mfa/generate'), 401, 'UNAUTHENTICATED');
    await expectError(await t.request('PUT', '/api/user/mfa/enable', { body: {} }), 401, 'UNAUTHENTICATED');
    const g = (await (await t.request('GET', '/api/user/mfa/generate', { token: auth.token })).json()) as {
      secret: string;
      recovery_codes: string[];
    };
    const body = { code: '000000', secret: g.secret, recovery_codes: g.recovery_codes };
    const malformed = await t.request('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: { code: 1 },
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      code: 'INVALID_INPUT',
      fields: { code: expect.any(String) },
    });
    await expectError(
      await t.request('PUT', '/api/user/mfa/enable', { token: auth.token, rawBody: '{nope' }),
      400,
      'INVALID_INPUT',
    );
    const noRecovery = await t.request('PUT', '/api/user/mfa/enable', { token: auth.token, body });
    expect(noRecovery.status).toBe(400);
    expect(await noRecovery.json()).toMatchObject({
      code: 'RECOVERY_EMAIL_REQUIRED',
      fields: { recovery_email: expect.any(String) },
    });
    await t.request('PATCH', '/api/users', {
      token: auth.token,
      body: { recovery_email: 'rr@example.test' },
    });
    await expectError(
      await t.request('PUT', '/api/user/mfa/enable', {
        token: auth.token,
        body: { ...body, secret: 'AAAAAAAA' },
      }),
      400,
      'ENROLLMENT_MISMATCH',
    );
    await expectError(
      await t.request('PUT', '/api/user/mfa/enable', { token: auth.token, body }),
      403,
      'PROOF_REJECTED',
    );
  });
});

describe('POST /api/user/mfa/auth', () => {
  it('turns the X-MFA-Token and a code into a UserAuth; 401 otherwise', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const login = await t.request('POST', '/api/login', {
      body: { username: u.input.username, password: u.input.password },
    });
    expect(login.status).toBe(401);
    const token = login.headers.get('x-mfa-token')!;
    await expectError(
      await t.request('POST', '/api/user/mfa/auth', { body: { token, code: '000000' } }),
      401,
      'INVALID_CODE',
    );
    await expectError(
      await t.request('POST', '/api/user/mfa/auth', { body: { token } }),
      400,
      'INVALID_INPUT',
    );
    const code = await totpAt(u.secret, t.clock.now());
    const ok = await t.request('POST', '/api/user/mfa/auth', { body: { token, code } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      id: u.auth.id,
      user: u.input.username,
      mfa: true,
      token: expect.any(String),
    });
    await expectError(
      await t.request('POST', '/api/user/mfa/auth', { body: { token, code } }),
      401,
      'INVALID_MFA_TOKEN',
    );
  });
});

describe('POST /api/user/mfa/recover (and /recovery)', () => {
  it.each(['/api/user/mfa/recover', '/api/user/mfa/recovery'])(
    '%s logs in with X-Expires-At',
    async (path) => {
      const u = await createMfaUser(t.core, t.clock);
      const response = await t.request('POST', path, {
        body: { identifier: u.input.username, recovery_code: u.recoveryCodes[0] },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-expires-at')).toBe(String(Math.floor(t.clock.now() / 1000) + 600));
      expect(await response.json()).toMatchObject({ id: u.auth.id, token: expect.any(String) });
      await expectError(
        await t.request('POST', path, {
          body: { identifier: u.input.username, recovery_code: u.recoveryCodes[0] },
        }),
        401,
        'INVALID_CODE',
      );
      await expectError(
        await t.request('POST', path, { body: { identifier: u.input.username } }),
        400,
        'INVALID_INPUT',
      );
      await expectError(
        await t.request('GET', '/api/auth/user', { token: u.auth.token }),
        401,
        'UNAUTHENTICATED',
      );
    },
  );
});

describe('PUT /api/user/mfa/disable and /api/user/mfa/recovery/disable', () => {
  it('disable with a code: 200 empty; then 400 as MFA is off', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await expectError(
      await t.request('PUT', '/api/user/mfa/disable', { token: u.auth.token, body: { code: '000000' } }),
      403,
      'PROOF_REJECTED',
    );
    const code = await totpAt(u.secret, t.clock.now());
    await expectEmpty200(
      await t.request('PUT', '/api/user/mfa/disable', { token: u.auth.token, body: { code } }),
    );
    await expectError(
      await t.request('PUT', '/api/user/mfa/disable', { token: u.auth.token, body: {} }),
      400,
      'MFA_NOT_ENABLED',
    );
  });

  it('disable with a recovery code (consumed)', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await expectEmpty200(
      await t.request('PUT', '/api/user/mfa/disable', {
        token: u.auth.token,
        body: { recovery_code: u.recoveryCodes[2] },
      }),
    );
  });

  it('the no-body alias works inside the recovery window only', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await expectError(
      await t.request('PUT', '/api/user/mfa/recovery/disable', { token: u.auth.token }),
      403,
      'PROOF_REJECTED',
    );
    const recovered = await t.request('POST', '/api/user/mfa/recover', {
      body: { identifier: u.input.email, recovery_code: u.recoveryCodes[1] },
    });
    const { token } = (await recovered.json()) as { token: string };
    await expectError(await t.request('PUT', '/api/user/mfa/recovery/disable'), 401, 'UNAUTHENTICATED');
    await expectEmpty200(await t.request('PUT', '/api/user/mfa/recovery/disable', { token }));
  });

  it('an empty body on /disable is the `{}` proof', async () => {
    const u = await createMfaUser(t.core, t.clock);
    await expectError(
      await t.request('PUT', '/api/user/mfa/disable', { token: u.auth.token }),
      403,
      'PROOF_REJECTED',
    );
  });
});

describe('POST /api/user/mfa/reset and PUT /api/user/mfa/reset/{user-id}', () => {
  it('reset by the token or by the user id from the link', async () => {
    for (const by of ['token', 'user id'] as const) {
      const u = await createMfaUser(t.core, t.clock);
      const requested = await t.request('POST', '/api/user/mfa/reset', {
        body: { identifier: u.input.email },
      });
      expect(requested.status).toBe(200);
      const { token } = (await requested.json()) as { token: string };
      const id = by === 'token' ? token : u.auth.id;
      const body = {
        main_email_code: await latestResetCode(t.core, u.input.email),
        recovery_email_code: await latestResetCode(t.core, u.recoveryEmail),
      };
      const wrong = { main_email_code: body.recovery_email_code, recovery_email_code: body.main_email_code };
      await expectError(
        await t.request('PUT', `/api/user/mfa/reset/${id}`, { body: wrong }),
        401,
        'INVALID_CODE',
      );
      const done = await t.request('PUT', `/api/user/mfa/reset/${id}`, { body });
      expect(done.status).toBe(200);
      expect(await done.json()).toMatchObject({ id: u.auth.id, mfa: false, token: expect.any(String) });
      await expectError(await t.request('PUT', `/api/user/mfa/reset/${id}`, { body }), 401, 'INVALID_CODE');
    }
  });

  it('401 for an unknown id (like wrong codes), 400 for a malformed body, 200 for any well-formed request', async () => {
    const body = { main_email_code: 'ABCDE', recovery_email_code: 'FGHJK' };
    await expectError(
      await t.request('PUT', `/api/user/mfa/reset/${crypto.randomUUID()}`, { body }),
      401,
      'INVALID_CODE',
    );
    await expectError(
      await t.request('PUT', `/api/user/mfa/reset/${crypto.randomUUID()}`, {
        body: { main_email_code: 'A' },
      }),
      400,
      'INVALID_INPUT',
    );
    const unknown = await t.request('POST', '/api/user/mfa/reset', { body: { identifier: 'nobody-at-all' } });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ token: expect.any(String) });
    await expectError(
      await t.request('POST', '/api/user/mfa/reset', { body: { identifier: 7 } }),
      400,
      'INVALID_INPUT',
    );
  });
});

describe('429 on second-factor routes', () => {
  it('after 10 failures, with Retry-After and X-Account-Lockout; the 10th is still 403', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const guess = () =>
      t.request('PUT', '/api/user/mfa/disable', { token: u.auth.token, body: { code: '000000' } });
    for (let i = 0; i < 10; i++) expect((await guess()).status).toBe(403);
    const locked = await t.request('PUT', '/api/user/mfa/disable', {
      token: u.auth.token,
      body: { code: await totpAt(u.secret, t.clock.now()) },
    });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('60');
    expect(locked.headers.get('x-account-lockout')).toBe(String(Math.floor(t.clock.now() / 1000) + 60));
    expect(await locked.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    // The password step still answers with an MFA token.
    const login = await t.request('POST', '/api/login', {
      body: { username: u.input.username, password: u.input.password },
    });
    expect(login.status).toBe(401);
    expect(login.headers.get('x-mfa-token')).toEqual(expect.any(String));
  });

  it('recover: after 10 failures of one identifier from one address, with the same headers', async () => {
    const u = await createMfaUser(t.core, t.clock);
    const guess = (recovery_code: string) =>
      t.request('POST', '/api/user/mfa/recover', { body: { identifier: u.input.username, recovery_code } });
    for (let i = 0; i < 10; i++) expect((await guess('AAAAAAAAAAAAAAAA')).status).toBe(401);
    const locked = await guess(u.recoveryCodes[0]!);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('60');
    expect(locked.headers.get('x-account-lockout')).toBe(String(Math.floor(t.clock.now() / 1000) + 60));
  });
});
