import type { TUserAuth } from '@twofold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateMfa,
  type MfaGenerate,
  nextTotp,
  recoveryEmailOf,
  registerUser,
  setRecoveryEmail,
} from './support/contract/flows.js';
import { startTestServer, type TestServer } from './support/contract/test-server.js';
import { totpAt, wrongTotpAt } from './support/contract/totp.js';
import { trpcErrorOf } from './support/contract/trpc-client.js';

const BASE32_160_BITS = /^[A-Z2-7]{32}$/;
const RECOVERY_CODE = /^[A-Z2-7]{16}$/;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A registered user with a recovery email, ready to enroll. */
async function readyUser() {
  const user = await registerUser(server);
  await setRecoveryEmail(server, user.auth.token, recoveryEmailOf(user.input));
  return user;
}

const enableBody = (generated: MfaGenerate, code: string) => ({
  code,
  secret: generated.secret,
  recovery_codes: generated.recovery_codes,
});

describe('enable MFA over REST (seed MfaApi: generateMFA, enableMFA)', () => {
  it('generates a Key URI, a 160-bit secret and 6 recovery codes, and enables with a valid code', async () => {
    const { input, auth } = await readyUser();
    const generated = await generateMfa(server, auth.token);

    expect(generated.secret).toMatch(BASE32_160_BITS);
    expect(generated.recovery_codes).toHaveLength(6);
    for (const code of generated.recovery_codes) expect(code).toMatch(RECOVERY_CODE);
    expect(new Set(generated.recovery_codes).size).toBe(6);
    expect(generated.link).toBe(
      `otpauth://totp/Twofold:${encodeURIComponent(input.username)}?secret=${generated.secret}` +
        '&issuer=Twofold&algorithm=SHA1&digits=6&period=30',
    );

    const enabled = await server.rest('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      json: enableBody(generated, await nextTotp(server, generated.secret)),
    });
    expect(enabled.status).toBe(200);
    expect(enabled.text).toBe('');

    // Enable keeps existing sessions, and the account now says MFA is on.
    const me = await server.rest<TUserAuth>('GET', '/api/auth/user', { token: auth.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: auth.id, mfa: true });
    expect((await server.mail()).some((m) => m.kind === 'mfa-enabled' && m.to === input.email)).toBe(true);

    const events = await server.rest<{ events: { type: string; clientAddress: string | null }[] }>(
      'GET',
      '/api/user/security-events',
      { token: auth.token },
    );
    expect(events.status).toBe(200);
    // Newest first: enabling MFA is the last thing that happened to this account.
    expect(events.body.events[0]).toMatchObject({ type: 'mfa_enabled', clientAddress: '127.0.0.1' });
    expect(events.body.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['user_registered', 'recovery_email_changed', 'mfa_enabled']),
    );
  });

  it('accepts the codes of the previous and the next time step, not two steps away', async () => {
    const { auth } = await readyUser();
    const generated = await generateMfa(server, auth.token);
    const now = server.clock.now();
    for (const offset of [-2, 2]) {
      const refused = await server.rest('PUT', '/api/user/mfa/enable', {
        token: auth.token,
        json: enableBody(generated, await totpAt(generated.secret, now, offset)),
      });
      expect(refused.status).toBe(403);
    }
    const accepted = await server.rest('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      json: enableBody(generated, await totpAt(generated.secret, now, -1)),
    });
    expect(accepted.status).toBe(200);

    const other = await readyUser();
    const next = await generateMfa(server, other.auth.token);
    const ahead = await server.rest('PUT', '/api/user/mfa/enable', {
      token: other.auth.token,
      json: enableBody(next, await totpAt(next.secret, server.clock.now(), 1)),
    });
    expect(ahead.status).toBe(200);
  });

  it('refuses a wrong code with 403 (never 401: the session is fine) and leaves MFA off', async () => {
    const { auth } = await readyUser();
    const generated = await generateMfa(server, auth.token);
    const refused = await server.rest('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      json: enableBody(generated, await wrongTotpAt(generated.secret, server.clock.now())),
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'PROOF_REJECTED' });
    const me = await server.rest<TUserAuth>('GET', '/api/auth/user', { token: auth.token });
    expect(me.body.mfa).toBe(false);
  });

  it('takes only the newest pending enrollment, for 15 minutes', async () => {
    const { auth } = await readyUser();
    const first = await generateMfa(server, auth.token);
    const second = await generateMfa(server, auth.token);
    expect(second.secret).not.toBe(first.secret);

    const stale = await server.rest('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      json: enableBody(first, await nextTotp(server, first.secret)),
    });
    expect(stale.status).toBe(400);

    // Same secret, other codes: the codes must be the enrollment's too.
    const forged = await server.rest('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      json: {
        ...enableBody(second, await nextTotp(server, second.secret)),
        recovery_codes: first.recovery_codes,
      },
    });
    expect(forged.status).toBe(400);

    server.clock.advanceSeconds(15 * 60 + 1);
    const expired = await server.rest('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      json: enableBody(second, await totpAt(second.secret, server.clock.now())),
    });
    expect(expired.status).toBe(400);
  });

  it('checks in contract order: JWT, body, already on, recovery email, enrollment, code', async () => {
    const noJwt = await server.rest('PUT', '/api/user/mfa/enable', { json: { nonsense: true } });
    expect(noJwt.status).toBe(401);

    const { auth } = await registerUser(server);
    const malformed = await server.rest('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      json: { code: 7 },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'INVALID_INPUT', fields: expect.any(Object) });

    const generated = await generateMfa(server, auth.token);
    const noRecoveryEmail = await server.rest('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      json: enableBody(generated, await nextTotp(server, generated.secret)),
    });
    expect(noRecoveryEmail.status).toBe(400);
    expect(noRecoveryEmail.body).toMatchObject({ fields: { recovery_email: expect.any(String) } });

    await setRecoveryEmail(server, auth.token, `r.${auth.email}`);
    const mismatchAndWrongCode = await server.rest('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      json: { ...enableBody(generated, '000000'), secret: 'A'.repeat(32) },
    });
    expect(mismatchAndWrongCode.status).toBe(400);

    const enabled = await server.rest('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      json: enableBody(generated, await nextTotp(server, generated.secret)),
    });
    expect(enabled.status).toBe(200);

    const again = await server.rest('PUT', '/api/user/mfa/enable', {
      token: auth.token,
      json: enableBody(generated, await nextTotp(server, generated.secret)),
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'MFA_ALREADY_ENABLED' });
    const regenerate = await server.rest('GET', '/api/user/mfa/generate', { token: auth.token });
    expect(regenerate.status).toBe(409);
  });
});

describe('enable MFA over tRPC', () => {
  it('runs the same flow with typed results and typed errors', async () => {
    const { auth } = await readyUser();
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

    await client.mfa.enable.mutate(enableBody(generated, await nextTotp(server, generated.secret)));
    expect((await client.auth.me.query()).mfa).toBe(true);

    const conflict = await trpcErrorOf(client.mfa.generate.mutate());
    expect(conflict).toMatchObject({ code: 'CONFLICT', appCode: 'MFA_ALREADY_ENABLED' });
    const anonymous = await trpcErrorOf(server.trpc().mfa.generate.mutate());
    expect(anonymous).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED' });
  });
});
