import type { TUserAuth } from '@twofold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from './support/http.js';
import { createMfaUser, type MfaAccount } from './support/mfa.js';
import {
  RESET_CODE_PATTERN,
  resetCodesOf,
  resetLinkIdOf,
  startTestServer,
  type TestServer,
} from './support/server.js';
import { trpcErrorOf } from './support/trpc-client.js';

/** docs/contract.md: at most one reset request per account per minute; codes live 24 hours. */
const REQUEST_INTERVAL_SECONDS = 60;
const RESET_TTL_SECONDS = 24 * 60 * 60;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function requestReset(identifier: string): Promise<string> {
  const response = await request<{ token: string }>(server.url, 'POST', '/api/user/mfa/reset', {
    body: { identifier },
  });
  expect(response.status).toBe(200);
  expect(response.json.token).toEqual(expect.any(String));
  return response.json.token;
}

const reset = (id: string, codes: { main_email_code: string; recovery_email_code: string }) =>
  request<TUserAuth>(server.url, 'PUT', `/api/user/mfa/reset/${encodeURIComponent(id)}`, { body: codes });

const resetMailsTo = async (user: MfaAccount) =>
  (await server.mail()).filter(
    (m) => m.kind === 'reset-code' && [user.email, user.recoveryEmail].includes(m.to),
  );

const meOf = (token: string) => request<TUserAuth>(server.url, 'GET', '/api/auth/user', { token });

describe('reset MFA by email over REST (requestResetMFA, resetMFA)', () => {
  it('mails one code to each address and resets with both, ending earlier sessions', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const token = await requestReset(user.username);

    const mails = await resetMailsTo(user);
    expect(mails.map((m) => m.to).sort()).toEqual([user.email, user.recoveryEmail].sort());
    const codes = await resetCodesOf(server, user);
    expect(codes.main_email_code).toMatch(RESET_CODE_PATTERN);
    expect(codes.recovery_email_code).toMatch(RESET_CODE_PATTERN);
    expect(codes.main_email_code).not.toBe(codes.recovery_email_code);
    for (const mail of mails) expect(mail.text).toContain(`/mfa/reset/${user.id}`);

    const done = await reset(token, codes);
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ id: user.id, mfa: false });
    expect((await meOf(user.token)).status).toBe(401);
    expect((await meOf(done.json.token)).json.mfa).toBe(false);
    expect((await server.mail()).some((m) => m.kind === 'mfa-reset' && m.to === user.email)).toBe(true);

    // Consumed: the same codes do nothing a second time.
    expect((await reset(token, codes)).status).toBe(401);
  });

  it('resets through the user id in the emailed link, with the email as identifier', async () => {
    const user = await createMfaUser(server.url, server.clock);
    await requestReset(user.email.toUpperCase());
    const id = await resetLinkIdOf(server, user.email);
    expect(id).toBe(user.id);
    const done = await reset(id, await resetCodesOf(server, user));
    expect(done.status).toBe(200);
    expect(done.json.mfa).toBe(false);
  });

  it('answers 200 with a token for unknown accounts and accounts without MFA, and mails nothing', async () => {
    const plain = await registerAccount(server.url);
    const before = (await server.mail()).length;
    const unknownToken = await requestReset('nobody-here');
    await requestReset(plain.username);
    expect((await server.mail()).length).toBe(before);
    const unknown = await reset(unknownToken, { main_email_code: 'AAAAA', recovery_email_code: 'BBBBB' });
    // The same 401 as wrong codes: the answer never tells whether the account exists.
    expect(unknown.status).toBe(401);
    expect(unknown.json).toMatchObject({ code: 'INVALID_CODE' });
  });

  it('keeps the first request live: a second one within the minute mails nothing and its token is unusable, a later one ends nothing', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const first = await requestReset(user.username);
    const codes = await resetCodesOf(server, user);
    const mailed = (await resetMailsTo(user)).length;

    const second = await requestReset(user.username);
    expect(second).not.toBe(first);
    expect((await resetMailsTo(user)).length).toBe(mailed);
    expect((await reset(second, codes)).status).toBe(401);

    server.clock.advanceSeconds(REQUEST_INTERVAL_SECONDS + 1);
    const third = await requestReset(user.username);
    expect((await resetMailsTo(user)).length).toBe(mailed + 2);
    // The new request left the first live (nobody can cancel the owner's reset): its codes work.
    const thirdCodes = await resetCodesOf(server, user);
    expect((await reset(first, codes)).status).toBe(200);
    // The reset ended every request of the user.
    expect((await reset(third, thirdCodes)).status).toBe(401);
  });

  it('refuses wrong codes with 401 and burns the request after 5 wrong tries', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const token = await requestReset(user.username);
    const codes = await resetCodesOf(server, user);
    const wrong = { ...codes, recovery_email_code: codes.main_email_code };
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await reset(token, wrong)).status).toBe(401);
    expect((await reset(token, codes)).status).toBe(401);
    expect((await reset(user.id, codes)).status).toBe(401);
  });

  it('lets the codes expire after 24 hours', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const token = await requestReset(user.username);
    const codes = await resetCodesOf(server, user);
    server.clock.advanceSeconds(RESET_TTL_SECONDS + 1);
    expect((await reset(token, codes)).status).toBe(401);
  });

  it('answers a malformed request with 400, never the 200 of a well-formed one', async () => {
    for (const json of [{}, { identifier: 42 }, { identifier: '' }]) {
      const response = await request(server.url, 'POST', '/api/user/mfa/reset', { body: json });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({
        code: 'INVALID_INPUT',
        fields: { identifier: expect.any(String) },
      });
    }
    const user = await createMfaUser(server.url, server.clock);
    const token = await requestReset(user.username);
    const malformed = await request(server.url, 'PUT', `/api/user/mfa/reset/${token}`, {
      body: { main_email_code: 1 },
    });
    expect(malformed.status).toBe(400);
  });
});

describe('reset MFA by email over tRPC', () => {
  it('requests and resets with typed results and typed errors', async () => {
    const user = await createMfaUser(server.url, server.clock);
    const client = server.trpc();
    const { token } = await client.mfa.requestReset.mutate({ identifier: user.username });
    const codes = await resetCodesOf(server, user);

    const wrong = await trpcErrorOf(
      client.mfa.reset.mutate({
        id: token,
        main_email_code: codes.recovery_email_code,
        recovery_email_code: codes.main_email_code,
      }),
    );
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    const unknown = await trpcErrorOf(client.mfa.reset.mutate({ id: 'no-such-request', ...codes }));
    expect(unknown).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'INVALID_CODE', httpStatus: 401 });

    const auth = await client.mfa.reset.mutate({ id: token, ...codes });
    expect(auth).toMatchObject({ id: user.id, mfa: false });
  });
});
