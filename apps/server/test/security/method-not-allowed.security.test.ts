// Invariant: a known REST path asked with a method it does not serve answers 405 with `Allow` naming the methods it does serve and the error envelope, never 404 and never another route's answer.
import { restRoutes } from '@twofold/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isErrorEnvelope, request } from '../support/http.js';
import { concretePath } from '../support/protected.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Each REST path with the methods it serves; a GET route also answers HEAD. */
const paths = [...new Set(restRoutes.map((route) => route.path))].map((path) => {
  const served = restRoutes.filter((route) => route.path === path).map((route) => route.method);
  const allow = served.includes('GET') ? [...served, 'HEAD'] : served;
  return { path, allow: [...allow].sort(), wrong: METHODS.filter((m) => !served.includes(m)) };
});

describe.each(paths)('$path', ({ path, allow, wrong }) => {
  it.each(wrong)('%s answers 405 with Allow', async (method) => {
    // Methods the document does not list, by definition.
    const res = await request(server.url, method, concretePath(path), {
      ...(method === 'GET' ? {} : { body: {} }),
      unchecked: true,
    });
    expect(res.status).toBe(405);
    expect(
      res.headers
        .get('allow')
        ?.split(',')
        .map((m) => m.trim())
        .sort(),
    ).toEqual(allow);
    expect(isErrorEnvelope(res.json)).toBe(true);
    expect(res.json).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

it('an unknown path stays 404', async () => {
  const res = await request(server.url, 'DELETE', '/api/no/such/endpoint', { unchecked: true });
  expect(res.status).toBe(404);
  expect(res.json).toMatchObject({ code: 'NOT_FOUND' });
});

it('the dev mailbox path is 404 for every method in production, not a 405 that says it exists', async () => {
  const production = await startTestServer({ env: { NODE_ENV: 'production' } });
  try {
    for (const method of METHODS) {
      const res = await request(
        production.url,
        method,
        '/api/dev/mail',
        // In production the mailbox is no route at all.
        { ...(method === 'GET' ? {} : { body: {} }), unchecked: true },
      );
      expect(res.status, method).toBe(404);
      expect(res.headers.get('allow'), method).toBeNull();
    }
  } finally {
    await production.close();
  }
});
