// Invariant: the password step of an MFA user yields only an X-MFA-Token, which opens no protected route; an X-MFA-Token is never accepted as a JWT and a JWT never as an MFA token.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, type MfaAccount, mfaTokenOf } from '../support/mfa.js';
import { appCodeOf, callEveryProtected } from '../support/protected.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeNow, nextCode } from '../support/totp.js';

const clock = new ManualClock(Date.now());
let server: TestServer;
let alice: MfaAccount;

beforeAll(async () => {
  server = await startTestServer({ clock, env: knownKeys() });
  alice = await createMfaUser(server.url, clock, await registerAccount(server.url, 'two'));
});
afterAll(() => server.close());

describe('skipping the second step', () => {
  it('the password step answers 401 with only an X-MFA-Token: no JWT, no cookie, no session', async () => {
    for (const path of ['/api/login', '/api/auth/user']) {
      const res = await request(server.url, 'POST', path, {
        body: { username: alice.username, password: alice.password },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('x-mfa-token')).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
      expect(res.json).toEqual({ message: expect.any(String), code: 'MFA_REQUIRED' });
    }
    const trpc = await request(server.url, 'POST', '/trpc/auth.login', {
      unchecked: true,
      body: { username: alice.username, password: alice.password },
    });
    expect(trpc.status).toBe(200);
    const data = (trpc.json as { result: { data: Record<string, unknown> } }).result.data;
    expect(Object.keys(data).sort()).toEqual(['mfaToken', 'status']);
    expect(data.status).toBe('mfa_required');
    expect(trpc.headers.get('set-cookie')).toBeNull();
  });

  it('an X-MFA-Token opens no protected route, as Bearer, as a cookie or as the header itself', async () => {
    const mfaToken = await mfaTokenOf(server.url, alice);
    const variants: Record<string, string>[] = [
      { authorization: `Bearer ${mfaToken}` },
      // With the CSRF header, so the request reaches the session check (without it: 403 first).
      {
        cookie: `token=${mfaToken}; session=${mfaToken}; twofold_session=${mfaToken}`,
        'x-twofold-csrf': '1',
      },
      { 'x-mfa-token': mfaToken },
    ];
    for (const headers of variants) {
      for (const { name, result } of await callEveryProtected(server.url, headers)) {
        expect({ name, status: result.status, code: appCodeOf(result) }).toEqual({
          name,
          status: 401,
          code: 'UNAUTHENTICATED',
        });
      }
    }
    // The token was not spent by any of that: it still completes the second step.
    const res = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: mfaToken, code: await nextCode(alice.secret, clock) },
    });
    expect(res.status).toBe(200);
  });

  it('a JWT is never accepted as an MFA token, nor as a reset id', async () => {
    const session = alice.token;
    const auth = await request(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token: session.slice(0, 128), code: await nextCode(alice.secret, clock) },
    });
    expect(auth.status).toBe(401);
    expect(auth.json).toMatchObject({ code: 'INVALID_MFA_TOKEN' });
    const trpc = await request(server.url, 'POST', '/trpc/mfa.auth', {
      unchecked: true,
      body: { token: session.slice(0, 128), code: await codeNow(alice.secret, clock) },
    });
    expect(trpc.status).toBe(401);
    const reset = await request(server.url, 'PUT', `/api/user/mfa/reset/${session.slice(0, 128)}`, {
      body: { main_email_code: 'AAAAA', recovery_email_code: 'BBBBB' },
    });
    expect(reset.status).toBe(401);
  });

  it('an MFA token is not a recovery or reset credential either', async () => {
    const mfaToken = await mfaTokenOf(server.url, alice);
    const recover = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: alice.username, recovery_code: mfaToken },
    });
    expect(recover.status).toBeGreaterThanOrEqual(400);
    expect(recover.status).toBeLessThan(500);
    const reset = await request(server.url, 'PUT', `/api/user/mfa/reset/${mfaToken}`, {
      body: { main_email_code: 'AAAAA', recovery_email_code: 'BBBBB' },
    });
    expect(reset.status).toBe(401);
    expect(reset.json).toMatchObject({ code: 'INVALID_CODE' });
  });
});
