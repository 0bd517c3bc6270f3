// Invariant: only an unexpired EdDSA session JWT signed with the server's published key, naming a live session of its user, opens a protected route (REST or tRPC); every forgery is refused with 401 (claims of correctly signed tokens: packages/core/src/session/jwt.test.ts).
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { ManualClock } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, registerAccount, request } from '../support/http.js';
import { appCodeOf, callEveryProtected } from '../support/protected.js';
import { startTestServer, type TestServer } from '../support/server.js';

const JWT_SECRET = randomBytes(24).toString('hex');
const clock = new ManualClock(Date.now());
let server: TestServer;
let alice: Account;
let bob: Account;

beforeAll(async () => {
  server = await startTestServer({ clock, env: { JWT_SECRET } });
  alice = await registerAccount(server.url, 'alice');
  bob = await registerAccount(server.url, 'bob');
});
afterAll(() => server.close());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

/** Signs header.payload with HMAC under any hash, whatever the header claims. */
function hmacSign(header: object, payload: object, key: string | Buffer, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`;
}

async function expectRefusedEverywhere(token: string) {
  const results = await callEveryProtected(server.url, { authorization: `Bearer ${token}` });
  expect(results.length).toBeGreaterThan(0);
  for (const { name, result } of results) {
    expect({ name, status: result.status, code: appCodeOf(result) }).toEqual({
      name,
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  }
}

describe('JWT forgery', () => {
  it('the genuine token works (control)', async () => {
    const me = await request(server.url, 'GET', '/api/auth/user', { token: alice.token });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: alice.id });
  });

  it('refuses alg "none", with and without a signature part', async () => {
    const claims = claimsOf(alice.token);
    await expectRefusedEverywhere(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`);
    await expectRefusedEverywhere(`${b64({ alg: 'none' })}.${b64(claims)}`);
    await expectRefusedEverywhere(`${b64({ alg: 'NONE' })}.${b64(claims)}.${alice.token.split('.')[2]}`);
  });

  it('refuses HS512 and HS384 even when signed with the right key', async () => {
    const claims = claimsOf(alice.token);
    await expectRefusedEverywhere(hmacSign({ alg: 'HS512', typ: 'JWT' }, claims, JWT_SECRET, 'sha512'));
    await expectRefusedEverywhere(hmacSign({ alg: 'HS384', typ: 'JWT' }, claims, JWT_SECRET, 'sha384'));
  });

  it('refuses an RS256 header: real RSA signatures and the HMAC-with-public-key confusion', async () => {
    const claims = claimsOf(alice.token);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`;
    const rsa = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    await expectRefusedEverywhere(rsa);
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    await expectRefusedEverywhere(hmacSign({ alg: 'RS256', typ: 'JWT' }, claims, pem));
    await expectRefusedEverywhere(hmacSign({ alg: 'RS256', typ: 'JWT' }, claims, JWT_SECRET));
  });

  it('refuses HS256 under a wrong key, and a genuine token with a changed payload', async () => {
    const claims = claimsOf(alice.token);
    await expectRefusedEverywhere(hmacSign({ alg: 'HS256', typ: 'JWT' }, claims, randomBytes(32)));
    await expectRefusedEverywhere(hmacSign({ alg: 'HS256', typ: 'JWT' }, claims, ''));
    const [header, , signature] = alice.token.split('.');
    // Alice's signature on a payload that names Bob.
    await expectRefusedEverywhere(`${header}.${b64({ ...claims, sub: bob.id })}.${signature}`);
    await expectRefusedEverywhere(`${header}.${b64({ ...claims, exp: 9_999_999_999 })}.${signature}`);
  });

  it('refuses HS256 under JWT_SECRET itself: the old secret signs nothing any more', async () => {
    const claims = claimsOf(alice.token);
    await expectRefusedEverywhere(hmacSign({ alg: 'HS256', typ: 'JWT' }, claims, JWT_SECRET));
    await expectRefusedEverywhere(hmacSign({ alg: 'HS256', typ: 'JWT', kid: 'any' }, claims, JWT_SECRET));
  });

  it('refuses garbage in the Authorization header', async () => {
    for (const authorization of [
      'Bearer',
      'Bearer ',
      'Bearer a.b.c',
      'Bearer ....',
      `Basic ${Buffer.from(`${alice.username}:${alice.password}`).toString('base64')}`,
      `Token ${alice.token}`,
      alice.token,
      `Bearer ${'A'.repeat(8000)}`,
    ]) {
      const results = await callEveryProtected(server.url, { authorization });
      for (const { name, result } of results) {
        expect({ name, authorization: authorization.slice(0, 20), status: result.status }).toEqual({
          name,
          authorization: authorization.slice(0, 20),
          status: 401,
        });
      }
    }
  });

  it('refuses a genuine token once it has expired (24 hours)', async () => {
    const fresh = await registerAccount(server.url, 'exp');
    clock.advanceSeconds(24 * 3600 - 5);
    expect((await request(server.url, 'GET', '/api/auth/user', { token: fresh.token })).status).toBe(200);
    clock.advanceSeconds(10);
    await expectRefusedEverywhere(fresh.token);
  });
});
