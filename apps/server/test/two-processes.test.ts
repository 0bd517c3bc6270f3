import { rmSync } from 'node:fs';
import type { OpenApiDocument } from '@twofold/api';
import type { TUserAuth } from '@twofold/core';
import { buildRegisterInput, ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from './support/contract/child-server.js';
import {
  type MfaGenerate,
  nextTotp,
  passwordStep,
  registerUser,
  setRecoveryEmail,
} from './support/contract/flows.js';
import { ResponseValidator } from './support/contract/openapi-validator.js';
import { createRestClient, type RestClient } from './support/contract/rest-client.js';
import { createDataDir, startTestServer } from './support/contract/test-server.js';
import { totpAt } from './support/contract/totp.js';

describe('two server processes on one data dir behave as one server', () => {
  const dataDir = createDataDir();
  const servers: ChildServer[] = [];
  let a: RestClient;
  let b: RestClient;

  beforeAll(async () => {
    servers.push(await startChildServer(dataDir));
    servers.push(await startChildServer(dataDir));
    const [first, second] = servers;
    if (!first || !second) throw new Error('servers missing');
    const document = (await (await fetch(`${first.url}/api/openapi.json`)).json()) as OpenApiDocument;
    const validator = new ResponseValidator(document);
    a = createRestClient(first.url, validator);
    b = createRestClient(second.url, validator);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs register → generate → enable → login → auth → recover → disable, alternating servers', async () => {
    expect(servers[0]?.url).not.toBe(servers[1]?.url);
    const input = buildRegisterInput();
    const registered = await a<TUserAuth>('POST', '/api/register', { json: input });
    expect(registered.status).toBe(200);
    const jwt = registered.body.token;
    expect(
      (await b('PATCH', '/api/users', { token: jwt, json: { recovery_email: `r.${input.email}` } })).status,
    ).toBe(200);

    const generated = await a<MfaGenerate>('GET', '/api/user/mfa/generate', { token: jwt });
    expect(generated.status).toBe(200);
    const { secret, recovery_codes } = generated.body;
    // The children run on the real clock: enable with the current step and auth with the
    // next one, so auth's step is always later than enable's and both stay inside the ±1
    // window even if a step boundary passes during the request, without waiting.
    const enableCode = await totpAt(secret, Date.now());
    expect(
      (
        await b('PUT', '/api/user/mfa/enable', {
          token: jwt,
          json: { code: enableCode, secret, recovery_codes },
        })
      ).status,
    ).toBe(200);

    const login = await a('POST', '/api/login', {
      json: { username: input.username, password: input.password },
    });
    expect(login.status).toBe(401);
    const mfaToken = login.headers.get('x-mfa-token') ?? '';
    const code = await totpAt(secret, Date.now(), 1);
    const authed = await b<TUserAuth>('POST', '/api/user/mfa/auth', { json: { token: mfaToken, code } });
    expect(authed.status).toBe(200);
    expect(authed.body.mfa).toBe(true);
    // Single use across processes: the token and the step are spent on the other server too.
    expect((await a('POST', '/api/user/mfa/auth', { json: { token: mfaToken, code } })).status).toBe(401);

    const recovered = await a<TUserAuth>('POST', '/api/user/mfa/recover', {
      json: { identifier: input.username, recovery_code: recovery_codes[0] },
    });
    expect(recovered.status).toBe(200);
    expect((await b('GET', '/api/auth/user', { token: authed.body.token })).status).toBe(401);
    expect(
      (
        await b('POST', '/api/user/mfa/recover', {
          json: { identifier: input.username, recovery_code: recovery_codes[0] },
        })
      ).status,
    ).toBe(401);

    expect((await b('PUT', '/api/user/mfa/disable', { token: recovered.body.token, json: {} })).status).toBe(
      200,
    );
    const me = await a<TUserAuth>('GET', '/api/auth/user', { token: recovered.body.token });
    expect(me.body.mfa).toBe(false);
  });

  it('counts failed passwords across both servers', async () => {
    const input = buildRegisterInput();
    expect((await a('POST', '/api/register', { json: input })).status).toBe(200);
    const wrong = { username: input.username, password: 'wrong password' };
    for (const client of [a, b, a, b, a])
      expect((await client('POST', '/api/login', { json: wrong })).status).toBe(401);
    const locked = await b('POST', '/api/login', {
      json: { username: input.username, password: input.password },
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
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** Runs `step` against a server started for it alone, then stops that server. */
  async function onFreshServer<T>(step: (server: Awaited<ReturnType<typeof startTestServer>>) => Promise<T>) {
    const server = await startTestServer({ dataDir, clock });
    try {
      return await step(server);
    } finally {
      await server.close();
    }
  }

  it('keeps enrollment, MFA token, last step, recovery window, sessions and lockouts', async () => {
    const first = await onFreshServer(async (server) => {
      const user = await registerUser(server);
      await setRecoveryEmail(server, user.auth.token, `r.${user.input.email}`);
      const generated = (
        await server.rest<MfaGenerate>('GET', '/api/user/mfa/generate', { token: user.auth.token })
      ).body;
      const victim = await registerUser(server);
      for (let i = 0; i < 5; i += 1) {
        await server.rest('POST', '/api/login', {
          json: { username: victim.input.username, password: 'wrong password' },
        });
      }
      return { user, generated, victim };
    });

    const { mfaToken, enableCode } = await onFreshServer(async (server) => {
      const enableCode = await nextTotp(server, first.generated.secret);
      const enabled = await server.rest('PUT', '/api/user/mfa/enable', {
        token: first.user.auth.token,
        json: {
          code: enableCode,
          secret: first.generated.secret,
          recovery_codes: first.generated.recovery_codes,
        },
      });
      expect(enabled.status).toBe(200);
      const locked = await server.rest('POST', '/api/login', {
        json: { username: first.victim.input.username, password: first.victim.input.password },
      });
      expect(locked.status).toBe(429);
      return { mfaToken: await passwordStep(server, first.user.input), enableCode };
    });

    const recoveredJwt = await onFreshServer(async (server) => {
      const replay = await server.rest('POST', '/api/user/mfa/auth', {
        json: { token: mfaToken, code: enableCode },
      });
      expect(replay.status).toBe(401);
      const authed = await server.rest('POST', '/api/user/mfa/auth', {
        json: { token: mfaToken, code: await nextTotp(server, first.generated.secret) },
      });
      expect(authed.status).toBe(200);
      const recovered = await server.rest<TUserAuth>('POST', '/api/user/mfa/recover', {
        json: { identifier: first.user.input.username, recovery_code: first.generated.recovery_codes[2] },
      });
      expect(recovered.status).toBe(200);
      return recovered.body.token;
    });

    await onFreshServer(async (server) => {
      expect((await server.rest('GET', '/api/auth/user', { token: first.user.auth.token })).status).toBe(401);
      const reused = await server.rest('POST', '/api/user/mfa/recover', {
        json: { identifier: first.user.input.username, recovery_code: first.generated.recovery_codes[2] },
      });
      expect(reused.status).toBe(401);
      expect(
        (await server.rest('PUT', '/api/user/mfa/disable', { token: recoveredJwt, json: {} })).status,
      ).toBe(200);
      const me = await server.rest<TUserAuth>('GET', '/api/auth/user', { token: recoveredJwt });
      expect(me.body.mfa).toBe(false);
    });
  });
});
