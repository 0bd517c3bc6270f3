// Invariant: a successful recover or reset ends every earlier session of that user — its JWTs are refused on every protected route from then on — and no other user's session.
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from '../support/http.js';
import { enableMfa, knownKeys, loginWithTotp, type MfaAccount, openMailbox } from '../support/mfa.js';
import { appCodeOf, callEveryProtected } from '../support/protected.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const clock = new ManualClock(Date.now());
const keys = knownKeys();
let server: TestServer;
let other: MfaAccount;
beforeAll(async () => {
  server = await startTestServer({ clock, env: keys });
  other = await enableMfa(server.url, await registerAccount(server.url, 'so'), clock);
});
afterAll(() => server.close());

async function expectEnded(token: string) {
  for (const { name, result } of await callEveryProtected(server.url, { authorization: `Bearer ${token}` })) {
    expect({ name, status: result.status, code: appCodeOf(result) }).toEqual({
      name,
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  }
}
const works = async (token: string) =>
  (await request(server.url, 'GET', '/api/auth/user', { token })).status === 200;

describe('sessions ended by recover and reset', () => {
  it('recover ends earlier sessions, keeps the new one and other users', async () => {
    const user = await enableMfa(server.url, await registerAccount(server.url, 'sr'), clock);
    const earlier = [user.token, await loginWithTotp(server.url, user, clock)];
    const res = await request(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: user.username, recovery_code: user.recoveryCodes[0] },
    });
    expect(res.status).toBe(200);
    for (const token of earlier) await expectEnded(token);
    expect(await works((res.json as { token: string }).token)).toBe(true);
    expect(await works(other.token)).toBe(true);
  });

  it('reset ends earlier sessions, keeps the new one and other users', async () => {
    const user = await enableMfa(server.url, await registerAccount(server.url, 'sx'), clock);
    const earlier = [user.token, await loginWithTotp(server.url, user, clock)];
    const { token } = (
      await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: user.email } })
    ).json as {
      token: string;
    };
    const res = await request(server.url, 'PUT', `/api/user/mfa/reset/${token}`, {
      body: await openMailbox(server, keys).resetCodes(user),
    });
    expect(res.status).toBe(200);
    for (const t of earlier) await expectEnded(t);
    expect(await works((res.json as { token: string }).token)).toBe(true);
    expect(await works(other.token)).toBe(true);
  });
});
