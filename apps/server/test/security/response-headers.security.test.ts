// Invariant: every /api and /trpc response (success, error, 404, 405, 413, 429, tRPC batch) carries `Cache-Control: no-store`, and every web page carries a CSP without inline script, `frame-ancestors 'none'`, nosniff, `Referrer-Policy: no-referrer`, and HSTS exactly when PUBLIC_URL is https.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { MAX_BODY_BYTES, silentLogger } from '@twofold/api';
import { createTestCore, type TestCore } from '@twofold/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerApp } from '../../src/create-app.js';
import { type HttpResult, registerAccount, request } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let httpsServer: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  httpsServer = await startTestServer({ env: { PUBLIC_URL: 'https://twofold.example' } });
});
afterAll(async () => {
  await server.close();
  await httpsServer.close();
});

function expectNoStore(name: string, res: HttpResult) {
  expect(res.headers.get('cache-control'), name).toBe('no-store');
}

describe('API responses are never cached', () => {
  it('every kind of /api response says no-store', async () => {
    const account = await registerAccount(server.url, 'hd');
    const login = { username: account.username, password: account.password };
    const answers: [string, HttpResult][] = [
      ['200 login', await request(server.url, 'POST', '/api/login', { body: login })],
      ['200 me', await request(server.url, 'GET', '/api/auth/user', { token: account.token })],
      ['200 openapi', await request(server.url, 'GET', '/api/openapi.json', { unchecked: true })],
      ['400 malformed', await request(server.url, 'POST', '/api/login', { body: { username: 1 } })],
      ['401 no session', await request(server.url, 'GET', '/api/auth/user')],
      ['404 unknown', await request(server.url, 'GET', '/api/no/such/endpoint', { unchecked: true })],
      ['405 method', await request(server.url, 'DELETE', '/api/login', { unchecked: true })],
      [
        '413 oversized',
        await request(server.url, 'POST', '/api/login', {
          body: { username: 'x'.repeat(MAX_BODY_BYTES), password: 'x' },
        }),
      ],
      [
        '415 content type',
        await request(server.url, 'POST', '/api/login', {
          body: 'x',
          headers: { 'content-type': 'text/plain' },
        }),
      ],
    ];
    const wrong = { username: account.username, password: 'wrong-password' };
    let locked: HttpResult | undefined;
    for (let i = 0; i < 10 && locked?.status !== 429; i += 1) {
      locked = await request(server.url, 'POST', '/api/login', { body: wrong });
    }
    answers.push(['429 locked', locked!]);
    expect(answers.map(([name, res]) => `${name}: ${res.status}`)).toEqual(
      answers.map(([name]) => `${name}: ${name.slice(0, 3)}`),
    );
    for (const [name, res] of answers) expectNoStore(name, res);
  });

  it('every kind of /trpc response says no-store, batches included', async () => {
    const account = await registerAccount(server.url, 'ht');
    const auth = { authorization: `Bearer ${account.token}` };
    const answers: [string, HttpResult][] = [
      ['200 query', await request(server.url, 'GET', '/trpc/auth.me', { unchecked: true, headers: auth })],
      [
        '200 batch',
        await request(server.url, 'GET', '/trpc/auth.me,auth.me?batch=1&input={}', {
          unchecked: true,
          headers: auth,
        }),
      ],
      [
        '401 batch',
        await request(server.url, 'GET', '/trpc/auth.me,auth.me?batch=1&input={}', { unchecked: true }),
      ],
      [
        '400 input',
        await request(server.url, 'POST', '/trpc/auth.login', { unchecked: true, body: { username: 1 } }),
      ],
      ['401 query', await request(server.url, 'GET', '/trpc/auth.me', { unchecked: true })],
      ['404 unknown', await request(server.url, 'GET', '/trpc/no.such', { unchecked: true })],
      ['405 method', await request(server.url, 'GET', '/trpc/auth.login', { unchecked: true })],
      [
        '413 oversized',
        await request(server.url, 'POST', '/trpc/auth.login', {
          unchecked: true,
          body: { username: 'x'.repeat(MAX_BODY_BYTES), password: 'x' },
        }),
      ],
    ];
    for (const [name, res] of answers) {
      expect(res.status, name).toBe(Number(name.slice(0, 3)));
      expectNoStore(name, res);
    }
  });
});

const WEB_PAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

function expectWebPageHeaders(name: string, res: HttpResult) {
  for (const [header, value] of Object.entries(WEB_PAGE_HEADERS))
    expect(res.headers.get(header), name).toBe(value);
  const csp = res.headers.get('content-security-policy') ?? '';
  const directives = new Map(
    csp.split(';').map((d) => {
      const [key = '', ...values] = d.trim().split(/\s+/);
      return [key, values] as const;
    }),
  );
  expect(directives.get('frame-ancestors'), `${name}: ${csp}`).toEqual(["'none'"]);
  const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
  expect(scriptSrc, `${name}: ${csp}`).toBeDefined();
  expect(scriptSrc, `${name}: ${csp}`).not.toContain("'unsafe-inline'");
  expect(scriptSrc, `${name}: ${csp}`).not.toContain("'unsafe-eval'");
  expect(directives.get('object-src'), `${name}: ${csp}`).toEqual(["'none'"]);
}

describe('web pages', () => {
  let core: TestCore;
  let webRoot: string;
  const listeners: ReturnType<typeof serve>[] = [];

  async function listen(secureCookies: boolean): Promise<string> {
    const app = createServerApp({ core: core.core, logger: silentLogger, webRoot, secureCookies });
    const s = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    listeners.push(s);
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  }

  beforeAll(() => {
    core = createTestCore();
    webRoot = mkdtempSync(join(tmpdir(), 'twofold-web-'));
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(
      join(webRoot, 'index.html'),
      '<!doctype html><div id="root"></div><script type="module" src="/assets/app.js"></script>',
    );
    writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log(1);');
  });
  afterAll(async () => {
    for (const s of listeners) await new Promise((resolve) => s.close(resolve));
    await core.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('the SPA shell, client routes and static assets carry the page headers, HSTS only over https', async () => {
    const plain = await listen(false);
    const https = await listen(true);
    for (const path of ['/', '/mfa/reset/00000000-0000-4000-8000-000000000000', '/assets/app.js']) {
      const res = await request(plain, 'GET', path, { unchecked: true });
      expect(res.status, path).toBe(200);
      expectWebPageHeaders(path, res);
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
      const secure = await request(https, 'GET', path, { unchecked: true });
      expectWebPageHeaders(path, secure);
      expect(secure.headers.get('strict-transport-security'), path).toMatch(/^max-age=\d{7,}/);
    }
  });

  it('the running server sends them, with HSTS when PUBLIC_URL is https', async () => {
    const plain = await request(server.url, 'GET', '/', { unchecked: true });
    expectWebPageHeaders('/ (http)', plain);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const secure = await request(httpsServer.url, 'GET', '/', { unchecked: true });
    expectWebPageHeaders('/ (https)', secure);
    expect(secure.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
  });
});
