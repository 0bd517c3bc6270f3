/**
 * A relying service verifies a session with the published keys alone, in a process of its
 * own: the example in examples/verify-session.mjs, run as an operator would run it
 * (docs/contract.md § Sessions other services verify).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccount, request } from './support/http.js';
import { startTestServer, type TestServer } from './support/server.js';

const run = promisify(execFile);
const EXAMPLE = join(import.meta.dirname, '..', 'examples', 'verify-session.mjs');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function verifyElsewhere(token: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [EXAMPLE, token], {
      env: { ...process.env, TWOFOLD_URL: server.url },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, out: failed.stderr };
  }
}

describe('a relying service', () => {
  it('gets the public keys, cacheable, with no private part', async () => {
    const res = await request(server.url, 'GET', '/.well-known/jwks.json', { unchecked: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const { keys } = res.json as { keys: Record<string, unknown>[] };
    expect(keys).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.any(String),
        kid: expect.any(String),
        alg: 'EdDSA',
        use: 'sig',
      },
    ]);
  });

  it('verifies a session token with the key set alone', async () => {
    const account = await registerAccount(server.url);
    const verified = await verifyElsewhere(account.token);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.out)).toMatchObject({ userId: account.id, authMethod: 'registration' });
  });

  it('refuses a token whose signature still verifies once its session was logged out (introspection)', async () => {
    const account = await registerAccount(server.url);
    expect((await request(server.url, 'POST', '/api/logout', { token: account.token })).status).toBe(200);
    const refused = await verifyElsewhere(account.token);
    expect(refused).toEqual({ code: 1, out: 'refused: the session has ended\n' });
  });

  it('cannot mint a session with the old HS256 secret, and neither Twofold nor the example accepts one', async () => {
    const account = await registerAccount(server.url);
    const secret = readFileSync(join(server.dataDir, 'jwt-secret'), 'utf8').trim();
    const minted = await new SignJWT({ sv: 0, typ: 'session' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(account.id)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret));
    expect((await request(server.url, 'GET', '/api/auth/user', { token: minted })).status).toBe(401);
    expect((await verifyElsewhere(minted)).code).toBe(1);
    const [header, , signature] = account.token.split('.');
    const otherUser = Buffer.from(JSON.stringify({ sub: 'someone-else', typ: 'session' })).toString(
      'base64url',
    );
    expect((await verifyElsewhere(`${header}.${otherUser}.${signature}`)).code).toBe(1);
  });
});
