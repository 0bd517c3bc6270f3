// Invariant: a request body over 64 KiB is refused with 413 before it is parsed, on every REST route and on tRPC, whatever Content-Length says (exact, lying, absent with chunked encoding); non-JSON content types get 415 and broken JSON 400, never 5xx.
import { MAX_BODY_BYTES, restRoutes } from '@twofold/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isErrorEnvelope, request } from '../support/http.js';
import { concretePath } from '../support/protected.js';
import { chunked, head, rawRequest } from '../support/raw-http.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

// Not JSON at all: if the server parsed before measuring, it would answer 400, not 413.
const OVERSIZED = 'x'.repeat(MAX_BODY_BYTES + 1024);
const OVERSIZED_JSON = JSON.stringify({ username: 'a'.repeat(MAX_BODY_BYTES), password: 'b' });

const targets = [
  ...restRoutes
    .filter((r) => r.method !== 'GET')
    .map((r) => ({ method: r.method, path: concretePath(r.path) })),
  { method: 'POST', path: '/trpc/auth.login' },
  { method: 'POST', path: '/trpc/auth.register' },
];

function expect413(res: { status: number; body: string }) {
  expect(res.status).toBe(413);
  const json = JSON.parse(res.body) as unknown;
  expect(isErrorEnvelope(json) || typeof (json as { error?: unknown }).error === 'object').toBe(true);
}

describe.each(targets)('$method $path', ({ method, path }) => {
  it('413 with an honest Content-Length', async () => {
    for (const body of [OVERSIZED, OVERSIZED_JSON]) {
      const res = await rawRequest(server.url, [
        head(method, path, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }),
        body,
      ]);
      expect413(res);
    }
  });

  it('413 with chunked encoding and no Content-Length', async () => {
    const res = await rawRequest(server.url, [
      head(method, path, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }),
      ...chunked(OVERSIZED, 8192),
    ]);
    expect413(res);
  });

  it('413 at once when Content-Length claims more than the limit, without waiting for the body', async () => {
    const res = await rawRequest(
      server.url,
      [
        head(method, path, { 'Content-Type': 'application/json', 'Content-Length': MAX_BODY_BYTES + 1 }),
        '{"a":',
      ],
      { timeoutMs: 3_000 },
    );
    expect413(res);
  });

  it('a Content-Length smaller than the body reads only what it declares: a 4xx, and the server lives on', async () => {
    const res = await rawRequest(server.url, [
      head(method, path, { 'Content-Type': 'application/json', 'Content-Length': 10 }),
      OVERSIZED,
    ]);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await request(server.url, 'GET', '/healthz', { unchecked: true })).status).toBe(200);
  });
});

describe('content types and broken JSON', () => {
  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx',
  ])('415 for %s on REST', async (contentType) => {
    const res = await request(server.url, 'POST', '/api/login', {
      body: { username: 'someone', password: 'password1' },
      headers: { 'content-type': contentType },
    });
    expect(res.status).toBe(415);
    expect(res.json).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('400 for text that is not JSON, on REST and tRPC', async () => {
    for (const body of ['{', '{"username":', 'nul', '\u0000\u0001', '[1,2', '"unterminated']) {
      for (const path of ['/api/login', '/api/register', '/trpc/auth.login']) {
        const res = await rawRequest(server.url, [
          head('POST', path, {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          }),
          body,
        ]);
        expect({ path, body, status: res.status }).toEqual({ path, body, status: 400 });
      }
    }
  });
});
