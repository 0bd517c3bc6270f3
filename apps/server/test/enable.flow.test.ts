import type { TUserAuth } from '@twofold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from './support/http.js';
import { generateMfa, type MfaGenerate, setRecoveryEmail } from './support/mfa.js';
import { startTestServer, type TestServer } from './support/server.js';
import { nextCode, totpAt, wrongTotpAt } from './support/totp.js';
import { trpcErrorOf } from './support/trpc-client.js';

const BASE32_160_BITS = /^[A-Z2-7]{32}$/;
const RECOVERY_CODE = /^[A-Z2-7]{16}$/;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A registered user with a recovery email, ready to enroll. */
async function readyUser() {
  const user = await registerAccount(server.url);
  await setRecoveryEmail(server.url, user.token, `rec-${user.username}@example.test`);
  return user;
}

const enableBody = (generated: MfaGenerate, code: string) => ({
  code,
  secret: generated.secret,
  recovery_codes: generated.recovery_codes,
});

describe('enable MFA over REST (seed MfaApi: generateMFA, enableMFA)', () => {
  it('generates a Key URI, a 160-bit secret and 6 recovery codes, and enables with a valid code', async () => {
    const auth = await readyUser();
    const generated = await generateMfa(server.url, auth.token);

    expect(generated.secret).toMatch(BASE32_160_BITS);
    expect(generated.recovery_codes).toHaveLength(6);
    for (const code of generated.recovery_codes) expect(code).toMatch(RECOVERY_CODE);
    expect(new Set(generated.recovery_codes).size).toBe(6);
    expect(generated.link).toBe(
      `otpauth://totp/Twofold:${encodeURIComponent(auth.username)}?secret=${generated.secret}` +
        '&issuer=Twofold&algorithm=SHA1&digits=6&period=30',
    );

    const enabled = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: enableBody(generated, await nextCode(generated.secret, server.clock)),
    });
    expect(enabled.status).toBe(200);
    expect(enabled.text).toBe('');

    // Enable keeps existing sessions, and the account now says MFA is on.
    const me = await request<TUserAuth>(server.url, 'GET', '/api/auth/user', { token: auth.token });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: auth.id, mfa: true });
    expect((await server.mail()).some((m) => m.kind === 'mfa-enabled' && m.to === auth.email)).toBe(true);

    const events = await request<{ events: { type: string; clientAddress: string | null }[] }>(
      server.url,
      'GET',
      '/api/user/security-events',
      { token: auth.token },
    );
    expect(events.status).toBe(200);
    // Newest first: enabling MFA is the last thing that happened to this account.
    expect(events.json.events[0]).toMatchObject({ type: 'mfa_enabled', clientAddress: '127.0.0.1' });
    expect(events.json.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['user_registered', 'recovery_email_changed', 'mfa_enabled']),
    );
  });

  it('accepts the codes of the previous and the next time step, not two steps away', async () => {
    const auth = await readyUser();
    const generated = await generateMfa(server.url, auth.token);
    const now = server.clock.now();
    for (const offset of [-2, 2]) {
      const refused = await request(server.url, 'PUT', '/api/user/mfa/enable', {
        token: auth.token,
        body: enableBody(generated, await totpAt(generated.secret, now, offset)),
      });
      expect(refused.status).toBe(403);
    }
    const accepted = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: enableBody(generated, await totpAt(generated.secret, now, -1)),
    });
    expect(accepted.status).toBe(200);

    const other = await readyUser();
    const next = await generateMfa(server.url, other.token);
    const ahead = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: other.token,
      body: enableBody(next, await totpAt(next.secret, server.clock.now(), 1)),
    });
    expect(ahead.status).toBe(200);
  });

  it('refuses a wrong code with 403 (never 401: the session is fine) and leaves MFA off', async () => {
    const auth = await readyUser();
    const generated = await generateMfa(server.url, auth.token);
    const refused = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: enableBody(generated, await wrongTotpAt(generated.secret, server.clock.now())),
    });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ code: 'PROOF_REJECTED' });
    const me = await request<TUserAuth>(server.url, 'GET', '/api/auth/user', { token: auth.token });
    expect(me.json.mfa).toBe(false);
  });

  it('takes only the newest pending enrollment, for 15 minutes', async () => {
    const auth = await readyUser();
    const first = await generateMfa(server.url, auth.token);
    const second = await generateMfa(server.url, auth.token);
    expect(second.secret).not.toBe(first.secret);

    const stale = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: enableBody(first, await nextCode(first.secret, server.clock)),
    });
    expect(stale.status).toBe(400);

    // Same secret, other codes: the codes must be the enrollment's too.
    const forged = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: {
        ...enableBody(second, await nextCode(second.secret, server.clock)),
        recovery_codes: first.recovery_codes,
      },
    });
    expect(forged.status).toBe(400);

    server.clock.advanceSeconds(15 * 60 + 1);
    const expired = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: enableBody(second, await totpAt(second.secret, server.clock.now())),
    });
    expect(expired.status).toBe(400);
  });

  it('checks in contract order: JWT, body, already on, recovery email, enrollment, code', async () => {
    const noJwt = await request(server.url, 'PUT', '/api/user/mfa/enable', { body: { nonsense: true } });
    expect(noJwt.status).toBe(401);

    const auth = await registerAccount(server.url);
    const malformed = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: { code: 7 },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ code: 'INVALID_INPUT', fields: expect.any(Object) });

    const generated = await generateMfa(server.url, auth.token);
    const noRecoveryEmail = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: enableBody(generated, await nextCode(generated.secret, server.clock)),
    });
    expect(noRecoveryEmail.status).toBe(400);
    expect(noRecoveryEmail.json).toMatchObject({ fields: { recovery_email: expect.any(String) } });

    await setRecoveryEmail(server.url, auth.token, `r.${auth.email}`);
    const mismatchAndWrongCode = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: { ...enableBody(generated, '000000'), secret: 'A'.repeat(32) },
    });
    expect(mismatchAndWrongCode.status).toBe(400);

    const enabled = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: enableBody(generated, await nextCode(generated.secret, server.clock)),
    });
    expect(enabled.status).toBe(200);

    const again = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: auth.token,
      body: enableBody(generated, await nextCode(generated.secret, server.clock)),
    });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ code: 'MFA_ALREADY_ENABLED' });
    const regenerate = await request(server.url, 'GET', '/api/user/mfa/generate', { token: auth.token });
    expect(regenerate.status).toBe(409);
  });
});

