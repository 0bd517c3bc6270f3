import type { TUserAuth } from '@twofold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMfaUser, nextTotp, passwordStep } from './support/contract/flows.js';
import { startTestServer, type TestServer } from './support/contract/test-server.js';

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
    const user = await createMfaUser(server);
    const token = await passwordStep(server, user.input);
    const second = await server.rest<TUserAuth>('POST', '/api/user/mfa/auth', {
      json: { token, code: await nextTotp(server, user.secret), trust_device: true },
    });
    expect(second.status).toBe(200);
    const line = second.headers.getSetCookie().find((c) => c.startsWith('twofold_trusted_device=')) ?? '';
    const cookie = line.split(';')[0] ?? '';
    expect(cookie).toMatch(/^twofold_trusted_device=[\w-]{43}$/);

    const login = await server.rest<TUserAuth>('POST', '/api/login', {
      json: { username: user.input.username, password: user.input.password },
      headers: { cookie },
    });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ user: user.input.username, mfa: true });

    const listed = await server.rest<TrustedDeviceList>('GET', '/api/user/trusted-devices', {
      token: login.body.token,
      headers: { cookie },
    });
    expect(listed.status).toBe(200);
    expect(listed.body.devices).toEqual([
      expect.objectContaining({ isCurrent: true, lastUsedAtMs: server.clock.now() }),
    ]);
    const id = listed.body.devices[0]?.id ?? '';
    const revoke = () =>
      server.rest('DELETE', `/api/user/trusted-devices/${id}`, { token: login.body.token });
    expect((await revoke()).status).toBe(200);
    const again = await revoke();
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 'TRUSTED_DEVICE_NOT_FOUND' });
    const after = await server.rest('POST', '/api/login', {
      json: { username: user.input.username, password: user.input.password },
      headers: { cookie },
    });
    expect(after.status).toBe(401);
    expect(after.headers.get('x-mfa-token')).toBeTruthy();
  });

  it('the typed tRPC client trusts at the second step and lists the device', async () => {
    const user = await createMfaUser(server);
    const first = await server
      .trpc()
      .auth.login.mutate({ username: user.input.username, password: user.input.password });
    if (first.status !== 'mfa_required') throw new Error('expected the second step');
    const code = await nextTotp(server, user.secret);
    const auth = await server.trpc().mfa.auth.mutate({ token: first.mfaToken, code, trust_device: true });
    expect(auth.mfa).toBe(true);
    const { devices } = await server.trpc(auth.token).user.trustedDevices.list.query();
    // A client without the cookie is not the trusted browser.
    expect(devices).toEqual([expect.objectContaining({ isCurrent: false, lastUsedAtMs: null })]);
  });
});
