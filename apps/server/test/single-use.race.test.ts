/**
 * Invariant: anything single-use (MFA token, TOTP step, recovery code, recovery window, reset
 * request, the once-a-minute reset mail) is granted to exactly one of N parallel HTTP requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpResult, request } from './support/http.js';
import { createMfaUser, mfaTokenOf } from './support/mfa.js';
import { resetCodesOf, startTestServer, type TestServer } from './support/server.js';
import { nextCode } from './support/totp.js';

const PARALLEL = 8;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function inParallel(send: (index: number) => Promise<HttpResult>): Promise<HttpResult[]> {
  return Promise.all(Array.from({ length: PARALLEL }, (_, index) => send(index)));
}

function expectOneWinner(responses: HttpResult[]) {
  const statuses = responses.map((r) => r.status);
  expect(
    statuses.filter((status) => status === 200),
    statuses.join(','),
  ).toHaveLength(1);
  for (const status of statuses) expect([200, 400, 401, 403, 404]).toContain(status);
}

describe('N parallel requests presenting the same single-use thing', () => {
  it('one MFA token and one code: one login', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const token = await mfaTokenOf(server.url, user);
    const code = await nextCode(user.secret, server.clock);
    expectOneWinner(
      await inParallel(() => request(server.url, 'POST', '/api/user/mfa/auth', { body: { token, code } })),
    );
  });

  it('one TOTP step on N different MFA tokens: one login', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const tokens = await Promise.all(Array.from({ length: PARALLEL }, () => mfaTokenOf(server.url, user)));
    const code = await nextCode(user.secret, server.clock);
    const responses = await inParallel((i) =>
      request(server.url, 'POST', '/api/user/mfa/auth', { body: { token: tokens[i], code } }),
    );
    expectOneWinner(responses);
  });

  it('one recovery code: one recover', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const json = { identifier: user.username, recovery_code: user.recoveryCodes[0] };
    expectOneWinner(
      await inParallel(() => request(server.url, 'POST', '/api/user/mfa/recover', { body: json })),
    );
  });

  it('one recovery window: one disable', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const recovered = await request<{ token: string }>(server.url, 'POST', '/api/user/mfa/recover', {
      body: { identifier: user.username, recovery_code: user.recoveryCodes[1] },
    });
    expect(recovered.status).toBe(200);
    const token = recovered.json.token;
    expectOneWinner(
      await inParallel(() => request(server.url, 'PUT', '/api/user/mfa/disable', { token, body: {} })),
    );
  });

  it('one reset request: one reset, and one pair of mails for N requests', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const before = (await server.mail()).filter((m) => m.kind === 'reset-code').length;
    const requests = await inParallel(() =>
      request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier: user.username } }),
    );
    expect(requests.map((r) => r.status)).toEqual(Array(PARALLEL).fill(200));
    expect((await server.mail()).filter((m) => m.kind === 'reset-code').length).toBe(before + 2);

    const codes = await resetCodesOf(server, user);
    expectOneWinner(
      await inParallel(() => request(server.url, 'PUT', `/api/user/mfa/reset/${user.id}`, { body: codes })),
    );
  });
});