describe('enable MFA over tRPC', () => {
  it('runs the same flow with typed results and typed errors', async () => {
    const auth = await readyUser();
    const client = server.trpc(auth.token);
    const generated = await client.mfa.generate.mutate();
    expect(generated.secret).toMatch(BASE32_160_BITS);
    expect(generated.recovery_codes).toHaveLength(6);

    const wrong = await trpcErrorOf(
      client.mfa.enable.mutate(
        enableBody(generated, await wrongTotpAt(generated.secret, server.clock.now())),
      ),
    );
    expect(wrong).toMatchObject({ code: 'FORBIDDEN', appCode: 'PROOF_REJECTED', httpStatus: 403 });

    const malformed = await trpcErrorOf(client.mfa.enable.mutate({ code: 1 } as never));
    expect(malformed).toMatchObject({ code: 'BAD_REQUEST', appCode: 'INVALID_INPUT' });
    expect(Object.keys(malformed.fields ?? {})).toEqual(expect.arrayContaining(['code']));

    await client.mfa.enable.mutate(enableBody(generated, await nextCode(generated.secret, server.clock)));
    expect((await client.auth.me.query()).mfa).toBe(true);

    const conflict = await trpcErrorOf(client.mfa.generate.mutate());
    expect(conflict).toMatchObject({ code: 'CONFLICT', appCode: 'MFA_ALREADY_ENABLED' });
    const anonymous = await trpcErrorOf(server.trpc().mfa.generate.mutate());
    expect(anonymous).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED' });
  });
});
