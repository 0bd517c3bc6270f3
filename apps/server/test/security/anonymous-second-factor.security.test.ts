// Invariant: over HTTP, anonymous recover and reset attempts count per identifier as sent and client address: nobody locks an owner's login or recovery, unknown and existing identifiers get the same status sequences, and a reset request can be neither cancelled nor burned for the owner by another address.
import { SECOND_FACTOR_POLICY } from '@twofold/core';
import { ManualClock } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpResult, registerAccount, request } from '../support/http.js';
import { createMfaUser, knownKeys, type MfaAccount, mfaTokenOf, openMailbox } from '../support/mfa.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { nextCode } from '../support/totp.js';

const LIMIT = SECOND_FACTOR_POLICY.maxFailures;
const TEN_THEN_LOCKED = [...Array<number>(LIMIT).fill(401), 429];
const WRONG_RECOVERY = 'AAAA-BBBB-CCCC-DDDD';
const WRONG_CODES = { main_email_code: 'AAAAA', recovery_email_code: 'BBBBB' };
/** One trusted hop (the test's own socket): the client address is the X-Forwarded-For entry. */
const from = (address: string) => ({ 'x-forwarded-for': address });
const A = from('203.0.113.7');
const B = from('198.51.100.9');

let clock: ManualClock;
let server: TestServer;
let victim: MfaAccount;
let keys: ReturnType<typeof knownKeys>;
const mailbox = () => openMailbox(server, keys);

beforeEach(async () => {
  clock = new ManualClock(Date.now());
  keys = knownKeys();
  server = await startTestServer({ clock, env: { ...keys, TRUST_PROXY: '1' } });
  victim = await createMfaUser(server.url, clock, await registerAccount(server.url, 'anon'));
});
afterEach(() => server.close());

const recover = (identifier: string, recovery_code: string, headers: Record<string, string>) =>
  request(server.url, 'POST', '/api/user/mfa/recover', { body: { identifier, recovery_code }, headers });

const reset = (id: string, body: object, headers: Record<string, string>) =>
  request(server.url, 'PUT', `/api/user/mfa/reset/${id}`, { body, headers });

async function requestReset(identifier: string, headers: Record<string, string> = A) {
  const res = await request(server.url, 'POST', '/api/user/mfa/reset', { body: { identifier }, headers });
  expect(res.status).toBe(200);
  return (res.json as { token: string }).token;
}

async function statuses(attempt: () => Promise<HttpResult>, times = LIMIT + 1): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < times; i++) seen.push((await attempt()).status);
  return seen;
}

async function loginWithTotp(account: MfaAccount, headers: Record<string, string>) {
  const token = await mfaTokenOf(server.url, account, headers);
  return request(server.url, 'POST', '/api/user/mfa/auth', {
    body: { token, code: await nextCode(account.secret, clock) },
    headers,
  });
}

describe('anonymous recover over HTTP', () => {
  it('wrong recovery codes from one address lock neither the password + TOTP login nor recovery from another', async () => {
    expect(await statuses(() => recover(victim.username, WRONG_RECOVERY, A), LIMIT + 2)).toEqual([
      ...TEN_THEN_LOCKED,
      429,
    ]);
    expect((await loginWithTotp(victim, A)).status).toBe(200);
    const recovered = await recover(victim.username, victim.recoveryCodes[0]!, B);
    expect(recovered.status).toBe(200);
  });

  it('unknown and existing identifiers answer 401×10 then 429, alike', async () => {
    const existing = await statuses(() => recover(victim.email, WRONG_RECOVERY, A));
    const unknown = await statuses(() => recover('ghost-of-nobody@example.test', WRONG_RECOVERY, A));
    expect(existing).toEqual(TEN_THEN_LOCKED);
    expect(unknown).toEqual(TEN_THEN_LOCKED);
  });

  it('locking the username from an address does not lock the email of the same account', async () => {
    await statuses(() => recover(victim.username, WRONG_RECOVERY, A), LIMIT);
    expect((await recover(victim.username, victim.recoveryCodes[0]!, A)).status).toBe(429);
    expect((await recover(victim.email, victim.recoveryCodes[0]!, A)).status).toBe(200);
  });

  it('parallel wrong guesses are counted one by one', async () => {
    const burst = await Promise.all(
      Array.from({ length: LIMIT - 1 }, () => recover(victim.username, WRONG_RECOVERY, A)),
    );
    expect(burst.map((r) => r.status)).toEqual(Array(LIMIT - 1).fill(401));
    expect((await recover(victim.username, WRONG_RECOVERY, A)).status).toBe(401);
    const right = await recover(victim.username, victim.recoveryCodes[0]!, A);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBe(SECOND_FACTOR_POLICY.baseLockSeconds);
  });
});

describe('anonymous reset over HTTP', () => {
  it('an unknown token and a live request’s token answer 401×10 then 429, alike', async () => {
    const token = await requestReset(victim.username);
    const existing = await statuses(() => reset(token, WRONG_CODES, A));
    const unknownToken = crypto.randomUUID();
    const unknown = await statuses(() => reset(unknownToken, WRONG_CODES, A));
    expect(existing).toEqual(TEN_THEN_LOCKED);
    expect(unknown).toEqual(TEN_THEN_LOCKED);
  });

  it('wrong codes from one address neither lock the owner’s login nor burn the request for another address', async () => {
    const token = await requestReset(victim.username);
    expect(await statuses(() => reset(victim.id, WRONG_CODES, A), 5)).toEqual(Array(5).fill(401));
    const codes = await mailbox().resetCodes(victim);
    // Burned for A: the right codes are refused there, as wrong ones are.
    const burned = await reset(victim.id, codes, A);
    expect(burned.status).toBe(401);
    expect((await loginWithTotp(victim, A)).status).toBe(200);
    const done = await reset(token, codes, B);
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ id: victim.id, mfa: false });
  });

  it('a new request does not end the live one; a fourth ends the oldest', async () => {
    const first = await requestReset(victim.username);
    const firstCodes = await mailbox().resetCodes(victim);
    clock.advanceSeconds(61);
    await requestReset(victim.email, B);
    clock.advanceSeconds(61);
    await requestReset(victim.username, B);
    // Three live: the first still works (checked with wrong codes only, so it stays live).
    expect((await reset(first, WRONG_CODES, A)).status).toBe(401);
    clock.advanceSeconds(61);
    await requestReset(victim.username, B);
    expect((await reset(first, firstCodes, A)).status).toBe(401);
    const newest = await mailbox().resetCodes(victim);
    expect((await reset(victim.id, newest, A)).status).toBe(200);
  });

  it('the first request survives later ones and still resets', async () => {
    const first = await requestReset(victim.username);
    const firstCodes = await mailbox().resetCodes(victim);
    clock.advanceSeconds(61);
    await requestReset(victim.username, B);
    expect((await reset(first, firstCodes, A)).status).toBe(200);
  });

  it('mails at most 5 requests per account per day', async () => {
    const resetMails = async () => (await mailbox().all()).filter((m) => m.kind === 'reset-code').length;
    for (let i = 0; i < 5; i++) {
      await requestReset(victim.username);
      clock.advanceSeconds(61);
    }
    expect(await resetMails()).toBe(10);
    const sixth = await requestReset(victim.username, B);
    expect(await resetMails()).toBe(10);
    expect((await reset(sixth, await mailbox().resetCodes(victim), B)).status).toBe(401);
  });
});
