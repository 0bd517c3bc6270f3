import type { TUserAuth } from '@twofold/core';
import { buildRegisterInput, ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, spawnServer } from './support/child-server.js';
import { type RequestOptions, registerAccount, request } from './support/http.js';
import { type MfaGenerate, mfaTokenOf, setRecoveryEmail } from './support/mfa.js';
import { createDataDir, startTestServer } from './support/server.js';
import { nextCode, totpAt } from './support/totp.js';

describe('two server processes on one data dir behave as one server', () => {
  const dataDir = createDataDir();
  const servers: ChildServer[] = [];
  const on =
    (index: number) =>
    <T>(method: string, path: string, options?: RequestOptions) =>
      request<T>(servers[index]?.url ?? '', method, path, options);
  const a = on(0);
  const b = on(1);

  beforeAll(async () => {
    servers.push(await spawnServer({ DATA_DIR: dataDir.path }));
    servers.push(await spawnServer({ DATA_DIR: dataDir.path }));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    dataDir.remove();
  });

  it('runs register → generate → enable → login → auth → recover → disable, alternating servers', async () => {
    expect(servers[0]?.url).not.toBe(servers[1]?.url);
    const input = buildRegisterInput();
    const registered = await a<TUserAuth>('POST', '/api/register', { body: input });
    expect(registered.status).toBe(200);
    const jwt = registered.json.token;
    expect(
      (await b('PATCH', '/api/users', { token: jwt, body: { recovery_email: `r.${input.email}` } })).status,
    ).toBe(200);

    const generated = await a<MfaGenerate>('GET', '/api/user/mfa/generate', { token: jwt });
    expect(generated.status).toBe(200);
    const { secret, recovery_codes } = generated.json;
    // The children run on the real clock: enable with the current step and auth with the
    // next one, so auth's step is always later than enable's and both stay inside the ±1
    // window even if a step boundary passes during the request, without waiting.
    const enableCode = await totpAt(secret, Date.now());
    expect(
      (
        await b('PUT', '/api/user/mfa/enable', {
          token: jwt,
          body: { code: enableCode, secret, recovery_codes },
        })
      ).status,
    ).toBe(200);

    const login = await a('POST', '/api/login', {
      body: { username: input.username, password: input.password },
    });
    expect(login.status).toBe(401);
    const mfaToken = login.headers.get('x-mfa-token') ?? '';
    const code = await totpAt(secret, Date.now(), 1);
    const authed = await b<TUserAuth>('POST', '/api/user/mfa/auth', { body: { token: mfaToken, code } });
    expect(authed.status).toBe(200);
    expect(authed.json.mfa).toBe(true);
    // Single use across processes: the token and the step are spent on the other server too.
    expect((await a('POST', '/api/user/mfa/auth', { body: { token: mfaToken, code } })).status).toBe(401);

    const recovered = await a<TUserAuth>('POST', '/api/user/mfa/recover', {
      body: { identifier: input.username, recovery_code: recovery_codes[0] },
    });
    expect(recovered.status).toBe(200);
    expect((await b('GET', '/api/auth/user', { token: authed.json.token })).status).toBe(401);
    expect(
      (
        await b('POST', '/api/user/mfa/recover', {
          body: { identifier: input.username, recovery_code: recovery_codes[0] },
        })
      ).status,
    ).toBe(401);

    expect((await b('PUT', '/api/user/mfa/disable', { token: recovered.json.token, body: {} })).status).toBe(
      200,
    );
    const me = await a<TUserAuth>('GET', '/api/auth/user', { token: recovered.json.token });
    expect(me.json.mfa).toBe(false);
  });

  it('counts failed passwords across both servers', async () => {
    const input = buildRegisterInput();
    expect((await a('POST', '/api/register', { body: input })).status).toBe(200);
    const wrong = { username: input.username, password: 'wrong password' };
    for (const client of [a, b, a, b, a])
      expect((await client('POST', '/api/login', { body: wrong })).status).toBe(401);
    const locked = await b('POST', '/api/login', {
      body: { username: input.username, password: input.password },
    });
    expect(locked.status).toBe(429);
    // The children run on the real clock: a second may have passed since the lock began.
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const lockedUntil = Number(locked.headers.get('x-account-lockout'));
    expect(Math.abs(lockedUntil - (Math.floor(Date.now() / 1000) + retryAfter))).toBeLessThanOrEqual(1);
  });
});

describe('restarting the server on the same data dir keeps every MFA state', () => {
  const dataDir = createDataDir();
  const clock = new ManualClock();
  afterAll(() => dataDir.remove());

  /** Runs `step` against a server started for it alone, then stops that server. */
  async function onFreshServer<T>(step: (server: Awaited<ReturnType<typeof startTestServer>>) => Promise<T>) {
    const server = await startTestServer({ dataDir: dataDir.path, clock });
    try {
      return await step(server);
    } finally {
      await server.close();
    }
  }

  it('keeps enrollment, MFA token, last step, recovery window, sessions and lockouts', async () => {
    const first = await onFreshServer(async (server) => {
      const user = await registerAccount(server.url);
      await setRecoveryEmail(server.url, user.token, `r.${user.email}`);
      const generated = (
        await request<MfaGenerate>(server.url, 'GET', '/api/user/mfa/generate', { token: user.token })
      ).json;
      const victim = await registerAccount(server.url);
      for (let i = 0; i < 5; i += 1) {
        await request(server.url, 'POST', '/api/login', {
          body: { username: victim.username, password: 'wrong password' },
        });
      }
      return { user, generated, victim };
    });

    const { mfaToken, enableCode } = await onFreshServer(async (server) => {
      const enableCode = await nextCode(first.generated.secret, server.clock);
      const enabled = await request(server.url, 'PUT', '/api/user/mfa/enable', {
        token: first.user.token,
        body: {
          code: enableCode,
          secret: first.generated.secret,
          recovery_codes: first.generated.recovery_codes,
        },
      });
      expect(enabled.status).toBe(200);
      const locked = await request(server.url, 'POST', '/api/login', {
        body: { username: first.victim.username, password: first.victim.password },
      });
      expect(locked.status).toBe(429);
      return { mfaToken: await mfaTokenOf(server.url, first.user), enableCode };
    });

    const recoveredJwt = await onFreshServer(async (server) => {
      const replay = await request(server.url, 'POST', '/api/user/mfa/auth', {
        body: { token: mfaToken, code: enableCode },
      });
      expect(replay.status).toBe(401);
      const authed = await request(server.url, 'POST', '/api/user/mfa/auth', {
        body: { token: mfaToken, code: await nextCode(first.generated.secret, server.clock) },
      });
      expect(authed.status).toBe(200);
      const recovered = await request<TUserAuth>(server.url, 'POST', '/api/user/mfa/recover', {
        body: { identifier: first.user.username, recovery_code: first.generated.recovery_codes[2] },
      });
      expect(recovered.status).toBe(200);
      return recovered.json.token;
    });

    await onFreshServer(async (server) => {
      expect((await request(server.url, 'GET', '/api/auth/user', { token: first.user.token })).status).toBe(
        401,
      );
      const reused = await request(server.url, 'POST', '/api/user/mfa/recover', {
        body: { identifier: first.user.username, recovery_code: first.generated.recovery_codes[2] },
      });
      expect(reused.status).toBe(401);
      expect(
        (await request(server.url, 'PUT', '/api/user/mfa/disable', { token: recoveredJwt, body: {} })).status,
      ).toBe(200);
      const me = await request<TUserAuth>(server.url, 'GET', '/api/auth/user', { token: recoveredJwt });
      expect(me.json.mfa).toBe(false);
    });
  });
});
