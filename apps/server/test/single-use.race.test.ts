/**
 * Invariant: anything single-use (MFA token, TOTP step, recovery code, recovery window, reset
 * request, the once-a-minute reset mail) is granted to exactly one of N parallel HTTP requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMfaUser, nextTotp, passwordStep, resetCodesOf } from './support/contract/flows.js';
import type { RestResult } from './support/contract/rest-client.js';
import { startTestServer, type TestServer } from './support/contract/test-server.js';

const PARALLEL = 8;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function inParallel(send: (index: number) => Promise<RestResult>): Promise<RestResult[]> {
  return Promise.all(Array.from({ length: PARALLEL }, (_, index) => send(index)));
}

function expectOneWinner(responses: RestResult[]) {
  const statuses = responses.map((r) => r.status);
  expect(
    statuses.filter((status) => status === 200),
    statuses.join(','),
  ).toHaveLength(1);
  for (const status of statuses) expect([200, 400, 401, 403, 404]).toContain(status);
}

describe('N parallel requests presenting the same single-use thing', () => {
  it('one MFA token and one code: one login', async () => {
    const user = await createMfaUser(server);
    const token = await passwordStep(server, user.input);
    const code = await nextTotp(server, user.secret);
    expectOneWinner(
      await inParallel(() => server.rest('POST', '/api/user/mfa/auth', { json: { token, code } })),
    );
  });

  it('one TOTP step on N different MFA tokens: one login', async () => {
    const user = await createMfaUser(server);
    const tokens = await Promise.all(
      Array.from({ length: PARALLEL }, () => passwordStep(server, user.input)),
    );
    const code = await nextTotp(server, user.secret);
    const responses = await inParallel((i) =>
      server.rest('POST', '/api/user/mfa/auth', { json: { token: tokens[i], code } }),
    );
    expectOneWinner(responses);
  });

  it('one recovery code: one recover', async () => {
    const user = await createMfaUser(server);
    const json = { identifier: user.input.username, recovery_code: user.recoveryCodes[0] };
    expectOneWinner(await inParallel(() => server.rest('POST', '/api/user/mfa/recover', { json })));
  });

  it('one recovery window: one disable', async () => {
    const user = await createMfaUser(server);
    const recovered = await server.rest<{ token: string }>('POST', '/api/user/mfa/recover', {
      json: { identifier: user.input.username, recovery_code: user.recoveryCodes[1] },
    });
    expect(recovered.status).toBe(200);
    const token = recovered.body.token;
    expectOneWinner(await inParallel(() => server.rest('PUT', '/api/user/mfa/disable', { token, json: {} })));
  });

  it('one reset request: one reset, and one pair of mails for N requests', async () => {
    const user = await createMfaUser(server);
    const before = (await server.mail()).filter((m) => m.kind === 'reset-code').length;
    const requests = await inParallel(() =>
      server.rest('POST', '/api/user/mfa/reset', { json: { identifier: user.input.username } }),
    );
    expect(requests.map((r) => r.status)).toEqual(Array(PARALLEL).fill(200));
    expect((await server.mail()).filter((m) => m.kind === 'reset-code').length).toBe(before + 2);

    const codes = await resetCodesOf(server, user);
    expectOneWinner(
      await inParallel(() => server.rest('PUT', `/api/user/mfa/reset/${user.auth.id}`, { json: codes })),
    );
  });
});
