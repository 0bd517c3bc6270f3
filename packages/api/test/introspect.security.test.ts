/**
 * Invariant: `POST /api/auth/introspect` and `auth.introspect` answer `active: true` exactly for
 * a token that would authenticate a request now, `{active: false}` alike for every other, and
 * take the token only in a body (docs/contract.md § Sessions other services verify).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { createUser, openTestCore } from '@twofold/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestbed, openApiTestbed } from './api-testbed.js';

let t: ApiTestbed;
beforeEach(async () => {
  t = await openApiTestbed();
});
afterEach(() => t.close());

const DAY_SECONDS = 24 * 3600;

async function viaRest(token: unknown): Promise<unknown> {
  const response = await t.request('POST', '/api/auth/introspect', { body: { token } });
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return response.json();
}

async function viaTrpc(token: unknown): Promise<unknown> {
  const response = await t.app.request('/trpc/auth.introspect', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { data: unknown } }).result.data;
}

/** Both transports, which must agree. */
async function introspect(token: string): Promise<unknown> {
  const rest = await viaRest(token);
  expect(await viaTrpc(token)).toEqual(rest);
  return rest;
}

const inactive = { active: false };

describe('introspection', () => {
  it('answers a live token with its user and session, without any credential of the caller', async () => {
    const { input, auth } = await createUser(t.core);
    const answer = await introspect(auth.token);
    expect(answer).toEqual({
      active: true,
      sub: auth.id,
      sid: expect.any(String),
      username: input.username,
      iat: expect.any(Number),
      exp: expect.any(Number),
      auth_method: 'registration',
    });
    const { iat, exp } = answer as { iat: number; exp: number };
    expect(exp - iat).toBe(DAY_SECONDS);
  });

  it('answers inactive once the session was logged out, and once it expired', async () => {
    const { auth } = await createUser(t.core);
    const other = await createUser(t.core);
    await t.caller(auth.token).auth.logout();
    expect(await introspect(auth.token)).toEqual(inactive);
    t.clock.advanceSeconds(DAY_SECONDS);
    expect(await introspect(other.auth.token)).toEqual(inactive);
  });

  it('answers inactive, alike, for forged tokens and tokens under another kid', async () => {
    const { auth } = await createUser(t.core);
    const [header, payload, signature] = auth.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const kid = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string }).kid;
    const otherUser = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    const { privateKey } = generateKeyPairSync('ed25519');
    // A well-formed EdDSA token with our claims, signed by a key that is not ours.
    const underKid = (name: string) => {
      const signed = `${Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid: name })).toString('base64url')}.${payload}`;
      return `${signed}.${sign(null, Buffer.from(signed), privateKey).toString('base64url')}`;
    };
    const elsewhere = await openTestCore();
    try {
      const fromElsewhere = (await createUser(elsewhere.core)).auth.token;
      const forged = [
        `${header}.${otherUser}.${signature}`,
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`,
        underKid(kid),
        underKid('not-ours'),
        fromElsewhere,
        'not-a-jwt',
      ];
      for (const token of forged) expect(await introspect(token)).toEqual(inactive);
    } finally {
      await elsewhere.close();
    }
  });

  it('refuses a malformed body with 400 naming the field, and a token in a URL', async () => {
    for (const body of [{}, { token: 7 }, { token: 'x', extra: 1 }, { token: 'x'.repeat(4097) }]) {
      const response = await t.request('POST', '/api/auth/introspect', { body });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'INVALID_INPUT', fields: expect.any(Object) });
    }
    const { auth } = await createUser(t.core);
    expect((await t.request('GET', '/api/auth/introspect')).status).toBe(405);
    const input = encodeURIComponent(JSON.stringify({ token: auth.token }));
    const asQuery = await t.app.request(`/trpc/auth.introspect?input=${input}`);
    expect(asQuery.status).toBe(405);
  });
});
