import type { TUserAuth } from '@twofold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from './support/http.js';
import { createMfaUser, mfaTokenOf } from './support/mfa.js';
import { startTestServer, type TestServer } from './support/server.js';
import { nextCode } from './support/totp.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface TrustedDeviceList {
  devices: { id: string; isCurrent: boolean; lastUsedAtMs: number | null }[];
}

/** docs/contract.md § Trusted devices, as a REST client sees it (every answer checked against the OpenAPI document). */
describe('trusted devices over REST', () => {
  it('trust at the second step, the password alone, list, revoke', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const token = await mfaTokenOf(server.url, user);
    const second = await request<TUserAuth>(server.url, 'POST', '/api/user/mfa/auth', {
      body: { token, code: await nextCode(user.secret, server.clock), trust_device: true },
    });
    expect(second.status).toBe(200);
    const line = second.headers.getSetCookie().find((c) => c.startsWith('twofold_trusted_device=')) ?? '';
    const cookie = line.split(';')[0] ?? '';
    expect(cookie).toMatch(/^twofold_trusted_device=[\w-]{43}$/);

    const login = await request<TUserAuth>(server.url, 'POST', '/api/login', {
      body: { username: user.username, password: user.password },
      headers: { cookie },
    });
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ user: user.username, mfa: true });

    const listed = await request<TrustedDeviceList>(server.url, 'GET', '/api/user/trusted-devices', {
      token: login.json.token,
      headers: { cookie },
    });
    expect(listed.status).toBe(200);
    expect(listed.json.devices).toEqual([
      expect.objectContaining({ isCurrent: true, lastUsedAtMs: server.clock.now() }),
    ]);
    const id = listed.json.devices[0]?.id ?? '';
    const revoke = () =>
      request(server.url, 'DELETE', `/api/user/trusted-devices/${id}`, { token: login.json.token });
    expect((await revoke()).status).toBe(200);
    const again = await revoke();
    expect(again.status).toBe(404);
    expect(again.json).toMatchObject({ code: 'TRUSTED_DEVICE_NOT_FOUND' });
    const after = await request(server.url, 'POST', '/api/login', {
      body: { username: user.username, password: user.password },
      headers: { cookie },
    });
    expect(after.status).toBe(401);
    expect(after.headers.get('x-mfa-token')).toBeTruthy();
  });

  it('the typed tRPC client trusts at the second step and lists the device', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const first = await server.trpc().auth.login.mutate({ username: user.username, password: user.password });
    if (first.status !== 'mfa_required') throw new Error('expected the second step');
    const code = await nextCode(user.secret, server.clock);
    const auth = await server.trpc().mfa.auth.mutate({ token: first.mfaToken, code, trust_device: true });
    expect(auth.mfa).toBe(true);
    const { devices } = await server.trpc(auth.token).user.trustedDevices.list.query();
    // A client without the cookie is not the trusted browser.
    expect(devices).toEqual([expect.objectContaining({ isCurrent: false, lastUsedAtMs: null })]);
  });
});
