import type { TUserAuth } from '@twofold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from './support/http.js';
import { createMfaUser, type MfaAccount, reauthToken } from './support/mfa.js';
import { startTestServer, type TestServer } from './support/server.js';
import { totpAt } from './support/totp.js';
import { trpcErrorOf } from './support/trpc-client.js';

/** docs/contract.md: a recover opens a 10-minute window for disable. */
const RECOVERY_WINDOW_SECONDS = 10 * 60;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const nowSeconds = () => Math.floor(server.clock.now() / 1000);

function recover(identifier: string, recoveryCode: string, path = '/api/user/mfa/recover') {
  return request<TUserAuth>(server.url, 'POST', path, { body: { identifier, recovery_code: recoveryCode } });
}

async function recoverOk(user: MfaAccount, index = 0) {
  const response = await recover(user.username, user.recoveryCodes[index] ?? '');
  expect(response.status).toBe(200);
  return response;
}

const meOf = (token: string) => request<TUserAuth>(server.url, 'GET', '/api/auth/user', { token });

describe('recover, then disable inside the window, over REST (mfaRecover, disableMFA)', () => {
  it('logs in with a recovery code, sets X-Expires-At, ends earlier sessions, and disable {} works', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const recovered = await recoverOk(user);
    expect(recovered.json).toMatchObject({ id: user.id, mfa: true });
    expect(Number(recovered.headers.get('x-expires-at'))).toBe(nowSeconds() + RECOVERY_WINDOW_SECONDS);

    expect((await meOf(user.token)).status).toBe(401);
    expect((await meOf(recovered.json.token)).status).toBe(200);
    expect((await server.mail()).some((m) => m.kind === 'recovery-code-used' && m.to === user.email)).toBe(
      true,
    );

    server.clock.advanceSeconds(RECOVERY_WINDOW_SECONDS - 1);
    const disabled = await request(server.url, 'PUT', '/api/user/mfa/disable', {
      token: recovered.json.token,
      body: {},
    });
    expect(disabled.status).toBe(200);
    expect(disabled.text).toBe('');
    expect((await meOf(recovered.json.token)).json.mfa).toBe(false);
    expect((await server.mail()).some((m) => m.kind === 'mfa-disabled' && m.to === user.email)).toBe(true);
  });

  it('takes the email as identifier and the code in any case, with spaces and dashes', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const code = user.recoveryCodes[1] ?? '';
    const typed = `${code.slice(0, 4)}-${code.slice(4, 8)} ${code.slice(8)}`.toLowerCase();
    const response = await recover(user.email.toUpperCase(), typed);
    expect(response.status).toBe(200);
  });

  it('uses each recovery code once', async () => {
    const user = await createMfaUser(server.url, server.clock);
    await recoverOk(user, 2);
    const again = await recover(user.username, user.recoveryCodes[2] ?? '');
    expect(again.status).toBe(401);
    await recoverOk(user, 3);
  });

  it('accepts the same, already used recovery code on disable inside the window', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const recovered = await recoverOk(user, 4);
    const disabled = await request(server.url, 'PUT', '/api/user/mfa/disable', {
      token: recovered.json.token,
      body: { recovery_code: user.recoveryCodes[4] },
    });
    expect(disabled.status).toBe(200);
  });

  it('serves the alias POST /recovery and PUT /recovery/disable without a body', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const recovered = await recover(user.username, user.recoveryCodes[0] ?? '', '/api/user/mfa/recovery');
    expect(recovered.status).toBe(200);
    expect(recovered.headers.get('x-expires-at')).toBe(String(nowSeconds() + RECOVERY_WINDOW_SECONDS));
    const disabled = await request(server.url, 'PUT', '/api/user/mfa/recovery/disable', {
      token: recovered.json.token,
    });
    expect(disabled.status).toBe(200);
    expect((await meOf(recovered.json.token)).json.mfa).toBe(false);
  });

  it('takes an absent body on disable as the {} proof (the seed sends the body as optional)', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const recovered = await recoverOk(user, 5);
    const disabled = await request(server.url, 'PUT', '/api/user/mfa/disable', {
      token: recovered.json.token,
    });
    expect(disabled.status).toBe(200);
    expect((await meOf(recovered.json.token)).json.mfa).toBe(false);
  });

  it('closes the window after 10 minutes: disable {} is then a rejected proof', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const recovered = await recoverOk(user);
    server.clock.advanceSeconds(RECOVERY_WINDOW_SECONDS + 1);
    const late = await request(server.url, 'PUT', '/api/user/mfa/disable', {
      token: recovered.json.token,
      body: {},
    });
    expect(late.status).toBe(403);
    expect((await meOf(recovered.json.token)).json.mfa).toBe(true);
  });

  it('opens the window for one disable only', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const recovered = await recoverOk(user);
    const token = recovered.json.token;
    expect((await request(server.url, 'PUT', '/api/user/mfa/disable', { token, body: {} })).status).toBe(200);

    // Enable again: the old window must not disable the new credential. A recovered session
    // holds no password proof: it proves the password before enrolling (docs/contract.md § Re-authentication).
    const fresh = await reauthToken(server.url, { token, password: user.password }, server.clock);
    const generated = await request<{ secret: string; recovery_codes: string[] }>(
      server.url,
      'GET',
      '/api/user/mfa/generate',
      { token: fresh },
    );
    server.clock.advanceSeconds(30);
    const enabled = await request(server.url, 'PUT', '/api/user/mfa/enable', {
      token: fresh,
      body: {
        code: await totpAt(generated.json.secret, server.clock.now()),
        secret: generated.json.secret,
        recovery_codes: generated.json.recovery_codes,
      },
    });
    expect(enabled.status).toBe(200);
    const reused = await request(server.url, 'PUT', '/api/user/mfa/disable', { token, body: {} });
    expect(reused.status).toBe(403);
  });

  it('answers 401 for an account without MFA, an unknown identifier and a wrong code alike', async () => {
    const plain = await registerAccount(server.url);
    const user = await createMfaUser(server.url, server.clock);
    const responses = await Promise.all([
      recover(plain.username, 'AAAAAAAAAAAAAAAA'),
      recover('no-such-user', 'AAAAAAAAAAAAAAAA'),
      recover(user.username, 'AAAAAAAAAAAAAAAA'),
    ]);
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401]);
    const [a, b, c] = responses.map((r) => r.json);
    expect(a).toEqual(b);
    expect(b).toEqual(c);
  });
});

describe('recover and disable over tRPC', () => {
  it('returns auth and expiresAtSeconds, ends the old session, and disables with {}', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const result = await server
      .trpc()
      .mfa.recover.mutate({ identifier: user.username, recovery_code: user.recoveryCodes[5] ?? '' });
    expect(result.auth).toMatchObject({ id: user.id, mfa: true });
    expect(result.expiresAtSeconds).toBe(nowSeconds() + RECOVERY_WINDOW_SECONDS);

    const stale = await trpcErrorOf(server.trpc(user.token).auth.me.query());
    expect(stale).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED' });

    const replay = await trpcErrorOf(
      server
        .trpc()
        .mfa.recover.mutate({ identifier: user.username, recovery_code: user.recoveryCodes[5] ?? '' }),
    );
    expect(replay).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });

    const client = server.trpc(result.auth.token);
    await client.mfa.disable.mutate({});
    expect((await client.auth.me.query()).mfa).toBe(false);
    const notOn = await trpcErrorOf(client.mfa.disable.mutate({}));
    expect(notOn).toMatchObject({ code: 'BAD_REQUEST', appCode: 'MFA_NOT_ENABLED' });
  });
});
